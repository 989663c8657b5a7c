/// A raw query string parsed with HTML-form semantics, as the real Quo server
/// does: split on `&` and on the first `=`, turn `+` into a space, then
/// percent-decode. A client that sends an E.164 `+` unencoded thus gets a space.
struct QueryString: Sendable {
    /// Name/value pairs in order of appearance.
    let pairs: [(name: String, value: String)]

    /// Parses `raw` (the part after `?`, without `#fragment`); nil is empty.
    init(_ raw: String?) {
        guard let raw, !raw.isEmpty else {
            pairs = []
            return
        }
        pairs = raw.split(separator: "&", omittingEmptySubsequences: true).map { field in
            if let equals = field.firstIndex(of: "=") {
                return (Self.formDecode(field[..<equals]), Self.formDecode(field[field.index(after: equals)...]))
            }
            return (Self.formDecode(field), "")
        }
    }

    /// All values of `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The first value of `name`.
    func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Whether `name` appears at all.
    func contains(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }

    /// `+` to space, then `%XX` to the byte; malformed escapes are kept as they are.
    static func formDecode(_ text: Substring) -> String {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
