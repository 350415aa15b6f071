import CityWatchDomain
import FluentKit
import Foundation

/// Reads and writes the emergency-bell registry.
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

    /// Inserts new bells and updates those whose 안전비상벨관리번호 is already stored; a bell
    /// whose fields are all the same is left alone (its `updated_at` does not move).
    public func upsert(_ records: [BellRecord], now: Date) async throws -> Outcome {
        var outcome = Outcome()
        var existing: [String: BellModel] = [:]
        for chunk in stride(from: 0, to: records.count, by: 500).map({ records[$0..<min($0 + 500, records.count)] }) {
            let models = try await BellModel.query(on: database)
                .filter(\.$managementNumber ~~ chunk.map(\.managementNumber)).all()
            for model in models { existing[model.managementNumber] = model }
        }
        for record in records {
            if let model = existing[record.managementNumber] {
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
                existing[record.managementNumber] = model
                outcome.added += 1
            }
        }
        return outcome
    }

    /// Every bell, in management-number order.
    public func all() async throws -> [Bell] {
        try await BellModel.query(on: database).sort(\.$managementNumber).all()
            .map { Bell(id: try $0.requireID(), record: $0.record) }
    }

    /// The bells with these ids, by id (those that are gone are left out).
    public func bells(ids: Set<UUID>) async throws -> [UUID: Bell] {
        guard !ids.isEmpty else { return [:] }
        let models = try await BellModel.query(on: database).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(try models.map { (try $0.requireID(), Bell(id: try $0.requireID(), record: $0.record)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Number of bells stored.
    public func count() async throws -> Int {
        try await BellModel.query(on: database).count()
    }

    /// Every bell's management number, in order.
    public func managementNumbers() async throws -> [String] {
        try await BellModel.query(on: database).sort(\.$managementNumber).all(\.$managementNumber)
    }

    /// Removes the bells with these management numbers, with their keys, press log and drill
    /// windows; returns how many went.
    public func delete(managementNumbers: [String]) async throws -> Int {
        var removed = 0
        for chunk in stride(from: 0, to: managementNumbers.count, by: 500) {
            let numbers = Array(managementNumbers[chunk..<min(chunk + 500, managementNumbers.count)])
            let ids = try await BellModel.query(on: database).filter(\.$managementNumber ~~ numbers).all(\.$id)
            guard !ids.isEmpty else { continue }
            // Keys and presses go with the bell (foreign keys); drill windows name it loosely.
            try await BellDrillModel.query(on: database).filter(\.$bellID ~~ ids.map(Optional.some)).delete()
            try await BellModel.query(on: database).filter(\.$id ~~ ids).delete()
            removed += ids.count
        }
        return removed
    }
}
