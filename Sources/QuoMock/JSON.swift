/// A JSON value with ordered object keys, serialized compactly.
///
/// Used instead of `Codable` so that every documented field is written in a
/// fixed order and absent values are written as `null` rather than omitted.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number with a fraction (written in Swift's shortest round-trip form, e.g. `5.0`,
    /// `114.4`; `null` when not finite).
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// `.string(value)`, or `.null` for nil.
    init(_ value: String?) {
        self = value.map(JSON.string) ?? .null
    }

    /// `.int(value)`, or `.null` for nil.
    init(_ value: Int?) {
        self = value.map(JSON.int) ?? .null
    }

    /// `.double(value)`, or `.null` for nil.
    init(_ value: Double?) {
        self = value.map(JSON.double) ?? .null
    }

    /// An array of strings, or `.null` for nil.
    init(_ values: [String]?) {
        self = values.map { .array($0.map(JSON.string)) } ?? .null
    }

    /// An array of strings.
    init(_ values: [String]) {
        self = .array(values.map(JSON.string))
    }

    static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The compact serialization.
    var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? String(value) : "null"
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(nilLiteral: ()) { self = .null }
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(floatLiteral value: Double) { self = .double(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements) }
}
