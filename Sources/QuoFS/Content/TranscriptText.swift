/// The whole call's transcript as plain text, one line per dialogue entry:
///
/// ```
/// [00:00:05] Ann Lee: Hello, world!
/// ```
///
/// Times are from the start of the call's first segment (``CallTimeline/lines``), the
/// hours at least two digits, seconds truncated. Speaker and text are put on one line
/// (``ContentText/singleLine(_:)``), so each entry is exactly one line; entries with
/// blank text are skipped.
enum TranscriptText {
    /// The file's text (final newline), or nil when there is no entry to show.
    static func render(lines: [TranscriptCue]) -> String? {
        var result = ""
        for line in lines {
            let text = ContentText.singleLine(line.text)
            guard !text.isEmpty else { continue }
            let speaker = ContentText.singleLine(line.speaker)
            result += "[\(timestamp(line.start))] \(speaker.isEmpty ? PeopleDirectory.unknownSpeaker : speaker): \(text)\n"
        }
        return result.isEmpty ? nil : result
    }

    /// `HH:MM:SS`, seconds truncated, the hours at least two digits.
    static func timestamp(_ seconds: Double) -> String {
        let whole = seconds.isFinite && seconds > 0 ? Int(min(seconds, Double(Int.max / 2)).rounded(.down)) : 0
        return "\(ContentText.pad(whole / 3600, 2)):\(ContentText.pad(whole / 60 % 60, 2)):\(ContentText.pad(whole % 60, 2))"
    }
}
