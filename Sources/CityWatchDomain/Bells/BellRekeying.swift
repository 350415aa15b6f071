import Foundation

/// Moves bells keyed by their installer's number onto the rows of a file that has 관리번호.
///
/// Bells imported from a file without 관리번호 — and every bell imported before bells were keyed
/// by it — are keyed by their 안전비상벨관리번호. When a file with 관리번호 comes, each such bell
/// is the row that carries its number: it takes that row's 관리번호 as its key, and keeps its id,
/// so its press secret, press log and drill windows stay with it (otherwise it would be reported
/// missing and its row added as a new bell without a secret). Where the number is on several
/// rows (several installers used it; the earlier import kept one of them) the row nearest the
/// stored bell is taken, the first in the file on a tie.
///
/// Pure: the importer reads the stored bells, asks for the moves and carries them out before
/// updating the bells from the file.
public enum BellRekeying {
    /// One bell to re-key.
    public struct Move: Equatable, Sendable {
        public var bell: UUID
        /// Its key now (its 안전비상벨관리번호).
        public var from: String
        /// The 관리번호 of the file's row that is this bell.
        public var to: String

        public init(bell: UUID, from: String, to: String) {
            self.bell = bell
            self.from = from
            self.to = to
        }
    }

    /// The moves for the stored bells `stored` (every one: a row whose 관리번호 some bell already
    /// has is that bell, not a new home) and the file's valid rows `incoming`.
    public static func moves(stored: [Bell], incoming: [BellRecord]) -> [Move] {
        let storedKeys = Set(stored.map(\.record.key))
        let fileKeys = Set(incoming.map(\.key))
        // Rows with 관리번호 that no stored bell has as its key yet, by their installer's number.
        var rows: [String: [(index: Int, record: BellRecord)]] = [:]
        for (index, record) in incoming.enumerated()
        where !record.rowKey.isEmpty && !record.managementNumber.isEmpty && !storedKeys.contains(record.key) {
            rows[record.managementNumber, default: []].append((index, record))
        }
        var taken = Set<Int>()
        var moves: [Move] = []
        // A bell the file still names by its number (a row without 관리번호) stays as it is.
        for bell in stored.sorted(by: { $0.record.key < $1.record.key })
        where bell.record.rowKey.isEmpty && !fileKeys.contains(bell.record.key) {
            let candidates = (rows[bell.record.key] ?? []).filter { !taken.contains($0.index) }
            guard let nearest = candidates.min(by: { a, b in
                let (da, db) = (a.record.point.distance(to: bell.record.point), b.record.point.distance(to: bell.record.point))
                return da != db ? da < db : a.index < b.index
            }) else { continue }
            taken.insert(nearest.index)
            moves.append(Move(bell: bell.id, from: bell.record.key, to: nearest.record.key))
        }
        return moves
    }
}
