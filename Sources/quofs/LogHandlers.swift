import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Log lines for the systemd journal: `<priority>label: message metadata`, without the
/// timestamp a terminal log carries (the journal stamps every line itself, and the
/// priority prefix sets each line's level; systemd.exec(5), sd-daemon(3)).
struct JournalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let merged = metadata.merging(extra ?? [:]) { _, new in new }
        let fields = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "<\(Self.priority(level))>\(label): \(message)\(fields)\n"
        // One write(2) per line: lines from different threads never interleave.
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// syslog priorities (sd-daemon(3)'s SD_ERR … SD_DEBUG).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Whether stderr goes to the journal: `$JOURNAL_STREAM` (`device:inode`) names the
    /// stream systemd connected, and it is still stderr (not redirected since).
    static func standardErrorIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
