import CityWatchDomain
import CityWatchMedia
import Foundation

/// What a download of an evidence export may hold follows the downloader's role, not the
/// exporter's: an export made by an administrator or a privacy officer shows what privacy masks
/// hide, so a role that may not see behind masks (an operator) may not download it. Pure.
public enum EvidenceDownloadPolicy {
    /// Why a download was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The export holds camera `camera`'s video without its masks.
        case unmasked(camera: UUID, role: Role)

        public var description: String {
            switch self {
            case .unmasked(let camera, let role):
                "this export holds camera \(camera)'s video without its privacy masks, which a \(role.rawValue) may not see; export the footage yourself (your export is masked)"
            }
        }
    }

    /// Throws when `role` may not download `manifest`: a clip neither masked nor blurred of a
    /// camera that has privacy masks (`masked(camera)` says whether it has any now — masks
    /// drawn since the export count, which errs on the side of hiding).
    public static func check(_ manifest: EvidenceManifest, role: Role, hasMasks: (UUID) async throws -> Bool) async throws {
        guard !role.seesBehindPrivacyMasks else { return }
        for clip in manifest.cameras where clip.masked != true && (clip.blurred ?? []).isEmpty {
            if try await hasMasks(clip.cameraId) { throw Refusal.unmasked(camera: clip.cameraId, role: role) }
        }
    }
}
