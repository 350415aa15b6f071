import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Crypto
import Fluent
import FluentKit
import Vapor

/// The registry as the map and tables see it: sites, cameras, geo queries.
struct CameraController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api")
        api.endpoint(.GET, "sites", access: .signedIn, use: sites)
        api.endpoint(.GET, "cameras", access: .signedIn, use: list)
        api.endpoint(.GET, "cameras", ":id", access: .signedIn, use: show)
        api.endpoint(.PATCH, "cameras", ":id", access: .only(.administrator), use: update)
    }

    func sites(req: Request) async throws -> Response {
        let (snapshot, scope, scopeKey) = try await req.cameraViewWithKey()
        let retaskings = try await req.activeRetaskings()
        // Same registry version, group rules and re-taskings: same bytes. Administrators share one entry.
        let key = "\(snapshot.version ?? "none")|\(scopeKey)|\(retaskings.key)"
        let body = try req.cityWatch.siteLists.body(for: key) {
            var visible: [UUID: Int] = [:]
            var order: [UUID] = []
            for camera in snapshot.cameras where scope.contains(camera.id) {
                if visible[camera.siteID] == nil { order.append(camera.siteID) }
                visible[camera.siteID, default: 0] += 1
            }
            var retaskedBySite: [UUID: [Retasking]] = [:]
            for (cameraID, retasking) in retaskings.byCamera where scope.contains(cameraID) {
                if let camera = snapshot.camera(cameraID) { retaskedBySite[camera.siteID, default: []].append(retasking) }
            }
            let sites = order.compactMap { id in
                snapshot.sites[id].map { SiteDTO($0, label: snapshot.label(of: $0), visibleCameras: visible[id] ?? 0).overlaid(retaskedBySite[id] ?? []) }
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601 // a re-tasking's end, as every other answer gives times
            return try encoder.encode(SiteListDTO(sites: sites, total: sites.count))
        }
        // The key names everything the list depends on: an import, a group change or a re-tasking changes it.
        let etag = "\"" + SHA256.hash(data: Data(key.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        return body.response(for: req, etag: etag)
    }

    func list(req: Request) async throws -> CameraPageDTO {
        let query = try CameraQuery(request: req)
        let (snapshot, scope) = try await req.cameraView()
        let (hits, total) = query.run(on: snapshot, scope: scope)
        let retasked = try await req.activeRetaskings().byCamera
        return CameraPageDTO(items: hits.map { CameraDTO(camera: $0.camera, site: $0.site, label: snapshot.label(of: $0.camera), distance: $0.distance).overlaid(retasked[$0.camera.id]) },
                             total: total, offset: query.offset, limit: query.limit)
    }

    func show(req: Request) async throws -> CameraDTO {
        let id = try req.uuidParameter("id")
        let (snapshot, scope) = try await req.cameraView()
        guard scope.contains(id), let camera = snapshot.camera(id) else { throw Abort(.notFound, reason: "no camera \(id)") }
        let own = try await CameraModel.find(id, on: req.db)?.retentionDays
        return CameraDTO(camera: camera, site: snapshot.site(of: camera), label: snapshot.label(of: camera), ownRetentionDays: own)
            .overlaid(try await req.activeRetaskings().byCamera[id])
    }

    func update(req: Request) async throws -> CameraDTO {
        let user = try req.requireUser()
        let id = try req.uuidParameter("id")
        let body = try req.decodeStrict(UpdateCameraRequest.self)
        if let name = body.name, name.count > 200 { throw Abort(.badRequest, reason: "field 'name' must be at most 200 characters") }
        let now = req.cityWatch.clock()
        let name: String??
        if let given = body.name { name = .some(given.isEmpty ? nil : given) } else { name = .none }
        guard try await RegistryRepository(database: req.db).updateCamera(id: id, name: name, enabled: body.enabled, now: now) != nil else {
            throw Abort(.notFound, reason: "no camera \(id)")
        }
        if let days = body.retentionDays {
            guard (0...3_650).contains(days) else { throw Abort(.badRequest, reason: "field 'retentionDays' must be 0–3650 (0: the purpose's period)") }
            try await CameraModel.query(on: req.db).filter(\.$id == id).set(\.$retentionDays, to: days == 0 ? nil : days).update()
        }
        var details: [String: AuditValue] = [:]
        if let enabled = body.enabled { details["enabled"] = .bool(enabled) }
        if let name = body.name { details["name"] = .string(name) }
        if let days = body.retentionDays { details["retentionDays"] = .int(Int64(days)) }
        try await req.audit.append(AuditEvent(actor: user.username, action: "camera.update", target: id.uuidString, details: details))
        try await Settings(database: req.db).bumpRegistryVersion()
        req.cityWatch.directory.invalidate()
        let snapshot = try await req.cityWatch.directory.snapshot(on: req.db)
        guard let camera = snapshot.camera(id) else { throw Abort(.notFound, reason: "no camera \(id)") }
        return CameraDTO(camera: camera, site: snapshot.site(of: camera), label: snapshot.label(of: camera), ownRetentionDays: try await CameraModel.find(id, on: req.db)?.retentionDays)
            .overlaid(try await req.activeRetaskings().byCamera[id])
    }
}

extension Request {
    /// The registry snapshot and the cameras the signed-in user may see in it.
    func cameraView() async throws -> (CameraDirectory.Snapshot, CameraScope) {
        let (snapshot, scope, _) = try await cameraViewWithKey()
        return (snapshot, scope)
    }

    /// The same for `user` as the store has them now (an open socket re-asking after a change).
    func cameraView(for user: SignedInUser) async throws -> (CameraDirectory.Snapshot, CameraScope) {
        let (snapshot, scope, _) = try await cameraViewWithKey(for: user)
        return (snapshot, scope)
    }

    /// Also a key that names the scope: `all`, or the SHA-256 of the user's group rules (two
    /// users with the same rules see the same cameras).
    func cameraViewWithKey(for signedIn: SignedInUser? = nil) async throws -> (CameraDirectory.Snapshot, CameraScope, String) {
        let user = try signedIn ?? requireUser()
        let snapshot = try await cityWatch.directory.snapshot(on: db)
        if user.role.seesAllCameras { return (snapshot, .everything, "all") }
        let rules = try await accounts.grantedRules(userID: user.id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let canonical = try rules.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.sorted().joined(separator: "\n")
        let key = "rules:" + SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
        return (snapshot, CameraScope(role: user.role, rules: rules, snapshot: snapshot), key)
    }

    /// A UUID path parameter, or 400 naming it.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Abort(.badRequest, reason: "'\(parameters.get(name)?.prefix(40) ?? "")' is not a valid \(name) (a UUID)")
        }
        return id
    }
}

extension CameraQuery {
    /// Reads `near`, `radius`, `k`, `bbox`, `purpose`, `q`, `offset` and `limit`, answering 400
    /// with the parameter at fault.
    init(request: Request) throws {
        self.init()
        let query = request.query
        func number(_ name: String) throws -> Double? {
            guard let text: String = query[name] else { return nil }
            guard let value = Double(text), value.isFinite else { throw Abort(.badRequest, reason: "\(name) '\(text.prefix(40))' is not a number") }
            return value
        }
        func whole(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text: String = query[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw Abort(.badRequest, reason: "\(name) '\(text.prefix(40))' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let near: GeoPoint?
        if let text: String = query["near"] {
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let lat = parts[0], let lon = parts[1], GeoPoint(latitude: lat, longitude: lon).isValid else {
                throw Abort(.badRequest, reason: "near '\(text.prefix(60))' must be LAT,LON in degrees (e.g. near=37.4979,127.0276)")
            }
            near = GeoPoint(latitude: lat, longitude: lon)
        } else { near = nil }
        let radius = try number("radius")
        let k = try whole("k", 1...CameraQuery.maximumLimit)
        let bboxText: String? = query["bbox"]
        switch (near, radius, k, bboxText) {
        case (nil, nil, nil, nil):
            area = .everywhere
        case (nil, nil, nil, let box?):
            do { area = .box(try GeoBoundingBox(parsing: box)) } catch { throw Abort(.badRequest, reason: error.description) }
        case (let centre?, let metres?, nil, nil):
            guard metres > 0, metres <= 100_000 else { throw Abort(.badRequest, reason: "radius must be more than 0 and at most 100000 metres") }
            area = .radius(centre: centre, metres: metres)
        case (let centre?, nil, let count?, nil):
            area = .nearest(centre: centre, count: count)
        case (_?, nil, nil, nil):
            throw Abort(.badRequest, reason: "near needs radius=METRES or k=COUNT")
        case (nil, _, _, nil):
            throw Abort(.badRequest, reason: "radius and k need near=LAT,LON")
        default:
            throw Abort(.badRequest, reason: "use one of near+radius, near+k or bbox, not several")
        }
        let purposeValues = (try? query.get([String].self, at: "purpose")) ?? []
        for code in purposeValues.flatMap({ $0.split(separator: ",").map(String.init) }) where !code.isEmpty {
            guard CameraPurpose(code: code) != nil || code == "other" else {
                throw Abort(.badRequest, reason: "unknown purpose '\(code.prefix(40))' (purposes: \((CameraPurpose.standard.map(\.code) + ["other"]).joined(separator: ", ")))")
            }
            purposes.insert(code)
        }
        if let q: String = query["q"] {
            guard q.count <= 200 else { throw Abort(.badRequest, reason: "q must be at most 200 characters") }
            text = q
        }
        offset = try whole("offset", 0...Int(Int32.max)) ?? 0
        limit = try whole("limit", 1...CameraQuery.maximumLimit) ?? 100
    }
}
