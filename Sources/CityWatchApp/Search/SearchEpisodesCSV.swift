import CityWatchDomain
import Foundation

/// Search answers as CSV, for a case file or a spreadsheet: one line an episode, times in
/// Korean time, the camera's address beside its id. UTF-8 with a byte-order mark, so a
/// spreadsheet opens the Korean addresses as text, not as mojibake.
public enum SearchEpisodesCSV {
    public static let header = ["camera_id", "address", "start_kst", "end_kst", "moment_kst", "seconds", "classes", "track_ids", "score"]

    /// The episodes as CSV text (header line first, CRLF line ends).
    public static func text(_ episodes: [SearchEpisode], snapshot: CameraDirectory.Snapshot) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        var lines = [header.joined(separator: ",")]
        for episode in episodes {
            let address = snapshot.camera(episode.cameraID).map { snapshot.site(of: $0).displayAddress } ?? ""
            let fields = [
                episode.cameraID.uuidString, address, formatter.string(from: episode.start), formatter.string(from: episode.end),
                formatter.string(from: episode.moment), String(Int(episode.end.timeIntervalSince(episode.start).rounded())),
                episode.classes.map(\.rawValue).joined(separator: " "), episode.trackIDs.map(String.init).joined(separator: " "),
                String(format: "%.1f", episode.score),
            ]
            lines.append(fields.map(CSVField.encode).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
