import CityWatchAnalytics
import CityWatchDomain
import Foundation

/// `eval --trace`: one line per frame on standard error with the confirmed tracks (id, class,
/// box, frames missed, seconds still), the detector's look (region and what it found) and the
/// events raised — what a person tuning a rule needs to see why it fired or did not.
enum FrameTrace {
    @Sendable static func print(time: Double, analysis: FrameAnalysis, look: DetectorLook?) {
        var line = String(format: "%7.2f", time)
        if analysis.motion != .analysed { line += " (\(analysis.motion))" }
        for track in analysis.tracks where track.isConfirmed {
            let box = track.box
            line += " #\(track.id) \(track.objectClass.rawValue) \(box.x),\(box.y) \(box.width)x\(box.height)"
            if track.missedFrames > 0 { line += " missed \(track.missedFrames)" }
            if track.stillSeconds >= 1 { line += String(format: " still %.0fs", track.stillSeconds) }
            line += ";"
        }
        if let look {
            let region = look.region
            line += " | look \(region.x),\(region.y) \(region.width)x\(region.height):"
            for object in look.objects {
                line += String(format: " %@ %.2f %d,%d %dx%d", object.objectClass.rawValue, object.confidence,
                               object.box.x, object.box.y, object.box.width, object.box.height)
            }
        }
        for event in analysis.events { line += " | EVENT \(event.kind) \(event.ruleName) tracks \(event.trackIDs)" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
