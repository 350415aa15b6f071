import CityWatchDomain
import FluentKit
import Foundation

/// Adds the per-cell runs of seconds to every camera-hour of the motion index and fills them in
/// from the stored minutes, so motion searches read one row a camera-hour.
struct AddMotionRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MotionHourModel.schema).field("runs", .data).update()
        let index = SearchIndexRepository(database: database)
        let hours = try await MotionHourModel.query(on: database).all()
        for (done, hour) in hours.enumerated() {
            hour.runs = Data(try await index.runs(camera: hour.cameraID, hour: hour.hourAt).bytes)
            try await hour.save(on: database)
            // A district's months of metadata take a while: say how far it has got.
            if (done + 1) % 1_000 == 0 || done + 1 == hours.count {
                database.logger.notice("search index: cell runs of \(done + 1) of \(hours.count) camera-hours built from their minutes")
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MotionHourModel.schema).deleteField("runs").update()
    }
}
