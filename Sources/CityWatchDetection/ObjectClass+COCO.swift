import CityWatchDomain

extension ObjectClass {
    /// The class for a COCO class id the detector reports, or nil for ids CityWatch does not
    /// name (the C layer only passes 0, 1, 2, 3, 5 and 7 on).
    init?(cocoClassID: Int32) {
        switch cocoClassID {
        case 0: self = .person
        case 1: self = .bicycle
        case 2: self = .car
        case 3: self = .motorcycle
        case 5: self = .bus
        case 7: self = .truck
        default: return nil
        }
    }
}
