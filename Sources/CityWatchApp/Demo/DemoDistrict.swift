import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation

/// The demo district: sixteen cameras at real places of Gangnam-gu, each fed by a synthetic
/// clip played in a loop, so `citywatch demo` shows a working control room from a clean clone,
/// without the shared data folder and without real cameras.
public struct DemoDistrict: Sendable {
    /// One demo camera: where it stands, why, and what it watches.
    struct Place {
        var name: String
        var address: String
        var purpose: String
        var latitude: Double
        var longitude: Double
        var scene: BuiltInScene
    }

    /// Landmarks of Gangnam-gu (positions rounded to about 10 m).
    static let places: [Place] = [
        Place(name: "강남역 사거리", address: "서울특별시 강남구 강남대로 396", purpose: "생활방범", latitude: 37.497942, longitude: 127.027621, scene: .walkers),
        Place(name: "역삼역", address: "서울특별시 강남구 테헤란로 156", purpose: "생활방범", latitude: 37.500622, longitude: 127.036456, scene: .walkers),
        Place(name: "선릉역", address: "서울특별시 강남구 테헤란로 340", purpose: "교통단속", latitude: 37.504503, longitude: 127.049008, scene: .traffic),
        Place(name: "삼성역", address: "서울특별시 강남구 테헤란로 538", purpose: "교통단속", latitude: 37.508844, longitude: 127.063160, scene: .traffic),
        Place(name: "코엑스 앞", address: "서울특별시 강남구 영동대로 513", purpose: "생활방범", latitude: 37.511730, longitude: 127.059200, scene: .walkers),
        Place(name: "봉은사 정문", address: "서울특별시 강남구 봉은사로 531", purpose: "시설물관리", latitude: 37.515290, longitude: 127.057485, scene: .intrusion),
        Place(name: "논현역", address: "서울특별시 강남구 학동로 102", purpose: "생활방범", latitude: 37.511093, longitude: 127.021415, scene: .night),
        Place(name: "신사역", address: "서울특별시 강남구 도산대로 102", purpose: "생활방범", latitude: 37.516334, longitude: 127.020114, scene: .walkers),
        Place(name: "압구정로데오", address: "서울특별시 강남구 압구정로 172", purpose: "생활방범", latitude: 37.527072, longitude: 127.028461, scene: .night),
        Place(name: "청담사거리", address: "서울특별시 강남구 학동로 508", purpose: "교통단속", latitude: 37.519064, longitude: 127.051904, scene: .traffic),
        Place(name: "언주초등학교", address: "서울특별시 강남구 언주로 205", purpose: "어린이보호", latitude: 37.495853, longitude: 127.042062, scene: .intrusion),
        Place(name: "대도초등학교", address: "서울특별시 강남구 도곡로 342", purpose: "어린이보호", latitude: 37.494210, longitude: 127.056200, scene: .walkers),
        Place(name: "개포초등학교", address: "서울특별시 강남구 개포로 402", purpose: "어린이보호", latitude: 37.483960, longitude: 127.066480, scene: .intrusion),
        Place(name: "도곡역", address: "서울특별시 강남구 남부순환로 2814", purpose: "생활방범", latitude: 37.490922, longitude: 127.055452, scene: .night),
        Place(name: "양재천 영동2교", address: "서울특별시 강남구 개포동 양재천로", purpose: "재난재해", latitude: 37.480926, longitude: 127.047834, scene: .walkers),
        Place(name: "수서역", address: "서울특별시 강남구 밤고개로 99", purpose: "생활방범", latitude: 37.487371, longitude: 127.101910, scene: .traffic),
    ]

    /// How many demo cameras there are.
    public static var cameraCount: Int { places.count }

    /// The demo registry as a current-layout CSV.
    static var registryCSV: String {
        var lines = [RegistryCSVWriter.header]
        for (index, place) in places.enumerated() {
            var record = RegistryRecord()
            record.localGovernmentCode = "3220000"
            record.managementNumber = "DEMO-\(String(format: "%02d", index + 1))"
            record.agency = "서울특별시 강남구청"
            record.roadAddress = place.address
            record.lotAddress = place.name
            record.purpose = CameraPurpose(registryText: place.purpose)
            record.cameraCount = 1
            record.pixels = "200"
            record.viewDirection = "360도 전방면"
            record.retentionDays = "30"
            record.installYearMonth = "2024-01"
            record.phone = "02-3423-6963"
            record.latitude = place.latitude
            record.longitude = place.longitude
            record.dataDate = "2026-11-01"
            lines.append(RegistryCSVWriter.line(for: record))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    let database: any Database
    let dataDirectory: String
    let tools: MediaTools

    public init(database: any Database, dataDirectory: String, tools: MediaTools = MediaTools()) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.tools = tools
    }

    /// How many demo cameras show `kind`.
    public static func cameras(showing kind: BuiltInScene) -> Int { places.filter { $0.scene == kind }.count }

    /// The kinds of scene the demo cameras show, in the order their seeds are given.
    public static var sceneKinds: [BuiltInScene] { Set(places.map(\.scene)).sorted { $0.rawValue < $1.rawValue } }

    /// The clip of the demo cameras showing `kind`, made in `folder` unless it is there already,
    /// and its scene (ground truth included): the same picture every start and every test.
    public static func clip(_ kind: BuiltInScene, clipSeconds: Double = 60, in folder: URL, tools: MediaTools = MediaTools(),
                            progress: @Sendable (String) -> Void = { _ in }) async throws -> (path: String, scene: SyntheticScene) {
        let index = sceneKinds.firstIndex(of: kind) ?? sceneKinds.count
        let video = folder.appendingPathComponent(kind.rawValue + ".mp4")
        let scene = try kind.scene(.init(duration: clipSeconds, seed: UInt64(index + 1)))
        if !FileManager.default.fileExists(atPath: video.path) {
            progress("making the synthetic \(kind.rawValue) camera clip (\(Int(clipSeconds)) s)…")
            // Half the clips with B-frames: real cameras send both kinds.
            let writer = SyntheticClipWriter(tools: tools, encoding: SyntheticEncoding(bFrames: index % 2 == 0, keyframeSeconds: 1))
            _ = try await writer.write(scene, to: folder, name: kind.rawValue)
        }
        return (video.path, scene)
    }

    /// Makes the clips (once; later starts reuse them), imports the demo registry and gives every
    /// demo camera its clip as a looping stream. Returns the demo cameras' ids.
    public func prepare(sealer: CredentialSealer, clipSeconds: Double = 60, progress: @Sendable (String) -> Void = { _ in }) async throws -> [UUID] {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("demo")
        var clips: [BuiltInScene: String] = [:]
        var scenes: [BuiltInScene: SyntheticScene] = [:]
        for kind in Self.sceneKinds {
            (clips[kind], scenes[kind]) = try await Self.clip(kind, clipSeconds: clipSeconds, in: folder, tools: tools, progress: progress)
        }
        let registry = folder.appendingPathComponent("demo-registry.csv")
        try Data(Self.registryCSV.utf8).write(to: registry)
        _ = try await RegistryImporter(database: database).importFile(at: registry.path, actor: "demo")
        let (sites, cameras) = try await RegistryRepository(database: database).loadAll()
        let repository = RecordingRepository(database: database)
        var ids: [UUID] = []
        for (index, place) in Self.places.enumerated() {
            let number = "DEMO-\(String(format: "%02d", index + 1))"
            guard let site = sites.first(where: { $0.record.managementNumber == number }),
                  let camera = cameras.first(where: { $0.siteID == site.id }), let clip = clips[place.scene] else { continue }
            let stream = CameraStream(mainURL: clip, loop: true)
            if try await repository.stream(for: camera.id, sealer: sealer) != stream {
                try await repository.setStream(stream, for: camera.id, sealer: sealer, now: Date())
            }
            let analytics = AnalyticsRepository(database: database)
            if let built = scenes[place.scene], try await !analytics.hasSettings(for: camera.id) {
                // Rendered shapes, not people: the detector names nothing there, so the demo's
                // cameras run on motion alone and every shape counts for their rules.
                try await analytics.setSettings(CameraAnalyticsSettings(rules: Self.rules(for: place.scene, scene: built), profile: .motionOnly),
                                                for: camera.id, by: "demo", now: Date())
            }
            ids.append(camera.id)
        }
        return ids
    }

    /// The rules a demo camera starts with (operators may change them): the restricted zone of
    /// the intrusion scenes watched for intruders and loiterers; a tripwire across the walkers'
    /// path; none for traffic and night cameras.
    public static func rules(for kind: BuiltInScene, scene: SyntheticScene) -> [AnalyticsRule] {
        switch kind {
        case .intrusion:
            return scene.zones.map { zone in
                let area = zone.area, width = Double(scene.width), height = Double(scene.height)
                let polygon = ImagePolygon(points: [
                    ImagePoint(x: Double(area.x) / width, y: Double(area.y) / height),
                    ImagePoint(x: Double(area.maxX) / width, y: Double(area.y) / height),
                    ImagePoint(x: Double(area.maxX) / width, y: Double(area.maxY) / height),
                    ImagePoint(x: Double(area.x) / width, y: Double(area.maxY) / height),
                ])
                return [AnalyticsRule(name: "제한구역 침입 Restricted area", kind: .intrusion(zone: polygon), coolDownSeconds: 20),
                        AnalyticsRule(name: "배회 Loitering", kind: .loitering(zone: polygon, seconds: 8), coolDownSeconds: 30)]
            }.flatMap { $0 }
        case .walkers:
            return [AnalyticsRule(name: "통행선 Tripwire", kind: .lineCrossing(line: ImageLine(start: ImagePoint(x: 0.5, y: 0.35), end: ImagePoint(x: 0.5, y: 0.98)),
                                                                                  direction: .either), coolDownSeconds: 10)]
        case .traffic, .night, .campus:
            return []
        }
    }
}
