import CityWatchDomain
import Foundation
import Logging

/// Cast-net for a running server: the configured road network, read once on first use, and the
/// registry's cameras (those a user may see) with the view direction their 촬영방면정보 gives.
public actor CastNetService {
    /// What came of reading the road network.
    public enum NetworkState: Sendable {
        case none
        case loaded(RoadNetwork, path: String, problems: Int)
        case unreadable(path: String, reason: String)
    }

    let path: String?
    let logger: Logger
    private var state: NetworkState?
    /// The cameras' index per registry version and camera scope: every cast-net, follow and
    /// 30-second recast of every console would otherwise build it again.
    private var nets: [NetKey: CastNet] = [:]
    /// How many (version, scope) indexes are kept: a few registry versions × the groups of the
    /// operators on shift.
    static let netLimit = 16

    struct NetKey: Hashable {
        var version: String?
        var cameraCount: Int
        var allowed: Set<UUID>?
    }

    public init(roadNetwork path: String?, logger: Logger = Logger(label: "citywatch.castnet")) {
        self.path = path
        self.logger = logger
    }

    /// The road network, read on the first call (a file that cannot be read leaves rings only).
    public func network() -> NetworkState {
        if let state { return state }
        let loaded: NetworkState
        if let path {
            do {
                let result = try SUMONetworkReader().read(contentsOf: URL(fileURLWithPath: path))
                loaded = .loaded(result.network, path: path, problems: result.problems.count)
                logger.notice("road network read", metadata: ["path": "\(path)", "junctions": "\(result.network.junctions.count)",
                                                              "roads": "\(result.network.roads.count)", "problems": "\(result.problems.count)"])
            } catch {
                loaded = .unreadable(path: path, reason: "\(error)")
                logger.warning("road network unreadable: cast-net draws rings only", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        } else {
            loaded = .none
        }
        state = loaded
        return loaded
    }

    /// The plan for `query` over the cameras of `snapshot` that `scope` lets the user see.
    public func plan(_ query: CastNetQuery, snapshot: CameraDirectory.Snapshot, scope: CameraScope) -> CastNetPlan {
        var plan = net(snapshot: snapshot, scope: scope).plan(query)
        if let why = networkProblem() {
            plan.notes = plan.notes.map { $0.kind == .noRoadNetwork ? CastNetNote(kind: .noRoadNetwork, message: why) : $0 }
        }
        return plan
    }

    /// The cast-net over the cameras of `snapshot` in `scope`, made once per registry version and scope.
    func net(snapshot: CameraDirectory.Snapshot, scope: CameraScope) -> CastNet {
        let key = NetKey(version: snapshot.version, cameraCount: snapshot.cameras.count, allowed: scope.allowed)
        if let cached = nets[key] { return cached }
        var cameras: [CastNetCamera] = []
        for (index, camera) in snapshot.cameras.enumerated() where scope.contains(camera.id) {
            let site = snapshot.siteOfCamera[index].record
            cameras.append(CastNetCamera(id: camera.id.uuidString, point: site.location,
                                         view: CameraView.parsing(registryText: site.viewDirection).view))
        }
        var road: RoadNetwork?
        if case .loaded(let network, _, _) = network() { road = network }
        let net = CastNet(cameras: cameras, network: road)
        if nets.count >= Self.netLimit { nets.removeAll() }
        nets[key] = net
        return net
    }

    /// Why the net has rings only, when it does.
    private func networkProblem() -> String? {
        switch network() {
        case .loaded: nil
        case .none: "no road network is configured (CITYWATCH_ROAD_NETWORK): rings only"
        case .unreadable(let path, let reason): "the road network \(path) could not be read (\(reason)): rings only"
        }
    }
}
