import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import Foundation

/// The import report as the terminal shows it.
struct ImportReportText {
    let report: ImportReport
    let errorsFile: String?

    var text: String {
        var lines: [String] = []
        let r = report
        lines.append(r.dryRun ? "Dry run — nothing was written." : "Import complete.")
        lines.append("  file: \(r.layout == .current18 ? "current 18-column layout" : "legacy 13-column layout"), \(r.encoding.rawValue)")
        if !r.ignoredColumns.isEmpty { lines.append("  ignored columns: \(r.ignoredColumns.joined(separator: ", "))") }
        lines.append("  rows: \(r.rowsRead.grouped) read, \(r.validRows.grouped) valid, \(r.badRowCount.grouped) bad")
        lines.append("  sites: \(r.added.grouped) added, \(r.changed.grouped) changed, \(r.unchanged.grouped) unchanged, \(r.missing.grouped) missing from the file"
            + (r.pruned > 0 ? ", \(r.pruned.grouped) removed" : (r.missing > 0 ? " (kept; --prune removes them)" : "")))
        lines.append("  registry \(r.dryRun ? "would hold" : "now holds"): \(r.sites.grouped) sites, \(r.cameras.grouped) cameras")
        lines.append("  cameras in the file by purpose:")
        let names = Dictionary(uniqueKeysWithValues: (CameraPurpose.standard + [.other("")]).map { ($0.code, $0) })
        for (code, count) in r.camerasByPurpose.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            let purpose = names[code]
            let label = purpose.map { $0.koreanName.isEmpty ? "기타 (other)" : "\($0.koreanName) (\($0.englishName.lowercased()))" } ?? code
            lines.append("    \(label.padded(to: 40)) \(count.grouped)")
        }
        if r.badRowCount > 0 {
            lines.append("  bad rows:")
            for row in r.badRows.prefix(20) { lines.append("    line \(row.line): \(row.reason)") }
            if r.badRowCount > 20 {
                lines.append("    … and \((r.badRowCount - 20).grouped) more" + (errorsFile.map { " (all in \($0))" } ?? " (--errors FILE lists them all)"))
            }
        }
        if r.warningCount > 0 {
            lines.append("  warnings (rows kept):")
            for row in r.warnings.prefix(10) { lines.append("    line \(row.line): \(row.reason)") }
            if r.warningCount > 10 { lines.append("    … and \((r.warningCount - 10).grouped) more (--json lists the first 200)") }
        }
        return lines.joined(separator: "\n")
    }
}
