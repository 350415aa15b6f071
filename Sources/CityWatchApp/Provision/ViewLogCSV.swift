import CityWatchDomain
import CityWatchStore
import Foundation

/// Audit entries of video access (live, playback, snapshots, frames, exports) as CSV: who saw
/// or took which footage, when. Same conventions as the ledger: Korean time, UTF-8 with BOM, CRLF.
public enum ViewLogCSV {
    public static let header = ["time_kst", "seq", "actor", "action", "target", "camera", "masked", "details"]

    /// The entries as CSV text, in the order given.
    public static func text(_ entries: some Sequence<AuditEntry>) -> String {
        var lines = [header.joined(separator: ",")]
        for entry in entries {
            let details = (try? JSONSerialization.jsonObject(with: Data(entry.details.utf8))) as? [String: Any] ?? [:]
            let camera = (details["camera"] as? String) ?? (details["cameraId"] as? String)
                ?? (details["cameras"] as? [String])?.joined(separator: " ") ?? ""
            let masked = (details["masked"] as? Bool).map { $0 ? "true" : "false" } ?? ""
            let fields = [ProvisionLedgerCSV.kst(entry.time), String(entry.seq), entry.actor, entry.action, entry.target,
                          camera, masked, entry.details]
            lines.append(fields.map(CSVField.encode).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
