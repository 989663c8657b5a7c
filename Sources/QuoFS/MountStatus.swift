import Foundation

/// What `quofs status` shows of one running mount: the daemon's answer on its status
/// socket (``StatusSocket``), as JSON with the stable snake_case keys of
/// ``CodingKeys`` (documented in the README's "Status" section), or as aligned
/// `key: value` lines (``humanReadable``).
public struct MountStatus: Sendable, Equatable, Codable {
    /// The mount point, absolute.
    public var mountPoint: String
    /// The daemon's status socket.
    public var socketPath: String
    /// The daemon's process id.
    public var pid: Int
    /// Seconds since the daemon started serving the mount.
    public var uptimeSeconds: Int
    /// The API version spoken (`2026-03-30`, `v1`).
    public var apiVersion: String
    /// The API base URL (never with a key).
    public var apiURL: String
    /// The API's host, with the port when the URL names one.
    public var apiHost: String
    public var apiRequestsSent: Int
    public var apiRequestsLastMinute: Int
    /// ``apiRequestsLastMinute`` / 60, rounded to 3 decimals.
    public var apiRequestsPerSecond: Double
    public var api429s: Int
    public var apiRetries: Int
    public var listingsKnown: Int
    public var callsKnown: Int
    /// The catalog's database file, or nil when the mount has none.
    public var catalogPath: String?
    /// The catalog's size on disk (database and write-ahead log), or nil when it has none.
    public var catalogBytes: Int?
    public var blockCacheBytes: Int
    public var blockCacheBudgetBytes: Int
    public var blockCacheHits: Int
    public var blockCacheMisses: Int
    /// Hits / (hits + misses), rounded to 4 decimals; nil before the first read.
    public var blockCacheHitRatio: Double?
    public var openFiles: Int
    public var recordingBytesRead: Int
    public var readErrors: Int
    public var recordingRequests: Int
    /// Readahead across files: walks recognized, files fetched ahead, hits, wasted.
    public var walksRecognized: Int
    public var filesFetchedAhead: Int
    public var filesAheadHits: Int
    public var filesAheadWasted: Int

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case mountPoint = "mount_point"
        case socketPath = "socket_path"
        case pid
        case uptimeSeconds = "uptime_seconds"
        case apiVersion = "api_version"
        case apiURL = "api_url"
        case apiHost = "api_host"
        case apiRequestsSent = "api_requests_sent"
        case apiRequestsLastMinute = "api_requests_last_minute"
        case apiRequestsPerSecond = "api_requests_per_second"
        case api429s = "api_429s"
        case apiRetries = "api_retries"
        case listingsKnown = "listings_known"
        case callsKnown = "calls_known"
        case catalogPath = "catalog_path"
        case catalogBytes = "catalog_bytes"
        case blockCacheBytes = "block_cache_bytes"
        case blockCacheBudgetBytes = "block_cache_budget_bytes"
        case blockCacheHits = "block_cache_hits"
        case blockCacheMisses = "block_cache_misses"
        case blockCacheHitRatio = "block_cache_hit_ratio"
        case openFiles = "open_files"
        case recordingBytesRead = "recording_bytes_read"
        case readErrors = "read_errors"
        case recordingRequests = "recording_requests"
        case walksRecognized = "walks_recognized"
        case filesFetchedAhead = "files_fetched_ahead"
        case filesAheadHits = "files_ahead_hits"
        case filesAheadWasted = "files_ahead_wasted"
    }

    /// The status of a mount from its file system's counters and what the daemon knows.
    public init(
        mountPoint: String, socketPath: String, pid: Int, uptimeSeconds: Int, apiVersion: String, apiURL: String,
        catalogPath: String?, catalogBytes: Int?, statistics: FileSystemStatistics
    ) {
        self.mountPoint = mountPoint
        self.socketPath = socketPath
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.apiVersion = apiVersion
        self.apiURL = apiURL
        self.apiHost = Self.host(ofURL: apiURL)
        self.apiRequestsSent = statistics.api.requestsSent
        self.apiRequestsLastMinute = statistics.api.requestsLastMinute
        self.apiRequestsPerSecond = Self.rounded(statistics.api.requestsPerSecondLastMinute, places: 3)
        self.api429s = statistics.api.rateLimited
        self.apiRetries = statistics.api.retries
        self.listingsKnown = statistics.listingsKnown
        self.callsKnown = statistics.callsKnown
        self.catalogPath = catalogPath
        self.catalogBytes = catalogPath == nil ? nil : catalogBytes
        self.blockCacheBytes = statistics.cacheBytes
        self.blockCacheBudgetBytes = statistics.cacheBudgetBytes
        self.blockCacheHits = statistics.cacheHits
        self.blockCacheMisses = statistics.cacheMisses
        self.blockCacheHitRatio = statistics.cacheHitRatio.map { Self.rounded($0, places: 4) }
        self.openFiles = statistics.openFiles
        self.recordingBytesRead = statistics.recordingBytesRead
        self.readErrors = statistics.readErrors
        self.recordingRequests = statistics.recordingRequests
        self.walksRecognized = statistics.walksRecognized
        self.filesFetchedAhead = statistics.filesFetchedAhead
        self.filesAheadHits = statistics.filesAheadHits
        self.filesAheadWasted = statistics.filesAheadWasted
    }

    /// Every key is always written: an absent catalog or hit ratio is `null`, not missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mountPoint, forKey: .mountPoint)
        try container.encode(socketPath, forKey: .socketPath)
        try container.encode(pid, forKey: .pid)
        try container.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try container.encode(apiVersion, forKey: .apiVersion)
        try container.encode(apiURL, forKey: .apiURL)
        try container.encode(apiHost, forKey: .apiHost)
        try container.encode(apiRequestsSent, forKey: .apiRequestsSent)
        try container.encode(apiRequestsLastMinute, forKey: .apiRequestsLastMinute)
        try container.encode(apiRequestsPerSecond, forKey: .apiRequestsPerSecond)
        try container.encode(api429s, forKey: .api429s)
        try container.encode(apiRetries, forKey: .apiRetries)
        try container.encode(listingsKnown, forKey: .listingsKnown)
        try container.encode(callsKnown, forKey: .callsKnown)
        try container.encode(catalogPath, forKey: .catalogPath)
        try container.encode(catalogBytes, forKey: .catalogBytes)
        try container.encode(blockCacheBytes, forKey: .blockCacheBytes)
        try container.encode(blockCacheBudgetBytes, forKey: .blockCacheBudgetBytes)
        try container.encode(blockCacheHits, forKey: .blockCacheHits)
        try container.encode(blockCacheMisses, forKey: .blockCacheMisses)
        try container.encode(blockCacheHitRatio, forKey: .blockCacheHitRatio)
        try container.encode(openFiles, forKey: .openFiles)
        try container.encode(recordingBytesRead, forKey: .recordingBytesRead)
        try container.encode(readErrors, forKey: .readErrors)
        try container.encode(recordingRequests, forKey: .recordingRequests)
        try container.encode(walksRecognized, forKey: .walksRecognized)
        try container.encode(filesFetchedAhead, forKey: .filesFetchedAhead)
        try container.encode(filesAheadHits, forKey: .filesAheadHits)
        try container.encode(filesAheadWasted, forKey: .filesAheadWasted)
    }

    /// Keys added after 0.5.0 may be missing from a daemon started before an upgrade: 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mountPoint = try container.decode(String.self, forKey: .mountPoint)
        socketPath = try container.decode(String.self, forKey: .socketPath)
        pid = try container.decode(Int.self, forKey: .pid)
        uptimeSeconds = try container.decode(Int.self, forKey: .uptimeSeconds)
        apiVersion = try container.decode(String.self, forKey: .apiVersion)
        apiURL = try container.decode(String.self, forKey: .apiURL)
        apiHost = try container.decode(String.self, forKey: .apiHost)
        apiRequestsSent = try container.decode(Int.self, forKey: .apiRequestsSent)
        apiRequestsLastMinute = try container.decode(Int.self, forKey: .apiRequestsLastMinute)
        apiRequestsPerSecond = try container.decode(Double.self, forKey: .apiRequestsPerSecond)
        api429s = try container.decode(Int.self, forKey: .api429s)
        apiRetries = try container.decode(Int.self, forKey: .apiRetries)
        listingsKnown = try container.decode(Int.self, forKey: .listingsKnown)
        callsKnown = try container.decode(Int.self, forKey: .callsKnown)
        catalogPath = try container.decodeIfPresent(String.self, forKey: .catalogPath)
        catalogBytes = try container.decodeIfPresent(Int.self, forKey: .catalogBytes)
        blockCacheBytes = try container.decode(Int.self, forKey: .blockCacheBytes)
        blockCacheBudgetBytes = try container.decode(Int.self, forKey: .blockCacheBudgetBytes)
        blockCacheHits = try container.decode(Int.self, forKey: .blockCacheHits)
        blockCacheMisses = try container.decode(Int.self, forKey: .blockCacheMisses)
        blockCacheHitRatio = try container.decodeIfPresent(Double.self, forKey: .blockCacheHitRatio)
        openFiles = try container.decode(Int.self, forKey: .openFiles)
        recordingBytesRead = try container.decode(Int.self, forKey: .recordingBytesRead)
        readErrors = try container.decode(Int.self, forKey: .readErrors)
        recordingRequests = try container.decodeIfPresent(Int.self, forKey: .recordingRequests) ?? 0
        walksRecognized = try container.decodeIfPresent(Int.self, forKey: .walksRecognized) ?? 0
        filesFetchedAhead = try container.decodeIfPresent(Int.self, forKey: .filesFetchedAhead) ?? 0
        filesAheadHits = try container.decodeIfPresent(Int.self, forKey: .filesAheadHits) ?? 0
        filesAheadWasted = try container.decodeIfPresent(Int.self, forKey: .filesAheadWasted) ?? 0
    }

    // MARK: Rendering

    /// One JSON object on one line, keys sorted, and a final newline.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers and strings cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a daemon's answer (``json``).
    public init(json: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(MountStatus.self, from: Data(json))
    }

    /// Aligned `key: value` lines, a final newline.
    public var humanReadable: String {
        let catalog = catalogPath.map { path in "\(path) (\(catalogBytes.map(Self.bytes) ?? "size unknown"))" } ?? "none"
        let budgetShare = blockCacheBudgetBytes > 0
            ? String(format: " (%.1f%%)", Double(blockCacheBytes) * 100 / Double(blockCacheBudgetBytes)) : ""
        let hitRatio = blockCacheHitRatio.map {
            String(format: "%.1f%% (hits %d, misses %d)", $0 * 100, blockCacheHits, blockCacheMisses)
        } ?? "- (no reads yet)"
        let lines: [(String, String)] = [
            ("mount point", mountPoint),
            ("pid", "\(pid)"),
            ("uptime", Self.duration(uptimeSeconds)),
            ("API version", apiVersion),
            ("API host", apiHost),
            ("API requests sent", "\(apiRequestsSent)"),
            ("API requests, last minute", String(format: "%d (%.2f/s)", apiRequestsLastMinute, apiRequestsPerSecond)),
            ("API 429s", "\(api429s)"),
            ("API retries", "\(apiRetries)"),
            ("listings known", "\(listingsKnown)"),
            ("calls known", "\(callsKnown)"),
            ("catalog", catalog),
            ("block cache", "\(Self.bytes(blockCacheBytes)) of \(Self.bytes(blockCacheBudgetBytes))\(budgetShare)"),
            ("block cache hit ratio", hitRatio),
            ("open files", "\(openFiles)"),
            ("recording bytes read", "\(recordingBytesRead) (\(Self.bytes(recordingBytesRead)))"),
            ("read errors", "\(readErrors)"),
            ("recording requests", "\(recordingRequests)"),
            ("files fetched ahead", "\(filesFetchedAhead) (hits \(filesAheadHits), wasted \(filesAheadWasted), walks \(walksRecognized))"),
            ("status socket", socketPath),
        ]
        return Self.aligned(lines)
    }

    /// `key: value` lines with the values in one column.
    public static func aligned(_ lines: [(String, String)]) -> String {
        let width = (lines.map { $0.0.count }.max() ?? 0) + 1
        return lines.map { key, value in
            (key + ":").padding(toLength: width, withPad: " ", startingAt: 0) + " " + value + "\n"
        }.joined()
    }

    /// `512 B`, `4.0 KiB`, `1.5 MiB`, `2.0 GiB`.
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        var value = Double(count) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if value < 1024 { return String(format: "%.1f", value) + " " + unit }
            value /= 1024
        }
        return String(format: "%.1f TiB", value)
    }

    /// `42s`, `3m 05s`, `2h 03m 05s`, `4d 02h 03m`.
    public static func duration(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        let (d, h, m, s) = (seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
        if d > 0 { return String(format: "%dd %02dh %02dm", d, h, m) }
        if h > 0 { return String(format: "%dh %02dm %02ds", h, m, s) }
        if m > 0 { return String(format: "%dm %02ds", m, s) }
        return "\(s)s"
    }

    /// `api.quo.com`, `127.0.0.1:8080`, `[::1]:8080`; the URL itself if it has no host.
    public static func host(ofURL url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return url }
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return components.port.map { "\(name):\($0)" } ?? name
    }

    private static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
