import Foundation

/// The provision ledger as CSV for the privacy officer's records: one line a provision, times
/// in Korean time, UTF-8 with a byte-order mark (so a spreadsheet reads the Korean text) and
/// CRLF line ends.
public enum ProvisionLedgerCSV {
    public static let header = [
        "provided_at_kst", "request_id", "recipient", "agency", "case_number", "legal_basis", "legal_basis_detail", "purpose",
        "camera_ids", "from_kst", "to_kst", "requested_by", "approved_by", "exported_by", "export_id", "manifest_sha256", "masked_boxes",
    ]

    /// The entries as CSV text, header first.
    public static func text(_ entries: [ProvisionLedgerEntry]) -> String {
        var lines = [header.joined(separator: ",")]
        for entry in entries {
            let fields = [
                kst(entry.providedAt), entry.requestId.uuidString.lowercased(), entry.recipient, entry.agency, entry.caseNumber,
                entry.legalBasis.koreanName, entry.legalBasisDetail, entry.purpose,
                entry.cameraIds.map { $0.uuidString.lowercased() }.joined(separator: " "), kst(entry.from), kst(entry.to),
                entry.requestedBy, entry.approvedBy, entry.exportedBy, entry.exportId.uuidString.lowercased(), entry.manifestSHA256,
                String(entry.maskedBoxes),
            ]
            lines.append(fields.map(CSVField.encode).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A time in Korean time (UTC+9, no daylight saving), `2026-11-26T18:00:00+09:00`.
    public static func kst(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 9 * 3_600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }
}
