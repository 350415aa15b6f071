import CityWatchDomain
import Testing

@Suite("Bell–camera linking")
struct BellCameraLinkerTests {
    static let bell = GeoPoint(latitude: 37.5, longitude: 127.03)
    static let plane = LocalPlane(origin: bell)

    /// A camera `east`/`north` metres from the bell.
    static func camera(_ id: String, east: Double, north: Double, view: CameraView = .omnidirectional) -> CastNetCamera {
        CastNetCamera(id: id, point: plane.point(east: east, north: north), view: view)
    }

    @Test func nearestCoveringCamerasComeFirstAndOthersAreLeftOut() {
        let cameras = [
            Self.camera("far-dome", east: 0, north: 90),
            Self.camera("near-looking-at", east: 0, north: -40, view: CameraView(direction: 0, fieldOfView: 60)),
            Self.camera("near-looking-away", east: 0, north: -20, view: CameraView(direction: 180, fieldOfView: 60)),
            Self.camera("mid-dome", east: 50, north: 0),
            Self.camera("too-far", east: 0, north: 140),
        ]
        let links = BellCameraLinker(cameras: cameras).links(to: Self.bell)
        #expect(links.map(\.cameraID) == ["near-looking-at", "mid-dome", "far-dome"])
        #expect(abs(links[0].distance - 40) < 0.5 && abs(links[2].distance - 90) < 0.5)
        #expect(abs(links[0].bearing - 0) < 0.5, "the camera south of the bell looks north to it")
    }

    @Test func fieldOfViewEdgeDecidesCoverage() {
        // From 50 m west, the bell lies due east (90°): a 90° view pointing at 134° reaches 89°,
        // one pointing at 140° from a metre further north stops at 95° and misses it (91°).
        let edge = Self.camera("edge", east: -50, north: 0, view: CameraView(direction: 134, fieldOfView: 90))
        let past = Self.camera("past", east: -50, north: 1, view: CameraView(direction: 140, fieldOfView: 90))
        #expect(BellCameraLinker(cameras: [edge, past]).links(to: Self.bell).map(\.cameraID) == ["edge"])
    }

    @Test func radiusIsAParameter() {
        let cameras = [Self.camera("a", east: 0, north: 150), Self.camera("b", east: 0, north: 30)]
        #expect(BellCameraLinker(cameras: cameras).links(to: Self.bell).map(\.cameraID) == ["b"])
        #expect(BellCameraLinker(cameras: cameras, radius: 200).links(to: Self.bell).map(\.cameraID) == ["b", "a"])
        #expect(BellCameraLinker(cameras: []).links(to: Self.bell).isEmpty)
    }

    @Test func registryDirectionTextDrivesTheView() {
        // 북측 (looking north) from south of the bell sees it; 남측 from the same pole does not.
        let north = Self.camera("north", east: 0, north: -30, view: CameraView.parsing(registryText: "북측").view)
        let south = Self.camera("south", east: 0, north: -30, view: CameraView.parsing(registryText: "남측").view)
        let dome = Self.camera("dome", east: 0, north: -30, view: CameraView.parsing(registryText: "360도 전방면").view)
        #expect(BellCameraLinker(cameras: [north, south, dome]).links(to: Self.bell).map(\.cameraID) == ["dome", "north"])
    }
}
