import CityWatchMedia
import Foundation
import Testing

/// Which file of a camera's folder the recorder is writing: the newest one no segment-list line
/// has reported.
@Suite("Open segment")
struct OpenSegmentTests {
    @Test func theNewestUnreportedSegmentIsTheOpenOne() {
        let names = ["20261205T114350Z.mp4", "20261205T114450Z.mp4", "20261205T114550Z.mp4", "segments-1.csv"]
        let open = OpenSegment.newest(fileNames: names, reported: ["20261205T114350Z.mp4", "20261205T114450Z.mp4"], folder: "/rec/cam")
        #expect(open?.path == "/rec/cam/20261205T114550Z.mp4")
        #expect(open?.start == SegmentListLine.startTime(ofFile: "20261205T114550Z.mp4"))
    }

    @Test func everySegmentReportedMeansNoneIsOpen() {
        #expect(OpenSegment.newest(fileNames: ["20261205T114350Z.mp4"], reported: ["20261205T114350Z.mp4"], folder: "/rec") == nil)
        #expect(OpenSegment.newest(fileNames: [], reported: [], folder: "/rec") == nil)
        #expect(OpenSegment.newest(fileNames: ["notes.mp4"], reported: [], folder: "/rec") == nil, "a name that is not a time")
    }
}
