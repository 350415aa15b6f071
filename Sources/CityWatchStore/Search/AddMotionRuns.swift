import CityWatchDomain
import FluentKit
import Foundation

/// Adds the per-cell runs of seconds to every camera-hour of the motion index and fills them in
/// from the stored minutes, so motion searches read one row a camera-hour.
struct AddMotionRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MotionHourModel.schema).field("runs", .data).update()
        let index = SearchIndexRepository(database: database)
        for hour in try await MotionHourModel.query(on: database).all() {
            hour.runs = Data(try await index.runs(camera: hour.cameraID, hour: hour.hourAt).bytes)
            try await hour.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MotionHourModel.schema).deleteField("runs").update()
    }
}
