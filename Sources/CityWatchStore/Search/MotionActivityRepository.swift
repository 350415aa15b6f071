import FluentKit
import Foundation
import SQLKit

/// How much cameras moved: the active seconds of their motion minutes, summed per camera.
public struct MotionActivityRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Per camera, the seconds with motion in minutes starting in `from..<to` (cameras without
    /// motion are left out).
    public func activeSeconds(from: Date, to: Date) async throws -> [UUID: Int] {
        let rows = try await database.sql.select().column("camera_id")
            // PostgreSQL sums integers into numeric: cast back.
            .column(SQLRaw("CAST(SUM(active_seconds) AS BIGINT)"), as: "seconds")
            .from(MotionMinuteModel.schema)
            .where("minute_at", .greaterThanOrEqual, SQLBind(from)).where("minute_at", .lessThan, SQLBind(to))
            .groupBy("camera_id").all()
        var seconds: [UUID: Int] = [:]
        for row in rows {
            let camera = try row.decode(column: "camera_id", as: UUID.self)
            seconds[camera] = try row.decode(column: "seconds", as: Int.self)
        }
        return seconds
    }
}
