import QuoAPI

#if canImport(Glibc)
import Glibc
#endif

/// How API objects become path names. Pure functions; the README's "Layout and naming"
/// documents the rules.
///
/// Names are built from stable identifiers (E.164 numbers, creation times, ids), never
/// from display names, so renaming a line or a contact never renames a path (and never
/// makes rsync copy everything again). Names never contain `/`, NUL or other control
/// characters, are never `.` or `..`, and never exceed 255 bytes, whatever the API sends.
public enum Naming {
    /// The longest name Linux filesystems accept, in bytes.
    public static let maxNameBytes = 255

    /// Makes any text a safe single path component.
    public static func sanitize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "/" || scalar.value < 0x20 || scalar.value == 0x7F {
                scalars.append("_")
            } else {
                scalars.append(scalar)
            }
        }
        var name = String(scalars)
        if name.isEmpty || name == "." || name == ".." { name = "_" + name }
        return truncate(name, toBytes: maxNameBytes)
    }

    /// `YYYY-MM-DDTHH-MM-SSZ` in UTC: sorts by time, no colons (survives exFAT and SMB).
    public static func timestampName(_ timestamp: QuoTimestamp) -> String {
        timestamp.formatted(timeSeparator: "-", milliseconds: false)
    }

    /// The root directory holding calls on no workspace number. Workspace numbers are
    /// E.164 (`+…`), so it can never clash with one.
    public static let unassignedDirectoryName = "_unassigned"

    /// The directory of calls among workspace members only (no external party).
    public static let internalCallsName = "_internal"

    /// A call group's directory: its external parties (sorted, as the API sends them:
    /// E.164, `anonymous`, short codes…) joined with `,`. For a 1:1 call, the one
    /// participant's number.
    public static func participantsDirectoryName(_ parties: [String]) -> String {
        parties.isEmpty ? internalCallsName : sanitize(parties.joined(separator: ","))
    }

    /// `voicemail.<ext>`: the extension from the audio URL's path, else `.mp3`, the
    /// only type Quo's examples show for voicemails (they carry no MIME type).
    public static func voicemailAudioName(url: String?) -> String {
        "voicemail" + (url.flatMap(urlExtension) ?? ".mp3")
    }

    /// The voicemail's transcript beside its audio.
    public static let voicemailTranscriptName = "voicemail.txt"

    /// Sorts names by their UTF-8 bytes, as `ls` in the C locale and rsync do, so that
    /// every walker's order is the listing's order.
    public static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `<creation time>_<call id>`, e.g. `2025-01-12T09-14-33Z_AC3700e6…`.
    public static func callDirectoryName(_ call: Call) -> String {
        let time = call.createdAt.flatMap(QuoTimestamp.init(iso8601:)).map(timestampName) ?? "unknown-time"
        return sanitize("\(time)_\(call.id)")
    }

    /// The file extension (with its dot) for a recording: from its MIME type, else from
    /// its URL's path, else `.bin`.
    public static func fileExtension(type: String?, url: String?) -> String {
        if let type {
            let essence = type.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? ""
            if let known = extensionsByType[essence] { return known }
        }
        if let url, let fromURL = urlExtension(url) { return fromURL }
        return ".bin"
    }

    /// The file names of a call's available segments, in the same order.
    ///
    /// A segment is named by its start time (UTC, to the second) plus the extension of its
    /// type. Segments that would share a name (same start second) are ordered by their full
    /// start time then id; the first keeps the plain name and the others get `_2`, `_3`, …
    /// A segment with no start time is named `unknown-start_<id>`.
    public static func segmentNames(_ recordings: [CallRecording]) -> [String] {
        let bases: [String] = recordings.map { recording in
            let ext = fileExtension(type: recording.type, url: recording.url)
            let stem = recording.startTime.flatMap(QuoTimestamp.init(iso8601:)).map(timestampName)
                ?? "unknown-start_\(recording.id)"
            return sanitize(truncate(stem, toBytes: maxNameBytes - ext.utf8.count) + ext)
        }
        // Order inside each group of equal names: full start time, then id.
        let order = recordings.indices.sorted { a, b in
            let ta = recordings[a].startTime.flatMap(QuoTimestamp.init(iso8601:))
            let tb = recordings[b].startTime.flatMap(QuoTimestamp.init(iso8601:))
            if ta != tb, let ta, let tb { return ta < tb }
            return (recordings[a].id, a) < (recordings[b].id, b)
        }
        var names = bases
        var taken: Set<String> = []
        var counts: [String: Int] = [:]
        for index in order {
            let base = bases[index]
            counts[base, default: 0] += 1
            var n = counts[base]!
            var name = n == 1 ? base : suffixed(base, n)
            while taken.contains(name) {
                n += 1
                name = suffixed(base, n)
            }
            taken.insert(name)
            names[index] = name
        }
        return names
    }

    /// Makes names unique by suffixing later duplicates with `_2`, `_3`, … (keeps order).
    public static func uniqued(_ names: [String]) -> [String] {
        var taken: Set<String> = []
        return names.map { base in
            var name = base
            var n = 2
            while taken.contains(name) {
                name = suffixed(base, n)
                n += 1
            }
            taken.insert(name)
            return name
        }
    }

    // MARK: Helpers

    static let extensionsByType: [String: String] = [
        "audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/mpeg3": ".mp3", "audio/x-mpeg-3": ".mp3",
        "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav", "audio/vnd.wave": ".wav",
        "audio/ogg": ".ogg", "audio/opus": ".opus",
        "audio/mp4": ".m4a", "audio/x-m4a": ".m4a", "audio/aac": ".aac",
        "audio/webm": ".webm", "audio/flac": ".flac", "audio/x-flac": ".flac",
    ]

    /// `name_2.mp3` for `name.mp3`.
    static func suffixed(_ name: String, _ n: Int) -> String {
        let suffix = "_\(n)"
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let stem = String(name[..<dot])
            let ext = String(name[dot...])
            return truncate(stem, toBytes: maxNameBytes - ext.utf8.count - suffix.utf8.count) + suffix + ext
        }
        return truncate(name, toBytes: maxNameBytes - suffix.utf8.count) + suffix
    }

    /// The extension of the last path component of `url`, if it looks like one (1–5
    /// ASCII letters or digits).
    static func urlExtension(_ url: String) -> String? {
        var path = Substring(url)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        if let scheme = path.range(of: "://") { path = path[scheme.upperBound...] }
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let last = path[path.index(after: slash)...]
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return nil }
        let ext = last[last.index(after: dot)...]
        guard (1...5).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        return "." + ext.lowercased()
    }

    /// Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character.
    static func truncate(_ text: String, toBytes bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            result.append(character)
            used += size
        }
        return result
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
