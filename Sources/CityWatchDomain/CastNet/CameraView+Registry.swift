extension CameraView {
    /// Reads the national registry's free-text 촬영방면정보 ("shooting direction") field.
    ///
    /// The field is written by hand: "360도전방면" / "360도 전방면" (all round) make up most of
    /// Gangnam's file, beside compass words ("북측", "남동쪽", "N", "south-east"), degree figures
    /// ("45도", "방향 120°") and places ("탄천", "승강기 내부"). Compass words and figures give a
    /// direction with the typical field of view; a figure of 360, "전방" (all fronts) and anything
    /// not understood give an all-round view, so an unknown camera is never left out of a ring
    /// for looking the wrong way. `recognised` says whether the text meant something.
    public static func parsing(registryText text: String) -> (view: CameraView, recognised: Bool) {
        let folded = String(text.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" })
        guard !folded.isEmpty else { return (.omnidirectional, false) }
        if folded.contains("360") || folded.contains("전방") || folded.contains("전방향") || folded.contains("all") {
            return (.omnidirectional, true)
        }
        if let degrees = leadingDegrees(in: folded) { return (CameraView(direction: degrees), true) }
        if let compass = compassDirection(in: folded) { return (CameraView(direction: compass), true) }
        return (.omnidirectional, false)
    }

    /// The first number in the text, read as a compass bearing, if it is one.
    private static func leadingDegrees(in text: String) -> Double? {
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber || (character == "." && !digits.isEmpty) {
                digits.append(character)
            } else if !digits.isEmpty {
                break
            }
        }
        guard let value = Double(digits), value >= 0, value < 360 else { return nil }
        return value
    }

    /// A compass word in Korean or English: 북측/남동쪽/서방향…, north-east…, or n, ne, … nw.
    private static func compassDirection(in text: String) -> Double? {
        let korean: [(String, Double)] = [
            ("북동", 45), ("동북", 45), ("남동", 135), ("동남", 135), ("남서", 225), ("서남", 225), ("북서", 315), ("서북", 315),
            ("북", 0), ("동", 90), ("남", 180), ("서", 270),
        ]
        // A bare syllable is part of many place names (강남, 동작): only a compass word on its own
        // or followed by 측/쪽/방(향·면) counts.
        for (word, degrees) in korean where text == word || ["측", "쪽", "방"].contains(where: { text.contains(word + $0) }) {
            return degrees
        }
        let english: [(String, Double)] = [
            ("northeast", 45), ("southeast", 135), ("southwest", 225), ("northwest", 315),
            ("north", 0), ("east", 90), ("south", 180), ("west", 270),
        ]
        for (word, degrees) in english where text.contains(word) { return degrees }
        let letters: [String: Double] = ["n": 0, "ne": 45, "e": 90, "se": 135, "s": 180, "sw": 225, "w": 270, "nw": 315]
        return letters[text]
    }
}
