extension Int {
    /// The number with thousands separators: 1,234,567.
    public var grouped: String {
        let digits = String(magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "-" : "") + out
    }
}

extension String {
    /// Columns the text takes in a terminal: Hangul and other wide characters take two.
    public var terminalWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    /// The text padded with spaces to `columns` terminal columns.
    public func padded(to columns: Int) -> String {
        self + String(repeating: " ", count: max(0, columns - terminalWidth))
    }
}
