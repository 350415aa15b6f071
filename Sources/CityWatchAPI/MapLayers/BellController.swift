import CityWatchApp
import CityWatchDomain
import Fluent
import Foundation
import Vapor

/// The emergency-bell registry as the map shows it.
struct BellController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.GET, "api", "bells", access: .signedIn, use: list)
    }

    /// `GET /api/bells`: every bell with the cameras that can see it, nearest covering camera
    /// first, kept to the cameras the user may see (an operator's groups).
    func list(req: Request) async throws -> BellListDTO {
        let (_, scope) = try await req.cameraView()
        let listings = try await BellDirectory(database: req.db, cameras: req.cityWatch.directory).listings()
        let bells = listings.map { listing in
            BellDTO(listing, cameras: listing.cameras.filter { scope.contains($0.cameraID) })
        }
        return BellListDTO(bells: bells, total: bells.count)
    }
}

/// `GET /api/bells` answer.
struct BellListDTO: Content {
    var bells: [BellDTO]
    var total: Int
}

/// A bell as the map needs it.
struct BellDTO: Content {
    /// A camera that can see the bell.
    struct LinkedCamera: Content {
        var id: UUID
        var address: String
        /// Metres from the camera to the bell.
        var distance: Double
        /// Compass bearing from the camera to the bell, degrees.
        var bearing: Double
    }

    var id: UUID
    /// What a press and a drill name the bell by: 관리번호, else 안전비상벨관리번호.
    var key: String
    /// 안전비상벨관리번호: the installer's number (other bells may have it too).
    var managementNumber: String
    /// 설치위치: where on the site it hangs ("가로등 기둥").
    var place: String
    /// 설치장소유형 (공원, 도로, 학교 …).
    var placeType: String
    var purpose: String
    var address: String
    var lat: Double
    var lon: Double
    /// 경찰연계유무: whether a press reaches the police directly (Y/N as the file says).
    var policeLinked: String
    var cameras: [LinkedCamera]

    init(_ listing: BellDirectory.Listing, cameras: [BellDirectory.LinkedCamera]) {
        id = listing.id
        key = listing.key
        managementNumber = listing.bell.managementNumber
        place = listing.bell.location
        placeType = listing.bell.placeType
        purpose = listing.bell.purpose
        address = listing.bell.displayAddress
        lat = listing.bell.latitude
        lon = listing.bell.longitude
        policeLinked = listing.bell.policeLinked
        self.cameras = cameras.map { LinkedCamera(id: $0.cameraID, address: $0.address, distance: $0.distance, bearing: $0.bearing) }
    }
}
