import CityWatchApp
import CityWatchDomain
import Fluent
import FluentKit
import Foundation
import Vapor

/// A site as the map needs it.
struct SiteDTO: Content {
    var id: UUID
    /// What the console calls the site: the part of its address that tells it from the others
    /// (``CityWatchDomain/CameraLabels``).
    var label: String
    var lat: Double
    var lon: Double
    var purpose: String
    var purposeText: String
    var cameraCount: Int
    var roadAddress: String
    var lotAddress: String
    var agency: String
    var phone: String
    var viewDirection: String
    /// Compass degrees the cameras look to, read from ``viewDirection``; absent for all-round
    /// (360°) cameras and for text that names no direction. The map draws it as a wedge.
    var viewBearing: Double?
    /// Width of that view in degrees; absent with ``viewBearing``.
    var viewWidth: Double?
    /// The purpose the site serves now: `purpose` unless a camera of it is re-tasked.
    var effectivePurpose: String
    var effectivePurposeText: String
    /// The re-tasking in force on a camera of the site, if any.
    var retasking: RetaskingBriefDTO?

    init(_ site: Site, label: String, visibleCameras: Int) {
        id = site.id
        self.label = label
        lat = site.record.latitude
        lon = site.record.longitude
        purpose = site.record.purpose.code
        purposeText = site.record.purpose.koreanName
        cameraCount = visibleCameras
        roadAddress = site.record.roadAddress
        lotAddress = site.record.lotAddress
        agency = site.record.agency
        phone = site.record.phone
        viewDirection = site.record.viewDirection
        let view = CameraView.parsing(registryText: site.record.viewDirection).view
        if let direction = view.direction, view.fieldOfView < 360 {
            viewBearing = direction
            viewWidth = view.fieldOfView
        }
        effectivePurpose = purpose
        effectivePurposeText = purposeText
    }
}

/// `GET /api/sites`.
struct SiteListDTO: Content {
    var sites: [SiteDTO]
    var total: Int
}

/// A camera with its site's registry fields.
struct CameraDTO: Content {
    var id: UUID
    var siteId: UUID
    var position: Int
    var name: String?
    /// What the console calls the camera on tiles and in lists: its name, else the distinctive
    /// part of its site's address and, on a pole with several, its number there
    /// (``CityWatchDomain/CameraLabels``).
    var label: String
    var enabled: Bool
    var purpose: String
    var purposeText: String
    var lat: Double
    var lon: Double
    var roadAddress: String
    var lotAddress: String
    var agency: String
    var phone: String
    var viewDirection: String
    var pixels: String
    var retentionDays: String
    var installYearMonth: String
    var dataDate: String
    var distanceMetres: Double?
    /// Days this camera's footage is kept when set on the camera itself (nil: purpose or registry).
    var ownRetentionDays: Int?
    /// The purpose the camera serves now: `purpose` (the registry's) unless it is re-tasked.
    var effectivePurpose: String
    var effectivePurposeText: String
    /// The re-tasking in force, if any.
    var retasking: RetaskingBriefDTO?

    init(camera: Camera, site: Site, label: String, distance: Double? = nil, ownRetentionDays: Int? = nil) {
        id = camera.id
        self.label = label
        siteId = camera.siteID
        position = camera.position
        name = camera.name
        enabled = camera.enabled
        purpose = site.record.purpose.code
        purposeText = site.record.purpose.koreanName
        lat = site.record.latitude
        lon = site.record.longitude
        roadAddress = site.record.roadAddress
        lotAddress = site.record.lotAddress
        agency = site.record.agency
        phone = site.record.phone
        viewDirection = site.record.viewDirection
        pixels = site.record.pixels
        retentionDays = site.record.retentionDays
        installYearMonth = site.record.installYearMonth
        dataDate = site.record.dataDate
        distanceMetres = distance.map { ($0 * 10).rounded() / 10 }
        self.ownRetentionDays = ownRetentionDays
        effectivePurpose = purpose
        effectivePurposeText = purposeText
    }
}

/// A page of cameras.
struct CameraPageDTO: Content {
    var items: [CameraDTO]
    var total: Int
    var offset: Int
    var limit: Int
}

/// `PATCH /api/cameras/:id`.
struct UpdateCameraRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["enabled", "name", "retentionDays"]
    var enabled: Bool?
    var name: String?
    /// Days to keep this camera's footage; 0 returns to the purpose's or registry's period.
    var retentionDays: Int?
}

/// A purpose with its names and map colour.
struct PurposeDTO: Content {
    var code: String
    var name: String
    var nameEnglish: String
    var color: String
}

/// `GET /api/config`.
struct ConsoleConfigDTO: Content {
    var tileURL: String?
    var tileAttribution: String
    var center: [Double]
    var zoom: Int
}
