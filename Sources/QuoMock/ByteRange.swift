/// The outcome of a `Range` request header against a resource of known size.
enum ByteRange: Equatable, Sendable {
    /// No usable single range (absent, malformed, multiple ranges, other unit):
    /// serve the whole resource with 200.
    case whole
    /// Serve these bytes with 206.
    case partial(Range<Int>)
    /// Serve 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// Interprets `header` (`bytes=a-b`, `bytes=a-`, `bytes=-n`) for `size` bytes.
    static func parse(_ header: String?, size: Int) -> ByteRange {
        guard var spec = header?.trimmingSpaces else { return .whole }
        guard spec.lowercased().hasPrefix("bytes=") else { return .whole }
        spec = String(spec.dropFirst("bytes=".count)).trimmingSpaces
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingSpaces
        let last = spec[spec.index(after: dash)...].trimmingSpaces
        if first.isEmpty {
            // Suffix range: the last n bytes.
            guard let count = Self.number(last) else { return .whole }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - count)..<size)
        }
        guard let start = Self.number(first) else { return .whole }
        var end = size - 1
        if !last.isEmpty {
            guard let value = Self.number(last) else { return .whole }
            guard value >= start else { return .whole }  // invalid: ignore the header
            end = min(value, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .partial(start..<(end + 1))
    }

    /// A non-negative decimal made of digits only.
    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
