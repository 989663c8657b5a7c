import Collections

/// Identifies one fixed-size block of one version of a recording.
struct BlockKey: Hashable, Sendable {
    var recordingID: String
    var version: String
    var index: Int
}

/// What the block cache holds: bytes that know their count, and the memory they take.
protocol CachedBytes: Sendable {
    var count: Int { get }
    /// The memory the bytes take, counted against the budget (`count` unless more).
    var memoryCost: Int { get }
}

extension CachedBytes {
    var memoryCost: Int { count }
}

/// A block takes its whole slot, also when it holds fewer bytes (a recording's last
/// block; a small file's only one): 50 KiB recordings counted by their bytes could take
/// five times the budget in memory.
extension Block: CachedBytes {
    var memoryCost: Int { capacity }
}

/// An in-memory LRU cache of recording blocks with a byte budget.
///
/// Blocks enter as they are fetched (by a read or by readahead); concurrent requests for
/// a block share one fetch. Blocks being fetched count against the budget too (a full
/// block each), so cached plus incoming bytes stay within it: starting a fetch evicts the
/// least recently used blocks, and readahead may take at most half the budget in flight.
actor BlockCache<Bytes: CachedBytes> {
    private var blocks: OrderedDictionary<BlockKey, Bytes> = [:]
    private var loads: [BlockKey: Task<Bytes, any Error>] = [:]
    private var usedBytes = 0 {
        didSet { counters.usedBytes.store(usedBytes) }
    }
    private var loadingBytes = 0
    let capacityBytes: Int
    /// What a block being fetched counts for.
    let blockSize: Int
    /// Bytes used, hits and misses, readable from any thread without the actor (status).
    nonisolated let counters = BlockCacheCounters()

    init(capacityBytes: Int, blockSize: Int) {
        self.capacityBytes = capacityBytes
        self.blockSize = blockSize
    }

    /// The block, from the cache or from `load` (shared with concurrent callers).
    func block(_ key: BlockKey, load: @escaping @Sendable () async throws -> Bytes) async throws -> Bytes {
        if let cached = touch(key) {
            counters.hits.add()
            return cached
        }
        counters.misses.add()
        return try await startLoad(key, load).value
    }

    /// Starts loading, in the background, every block of `needed` and `readahead` that
    /// is neither cached nor loading. Readahead stops at the first block that would take
    /// the bytes in flight past half the budget. `makeLoads` gets the keys to load (in
    /// order) and returns how to load each — e.g. several blocks from one streaming
    /// request. Checking and starting happen in one step, so no block is requested twice.
    ///
    /// Readahead is started only once at least `minimumReadahead` of its blocks are
    /// missing (or `readaheadReachesEnd`), so a window is topped up in requests of a
    /// useful size rather than a block at a time.
    func loadMissing(
        needed: [BlockKey], readahead: [BlockKey], minimumReadahead: Int = 1, readaheadReachesEnd: Bool = true,
        makeLoads: ([BlockKey]) -> [BlockKey: @Sendable () async throws -> Bytes]
    ) {
        var missing = needed.filter { blocks[$0] == nil && loads[$0] == nil }
        var inFlight = loadingBytes + missing.count * blockSize
        var ahead: [BlockKey] = []
        for key in readahead where blocks[key] == nil && loads[key] == nil {
            guard inFlight + blockSize <= capacityBytes / 2 else { break }
            ahead.append(key)
            inFlight += blockSize
        }
        if ahead.count >= minimumReadahead || (readaheadReachesEnd && ahead.last == readahead.last) {
            missing += ahead
        }
        guard !missing.isEmpty else { return }
        for (key, load) in makeLoads(missing) {
            _ = startLoad(key, load)
        }
    }

    /// Puts blocks fetched outside the cache's loads (a size probe that brought the file's
    /// first bytes) in the cache, unless cached or being fetched already.
    func store(_ entries: [(key: BlockKey, bytes: Bytes)]) {
        for (key, bytes) in entries where blocks[key] == nil && loads[key] == nil {
            insert(key, bytes)
        }
    }

    /// Whether the block is cached (without touching its LRU position).
    func contains(_ key: BlockKey) -> Bool {
        blocks[key] != nil
    }

    var statistics: (blocks: Int, bytes: Int) {
        (blocks.count, usedBytes)
    }

    private func startLoad(_ key: BlockKey, _ load: @escaping @Sendable () async throws -> Bytes) -> Task<Bytes, any Error> {
        if let running = loads[key] { return running }
        loadingBytes += blockSize
        evictToFit()
        let task = Task {
            let result: Result<Bytes, any Error>
            do { result = .success(try await load()) } catch { result = .failure(error) }
            self.finishLoad(key, result)
            return try result.get()
        }
        loads[key] = task
        return task
    }

    private func finishLoad(_ key: BlockKey, _ result: Result<Bytes, any Error>) {
        loads[key] = nil
        loadingBytes -= blockSize
        if case .success(let bytes) = result { insert(key, bytes) }
    }

    private func touch(_ key: BlockKey) -> Bytes? {
        guard let bytes = blocks.removeValue(forKey: key) else { return nil }
        blocks[key] = bytes
        return bytes
    }

    private func insert(_ key: BlockKey, _ bytes: Bytes) {
        if let old = blocks.removeValue(forKey: key) { usedBytes -= old.memoryCost }
        guard bytes.memoryCost <= capacityBytes else { return }
        blocks[key] = bytes
        usedBytes += bytes.memoryCost
        evictToFit()
    }

    /// Evicts least recently used blocks until cached plus incoming bytes fit the budget
    /// (or nothing is left to evict).
    private func evictToFit() {
        while usedBytes + loadingBytes > capacityBytes, let oldest = blocks.keys.first {
            usedBytes -= blocks.removeValue(forKey: oldest)!.memoryCost
        }
    }
}
