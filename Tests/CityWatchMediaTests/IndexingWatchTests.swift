import CityWatchMedia
import Foundation
import Testing

/// When a camera's indexing counts as stalled, and when it has caught up.
@Suite("Indexing watch")
struct IndexingWatchTests {
    let camera = UUID()
    let other = UUID()
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func segmentsIndexedPromptlyNeverStall() {
        var watch = IndexingWatch(stallAfter: 15)
        for second in stride(from: 0.0, to: 600, by: 60) {
            watch.closed(camera: camera, path: "/r/\(second).mp4", at: t0 + second)
            #expect(watch.check(now: t0 + second + 10).isEmpty)
            #expect(watch.indexed(camera: camera, path: "/r/\(second).mp4", now: t0 + second + 11).isEmpty)
        }
        #expect(watch.waitingSegments == 0 && watch.stalledCameras == 0)
    }

    @Test func aSegmentWaitingPastTheLimitStallsItsCameraOnceWithTheLastProblem() {
        var watch = IndexingWatch(stallAfter: 15)
        watch.closed(camera: camera, path: "/r/a.mp4", at: t0)
        watch.closed(camera: other, path: "/r/b.mp4", at: t0)
        watch.failed(camera: camera, path: "/r/a.mp4", problem: "no such table: segments")
        #expect(watch.indexed(camera: other, path: "/r/b.mp4", now: t0 + 1).isEmpty)
        #expect(watch.check(now: t0 + 15).isEmpty, "at the limit, not past it")
        watch.closed(camera: camera, path: "/r/c.mp4", at: t0 + 16)
        #expect(watch.check(now: t0 + 16) == [.stalled(cameraID: camera, since: t0, waiting: 2, problem: "no such table: segments")])
        #expect(watch.check(now: t0 + 30).isEmpty, "said once")
        #expect(watch.status(of: camera) == .init(waiting: 2, oldest: t0, stalledSince: t0, problem: "no such table: segments"))
        #expect(watch.status(of: other) == .init())
        #expect(watch.stalledCameras == 1 && watch.waitingSegments == 2)
    }

    @Test func aStalledCameraRecoversOnlyWhenNothingOldWaits() {
        var watch = IndexingWatch(stallAfter: 15)
        watch.closed(camera: camera, path: "/r/a.mp4", at: t0)
        watch.closed(camera: camera, path: "/r/b.mp4", at: t0 + 10)
        _ = watch.check(now: t0 + 20)
        // The newer one lands first: the old one still waits.
        #expect(watch.indexed(camera: camera, path: "/r/b.mp4", now: t0 + 21).isEmpty)
        #expect(watch.indexed(camera: camera, path: "/r/a.mp4", now: t0 + 22) == [.recovered(cameraID: camera, at: t0 + 22, stalledSince: t0)])
        #expect(watch.status(of: camera) == .init())
    }

    @Test func aStalledCameraRecoversWhenWhatStillWaitsIsRecent() {
        var watch = IndexingWatch(stallAfter: 15)
        watch.closed(camera: camera, path: "/r/a.mp4", at: t0)
        _ = watch.check(now: t0 + 20)
        watch.closed(camera: camera, path: "/r/b.mp4", at: t0 + 24)
        #expect(watch.indexed(camera: camera, path: "/r/a.mp4", now: t0 + 25) == [.recovered(cameraID: camera, at: t0 + 25, stalledSince: t0)])
        #expect(watch.status(of: camera).waiting == 1)
    }
}
