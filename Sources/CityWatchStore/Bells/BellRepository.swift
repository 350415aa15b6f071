import CityWatchDomain
import FluentKit
import Foundation

/// Reads and writes the emergency-bell registry. Bells are keyed by ``BellRecord/key``.
public struct BellRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// What a batch of upserts did.
    public struct Outcome: Sendable, Equatable {
        public var added = 0
        public var changed = 0
        public var unchanged = 0

        public init() {}
    }

    /// Inserts new bells and updates those whose key is already stored; a bell whose fields are
    /// all the same is left alone (its `updated_at` does not move).
    public func upsert(_ records: [BellRecord], now: Date) async throws -> Outcome {
        var outcome = Outcome()
        var existing: [String: BellModel] = [:]
        for chunk in stride(from: 0, to: records.count, by: 500).map({ records[$0..<min($0 + 500, records.count)] }) {
            let models = try await BellModel.query(on: database).filter(\.$key ~~ chunk.map(\.key)).all()
            for model in models { existing[model.key] = model }
        }
        for record in records {
            if let model = existing[record.key] {
                guard model.record != record else {
                    outcome.unchanged += 1
                    continue
                }
                model.assign(record)
                model.updatedAt = now
                try await model.update(on: database)
                outcome.changed += 1
            } else {
                let model = BellModel()
                model.assign(record)
                model.createdAt = now
                model.updatedAt = now
                try await model.create(on: database)
                existing[record.key] = model
                outcome.added += 1
            }
        }
        return outcome
    }

    /// Every bell, in key order.
    public func all() async throws -> [Bell] {
        try await BellModel.query(on: database).sort(\.$key).all().map { try $0.bell }
    }

    /// Gives bells new keys, remembering the old one as their former key; returns how many moved.
    public func rekey(_ moves: [BellRekeying.Move]) async throws -> Int {
        var moved = 0
        for move in moves {
            guard let model = try await BellModel.find(move.bell, on: database), model.key == move.from else { continue }
            model.key = move.to
            model.formerKey = move.from
            try await model.update(on: database)
            moved += 1
        }
        return moved
    }

    /// The bells with these ids, by id (those that are gone are left out).
    public func bells(ids: Set<UUID>) async throws -> [UUID: Bell] {
        guard !ids.isEmpty else { return [:] }
        let models = try await BellModel.query(on: database).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(try models.map { (try $0.requireID(), try $0.bell) }, uniquingKeysWith: { first, _ in first })
    }

    /// Number of bells stored.
    public func count() async throws -> Int {
        try await BellModel.query(on: database).count()
    }

    /// Every bell's key, in order.
    public func keys() async throws -> [String] {
        try await BellModel.query(on: database).sort(\.$key).all(\.$key)
    }

    /// Removes the bells with these keys, with their keys, press log and drill windows; returns
    /// how many went.
    public func delete(keys: [String]) async throws -> Int {
        var removed = 0
        for chunk in stride(from: 0, to: keys.count, by: 500) {
            let some = Array(keys[chunk..<min(chunk + 500, keys.count)])
            let ids = try await BellModel.query(on: database).filter(\.$key ~~ some).all(\.$id)
            guard !ids.isEmpty else { continue }
            // Keys and presses go with the bell (foreign keys); drill windows name it loosely.
            try await BellDrillModel.query(on: database).filter(\.$bellID ~~ ids.map(Optional.some)).delete()
            try await BellModel.query(on: database).filter(\.$id ~~ ids).delete()
            removed += ids.count
        }
        return removed
    }
}
