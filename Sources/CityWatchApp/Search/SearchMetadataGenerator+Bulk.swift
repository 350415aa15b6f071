import CityWatchAnalytics
import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import SQLKit

extension SearchMetadataGenerator {
    /// Writes many cameras' metadata fast (multi-row inserts, 500 rows a statement, one
    /// transaction per camera), with exactly the index columns the analytics writer stores:
    /// for scale tests and the benchmark, where a row-at-a-time write would take hours.
    public static func storeBulk(_ day: CameraDay, camera: UUID, on database: any Database) async throws {
        try await database.writeTransaction { database in
            let sql = database.sql
            var hours: [Date: GridCells] = [:]
            var runs: [Date: CellRuns] = [:]
            for chunk in stride(from: 0, to: day.minutes.count, by: 500) {
                var insert = sql.insert(into: MotionMinuteModel.schema)
                    .columns("id", "camera_id", "minute_at", "active_seconds", "summary", "seconds", "cells0", "cells1", "cells2")
                for minute in day.minutes[chunk..<min(chunk + 500, day.minutes.count)] {
                    guard let summary = minute.summary else { continue }
                    let at = Date(timeIntervalSince1970: TimeInterval(minute.minute * 60))
                    let cells = GridCells(values: summary.cells)
                    let hour = SearchIndexRepository.hour(of: at)
                    hours[hour, default: .none] = hours[hour, default: .none].union(cells)
                    minute.addRuns(to: &runs[hour, default: CellRuns()])
                    let (w0, w1, w2) = cells.stored
                    insert = insert.values([SQLBind(UUID()), SQLBind(camera), SQLBind(at), SQLBind(minute.grids.count), SQLBind(Data(summary.bytes)),
                                            SQLBind(Data(minute.secondsBytes)), SQLBind(w0), SQLBind(w1), SQLBind(w2)])
                }
                try await insert.run()
            }
            let hourList = hours.sorted { $0.key < $1.key }
            for chunk in stride(from: 0, to: hourList.count, by: 500) {
                var insert = sql.insert(into: MotionHourModel.schema).columns("id", "camera_id", "hour_at", "cells0", "cells1", "cells2", "runs")
                for (hour, cells) in hourList[chunk..<min(chunk + 500, hourList.count)] {
                    let (w0, w1, w2) = cells.stored
                    insert = insert.values([SQLBind(UUID()), SQLBind(camera), SQLBind(hour), SQLBind(w0), SQLBind(w1), SQLBind(w2),
                                            SQLBind(Data(runs[hour, default: CellRuns()].bytes))])
                }
                try await insert.run()
            }
            for chunk in stride(from: 0, to: day.tracks.count, by: 500) {
                var insert = sql.insert(into: TrackSummaryModel.schema)
                    .columns("id", "camera_id", "track_id", "class", "start_at", "end_at", "path", "color", "direction", "speed",
                             "cells0", "cells1", "cells2", "height", "seconds")
                for track in day.tracks[chunk..<min(chunk + 500, day.tracks.count)] {
                    let (w0, w1, w2) = track.cells.stored
                    insert = insert.values([
                        SQLBind(UUID()), SQLBind(camera), SQLBind(track.trackID), SQLBind(track.objectClass.rawValue), SQLBind(track.start),
                        SQLBind(track.end), SQLBind(Data(ImageBox.pack(track.path))), SQLBind(track.color), SQLBind(track.direction),
                        SQLBind(track.speed), SQLBind(w0), SQLBind(w1), SQLBind(w2), SQLBind(track.typicalHeight),
                        SQLBind(track.end.timeIntervalSince(track.start)),
                    ])
                }
                try await insert.run()
            }
        }
    }
}
