/// A segment's transcript as a WebVTT file, next to the segment's audio, so players
/// show the dialogue as captions.
///
/// ```
/// WEBVTT
///
/// 00:00:05.123 --> 00:00:10.123
/// <v Ann Lee>Hello, world!
///
/// ```
///
/// Each cue's text and speaker are put on one line (``ContentText/singleLine(_:)``):
/// a blank line would end the cue, and a line holding `-->` would be parsed as a new
/// cue's timing. `&`, `<` and `>` are escaped as `&amp;`, `&lt;`, `&gt;`, so no text
/// can open a tag, end the voice annotation or form `-->`. Cues whose text is blank
/// are skipped.
enum WebVTT {
    /// The file's text, or nil when there is no cue to show (then the file does not
    /// exist). Deterministic: the same cues give the same bytes.
    ///
    /// Times are rounded to the millisecond. WebVTT requires a cue's end to be after its
    /// start, so a cue that would end when it starts (a zero-length dialogue entry) ends
    /// one millisecond later.
    static func render(cues: [TranscriptCue]) -> String? {
        var body = ""
        for cue in cues {
            let text = ContentText.singleLine(cue.text)
            guard !text.isEmpty else { continue }
            let start = milliseconds(cue.start)
            let end = max(start + 1, milliseconds(cue.end))
            body += "\(timestamp(start)) --> \(timestamp(end))\n"
            let speaker = ContentText.singleLine(cue.speaker)
            if !speaker.isEmpty { body += "<v \(escape(speaker))>" }
            body += escape(text) + "\n\n"
        }
        guard !body.isEmpty else { return nil }
        return "WEBVTT\n\n" + body
    }

    /// `HH:MM:SS.mmm`, the hours at least two digits (more past 99 h).
    static func timestamp(_ milliseconds: Int) -> String {
        let ms = max(0, milliseconds)
        let hours = ms / 3_600_000
        let minutes = ms / 60_000 % 60
        let seconds = ms / 1000 % 60
        return "\(ContentText.pad(hours, 2)):\(ContentText.pad(minutes, 2)):\(ContentText.pad(seconds, 2)).\(ContentText.pad(ms % 1000, 3))"
    }

    /// Seconds → whole milliseconds, rounded (half away from zero); negative or
    /// non-finite → 0.
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        let value = (seconds * 1000).rounded()
        return value >= Double(Int.max / 2) ? Int.max / 2 : Int(value)
    }

    /// Escapes the characters WebVTT cue text gives meaning to.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
