/// Text helpers shared by the renderers of a call directory's text files.
enum ContentText {
    /// `text` on one line: every run of whitespace that contains a line break (`\n`,
    /// `\r\n`, `\r`, U+2028, U+2029, U+0085, VT, FF) becomes a single space, and the
    /// result is trimmed. A line-oriented file (WebVTT, `transcript.txt`, Markdown list
    /// items) must never let a value start a new line: in WebVTT a blank line ends the
    /// cue, and a line of its own holding `-->` would be read as a new cue's timing.
    static func singleLine(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingWhitespace = ""
        var pendingHasNewline = false
        for character in text {
            if character.isNewline || character.isWhitespace {
                pendingWhitespace.append(character)
                if character.isNewline { pendingHasNewline = true }
                continue
            }
            if !pendingWhitespace.isEmpty, !result.isEmpty {
                result += pendingHasNewline ? " " : pendingWhitespace
            }
            pendingWhitespace = ""
            pendingHasNewline = false
            result.append(character)
        }
        return result
    }

    /// `value` with surrounding whitespace removed; nil when nothing is left.
    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let result = trimmed(value)
        return result.isEmpty ? nil : result
    }

    /// `text` without leading and trailing whitespace and line breaks.
    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// `value` padded with leading zeros to at least `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
