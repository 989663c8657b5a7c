import QuoAPI
import Synchronization

/// What a mounted ``QuoFileSystem`` holds and has done (for `quofs status`). Taken
/// from counters that the operations bump as they go: reading it never waits for an
/// operation, an actor or the API.
public struct FileSystemStatistics: Sendable, Equatable {
    /// Directories whose listing this mount holds (from the API or the catalog), counted
    /// once each however often they were listed again; a directory with nothing in it is
    /// not counted.
    public var listingsKnown = 0
    /// Call directories this mount knows.
    public var callsKnown = 0
    /// Bytes of recording blocks in the block cache.
    public var cacheBytes = 0
    /// The block cache's budget (`--cache-size`).
    public var cacheBudgetBytes = 0
    /// Blocks that reads found in the cache.
    public var cacheHits = 0
    /// Blocks that reads had to wait for (fetched for them, or still arriving).
    public var cacheMisses = 0
    /// Open file handles (audio and text files).
    public var openFiles = 0
    /// Body bytes received from recording hosts (reads, readahead, size probes).
    public var recordingBytesRead = 0
    /// Reads answered with `EIO` (recording host failures and timeouts).
    public var readErrors = 0
    /// HTTP requests sent to recording hosts (reads, readahead, size probes; each
    /// redirect followed counts too).
    public var recordingRequests = 0
    /// Readahead across files (docs/READ-PATH.md): walks recognized, files fetched ahead
    /// of a walker, those it then opened (hits), and those it never opened (wasted: their
    /// fetch cancelled, or its bytes left in the cache unread).
    public var walksRecognized = 0
    public var filesFetchedAhead = 0
    public var filesAheadHits = 0
    public var filesAheadWasted = 0
    /// The API client's counters.
    public var api = ClientStatistics()

    public init() {}

    /// `cacheHits / (cacheHits + cacheMisses)`, or nil before the first read.
    public var cacheHitRatio: Double? {
        let lookups = cacheHits + cacheMisses
        return lookups > 0 ? Double(cacheHits) / Double(lookups) : nil
    }
}

/// A relaxed atomic `Int`: counters read by a status request, bumped by anyone.
final class StatisticsCounter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ n: Int = 1) { value.add(n, ordering: .relaxed) }
    func subtract(_ n: Int = 1) { value.subtract(n, ordering: .relaxed) }
    func store(_ n: Int) { value.store(n, ordering: .relaxed) }
    func load() -> Int { value.load(ordering: .relaxed) }
}

/// What an ``InodeTable`` holds, counted as nodes are added.
final class InodeCounters: Sendable {
    let listings = StatisticsCounter()
    let calls = StatisticsCounter()
}

/// What a ``BlockCache`` holds and how often reads found their blocks there.
final class BlockCacheCounters: Sendable {
    let usedBytes = StatisticsCounter()
    let hits = StatisticsCounter()
    let misses = StatisticsCounter()
}

/// Bytes received from, and requests sent to, recording hosts.
final class RecordingHostCounters: Sendable {
    let bytesReceived = StatisticsCounter()
    let requests = StatisticsCounter()
}
