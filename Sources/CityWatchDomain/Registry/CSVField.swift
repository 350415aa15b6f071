/// The one way CityWatch writes a CSV field (registry, search results, provision ledger, view
/// log): defused against formula injection, then quoted as RFC 4180 needs.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as
/// a formula, and these files carry text typed by people outside the centre (a police officer's
/// case note, an address, a search query). Such a field gets a leading apostrophe, which
/// spreadsheets show as text. The rule is a bijection, so a file CityWatch wrote reads back
/// exactly (``restored(_:)``, used by the registry importer): a field that already starts with
/// an apostrophe followed by one of those characters or by another apostrophe gets one more.
public enum CSVField {
    /// What a spreadsheet takes for the start of a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// `field` as written: defused, then quoted when needed.
    public static func encode(_ field: String) -> String {
        quote(defused(field))
    }

    /// `field` with an apostrophe in front when a spreadsheet would run it (or when it would
    /// otherwise be mistaken for one defused).
    public static func defused(_ field: String) -> String {
        needsApostrophe(field) ? "'" + field : field
    }

    /// The field as it was before ``defused(_:)``: one leading apostrophe taken off where the
    /// writer added one. Any other text comes back unchanged.
    public static func restored(_ field: String) -> String {
        guard field.first == "'", needsApostrophe(String(field.dropFirst())) else { return field }
        return String(field.dropFirst())
    }

    /// Quotes a field when it holds a comma, quote or line break, or starts or ends with space.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    private static func needsApostrophe(_ field: String) -> Bool {
        guard let first = field.first else { return false }
        if formulaStarts.contains(first) { return true }
        if first == "'", let second = field.dropFirst().first { return formulaStarts.contains(second) || second == "'" }
        return false
    }
}
