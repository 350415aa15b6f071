import CityWatchAnalytics
import CityWatchDomain

extension ObjectDetector {
    /// A region covering more than this share of the frame is looked at at the whole frame's
    /// scale; a smaller one is scaled up to fill the network's input.
    public static let frameScaleShare = 0.5

    /// A detector-led camera's look at `region` of a yuv420p analysis frame taken at `time`: run
    /// in colour (the network finds vehicles from above and far people in RGB that it misses in
    /// gray), on the luma alone when the frame has no chroma; a failed run is a look that found
    /// nothing.
    ///
    /// A small region (around one walker, say) fills the network's input, so small people are
    /// found; a region over ``frameScaleShare`` of the frame (a busy street's band of walkers) is
    /// looked at at the whole frame's scale: the people in it are as large as in a look at the
    /// whole frame, and the input shrinks with the region (a 320×150 band of a 320×240 frame:
    /// 416×224 instead of 416×320).
    public func look(yuv pixels: [UInt8], width: Int, height: Int, region: PixelBox, time: Double) -> DetectorLook {
        let rgb = YUV420Conversion.rgb(fromYUV420p: pixels, width: width, height: height)
        let large = Double(region.area) > Self.frameScaleShare * Double(width * height)
        let found = (try? detect(pixels: rgb ?? pixels, width: width, height: height, channels: rgb == nil ? 1 : 3, region: region,
                                 scaleSide: large ? max(width, height) : nil)) ?? []
        return DetectorLook(region: region, time: time, objects: found.map {
            DetectedObject(objectClass: $0.objectClass, confidence: Double($0.score), box: $0.box)
        })
    }
}
