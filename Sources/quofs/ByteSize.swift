import ArgumentParser

/// A byte count written as `268435456`, `256M`, `256MiB`, `1G`, `512K`.
struct ByteSize: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.filter { $0 != " " }.uppercased()
        let digits = text.prefix { $0.isNumber }
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        var unit = text.dropFirst(digits.count)
        if unit.hasSuffix("IB") { unit = unit.dropLast(2) } else if unit.hasSuffix("B") { unit = unit.dropLast() }
        let multiplier: Int
        switch unit {
        case "": multiplier = 1
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        bytes = product
    }

    var defaultValueDescription: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes)"
    }
}
