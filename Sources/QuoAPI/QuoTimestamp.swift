#if canImport(Glibc)
import Glibc
#endif

/// An instant parsed from the API's ISO 8601 timestamps (`2022-01-01T00:00:00Z`,
/// `2025-01-10T18:22:11.000Z`, or with a `±HH:MM` offset).
///
/// Parsed by hand: the format is fixed and small, and this avoids locale- and
/// formatter-dependent behaviour.
public struct QuoTimestamp: Sendable, Equatable, Comparable, Hashable {
    /// Seconds since the Unix epoch, UTC.
    public var seconds: Int64
    /// Fraction of the second, in nanoseconds.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Parses an ISO 8601 date-time; `nil` if it is not one.
    public init?(iso8601 text: String) {
        let chars = Array(text.utf8)
        var index = 0

        func number(_ digits: Int) -> Int? {
            guard index + digits <= chars.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let c = chars[index]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                index += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard index < chars.count, chars[index] == c else { return false }
            index += 1
            return true
        }

        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              index < chars.count, chars[index] == 84 || chars[index] == 116 || chars[index] == 32
        else { return nil }
        index += 1
        guard let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }

        var nanos = 0
        if index < chars.count, chars[index] == 46 || chars[index] == 44 {
            index += 1
            var scale = 100_000_000
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                nanos += Int(chars[index] - 48) * scale
                scale /= 10
                index += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
        }

        var offsetSeconds = 0
        if index < chars.count, chars[index] == 90 || chars[index] == 122 {
            index += 1
        } else if index < chars.count, chars[index] == 43 || chars[index] == 45 {
            let sign = chars[index] == 43 ? 1 : -1
            index += 1
            guard let offsetHours = number(2) else { return nil }
            _ = expect(58)
            guard let offsetMinutes = number(2) else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == chars.count else { return nil }

        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let utc = timegm(&parts)
        self.seconds = Int64(utc) - Int64(offsetSeconds)
        self.nanoseconds = Int32(nanos)
    }

    public static func < (lhs: QuoTimestamp, rhs: QuoTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds: what the API sends back).
    public var iso8601: String {
        formatted(timeSeparator: ":", milliseconds: true)
    }

    /// `YYYY-MM-DDTHH<sep>MM<sep>SS[.mmm]Z` in UTC.
    public func formatted(timeSeparator: String, milliseconds: Bool) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let separator = timeSeparator
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2))\(separator)\(pad(Int(parts.tm_min), 2))\(separator)\(pad(Int(parts.tm_sec), 2))"
            + (milliseconds ? ".\(pad(Int(nanoseconds) / 1_000_000, 3))" : "") + "Z"
    }

    /// One millisecond earlier.
    var millisecondEarlier: QuoTimestamp {
        nanoseconds >= 1_000_000
            ? QuoTimestamp(seconds: seconds, nanoseconds: nanoseconds - 1_000_000)
            : QuoTimestamp(seconds: seconds - 1, nanoseconds: nanoseconds + 999_000_000)
    }
}
