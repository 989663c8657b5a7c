/// The bytes served at a recording's URL.
public enum RecordingContent: Sendable, Equatable {
    /// These exact bytes (e.g. one of ``DemoAudio/mp3``).
    case bytes([UInt8])
    /// A WAV file (44-byte RIFF header, 8-bit unsigned mono PCM at 8000 Hz) whose
    /// sample data is a deterministic pseudo-random pattern of `dataSize` bytes
    /// from `seed`, so any offset can be checked. Total size = 44 + dataSize.
    ///
    /// Data byte `i` is byte `i % 8` (little-endian) of the 64-bit word
    /// `RecordingContent.patternWord(seed:index: i / 8)`. Nothing is ever
    /// materialized beyond the range asked for.
    case wavPattern(seed: UInt64, dataSize: Int)

    /// Size of the RIFF/WAVE header that precedes the pattern data.
    public static let wavHeaderSize = 44
    /// Sample rate of the pattern WAV files (8-bit mono, so also bytes per second).
    public static let wavSampleRate = 8000

    /// Total size in bytes.
    public var size: Int {
        switch self {
        case .bytes(let bytes): return bytes.count
        case .wavPattern(_, let dataSize): return Self.wavHeaderSize + max(0, dataSize)
        }
    }

    /// The bytes at `range`, clamped to `0..<size`.
    ///
    /// Generates only the requested bytes, 8 bytes per mixing step, so reading
    /// any window of a large pattern file is cheap.
    public func bytes(in range: Range<Int>) -> [UInt8] {
        let clamped = range.clamped(to: 0..<size)
        guard !clamped.isEmpty else { return [] }
        return [UInt8](unsafeUninitializedCapacity: clamped.count) { buffer, initialized in
            copyBytes(in: clamped, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = clamped.count
        }
    }

    /// Writes the bytes at `range` (which must lie within `0..<size`) to the
    /// start of `destination`, which must hold at least `range.count` bytes.
    func copyBytes(in range: Range<Int>, into destination: UnsafeMutableRawBufferPointer) {
        precondition(range.lowerBound >= 0 && range.upperBound <= size, "range outside the content")
        precondition(destination.count >= range.count, "destination too small")
        guard !range.isEmpty, let base = destination.baseAddress else { return }
        switch self {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { source in
                base.copyMemory(from: source.baseAddress! + range.lowerBound, byteCount: range.count)
            }
        case .wavPattern(let seed, let dataSize):
            var out = 0
            var offset = range.lowerBound
            if offset < Self.wavHeaderSize {
                let header = Self.wavHeader(dataSize: dataSize)
                let end = min(range.upperBound, Self.wavHeaderSize)
                for index in offset..<end {
                    base.storeBytes(of: header[index], toByteOffset: out, as: UInt8.self)
                    out += 1
                }
                offset = end
            }
            guard offset < range.upperBound else { return }
            Self.copyPattern(
                seed: seed,
                dataRange: (offset - Self.wavHeaderSize)..<(range.upperBound - Self.wavHeaderSize),
                into: base + out
            )
        }
    }

    /// Writes pattern data bytes `dataRange` to `destination`.
    private static func copyPattern(seed: UInt64, dataRange: Range<Int>, into destination: UnsafeMutableRawPointer) {
        var position = dataRange.lowerBound
        let end = dataRange.upperBound
        var out = 0
        // Leading partial word.
        let lead = position & 7
        if lead != 0 {
            let word = patternWord(seed: seed, index: UInt64(position >> 3))
            let count = min(8 - lead, end - position)
            for byte in 0..<count {
                destination.storeBytes(of: UInt8(truncatingIfNeeded: word >> UInt64(8 * (lead + byte))), toByteOffset: out + byte, as: UInt8.self)
            }
            out += count
            position += count
        }
        // Whole words.
        var index = UInt64(position >> 3)
        while position + 8 <= end {
            destination.storeBytes(of: patternWord(seed: seed, index: index).littleEndian, toByteOffset: out, as: UInt64.self)
            index &+= 1
            out += 8
            position += 8
        }
        // Trailing partial word.
        if position < end {
            let word = patternWord(seed: seed, index: index)
            for byte in 0..<(end - position) {
                destination.storeBytes(of: UInt8(truncatingIfNeeded: word >> UInt64(8 * byte)), toByteOffset: out + byte, as: UInt8.self)
            }
        }
    }

    /// The pattern's 64-bit word number `index` for `seed` (splitmix64 finalizer).
    @inline(__always)
    public static func patternWord(seed: UInt64, index: UInt64) -> UInt64 {
        var z = seed &* 0xD1B5_4A32_D192_ED03 &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The 44-byte RIFF/WAVE header for `dataSize` bytes of 8-bit mono PCM at 8000 Hz.
    public static func wavHeader(dataSize: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(wavHeaderSize)
        func append(_ text: String) { header.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: Int) {
            let value = UInt32(truncatingIfNeeded: value)
            for shift in stride(from: 0, to: 32, by: 8) { header.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        func append16(_ value: Int) {
            header.append(UInt8(truncatingIfNeeded: value))
            header.append(UInt8(truncatingIfNeeded: value >> 8))
        }
        let dataSize = max(0, dataSize)
        append("RIFF")
        append32(36 + dataSize)
        append("WAVE")
        append("fmt ")
        append32(16)  // fmt chunk size
        append16(1)  // PCM
        append16(1)  // mono
        append32(wavSampleRate)  // sample rate
        append32(wavSampleRate)  // byte rate (8-bit mono)
        append16(1)  // block align
        append16(8)  // bits per sample
        append("data")
        append32(dataSize)
        return header
    }
}
