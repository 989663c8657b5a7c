import Collections

/// Identifies one fixed-size block of one version of a recording.
struct BlockKey: Hashable, Sendable {
    var recordingID: String
    var version: String
    var index: Int
}

/// An in-memory LRU cache of recording blocks with a byte budget.
///
/// Blocks enter as they are fetched (by a read or by readahead); concurrent requests for
/// a block share one fetch. Blocks being fetched count against the budget too (a full
/// block each), so cached plus incoming bytes stay within it: starting a fetch evicts the
/// least recently used blocks, and readahead may take at most half the budget in flight.
/// Each block is counted with `overheadPerBlock` on top of its bytes: what the allocator
/// really takes for it (a 256 KiB array is its own mapping of 256 KiB plus a page).
actor BlockCache {
    private var blocks: OrderedDictionary<BlockKey, [UInt8]> = [:]
    private var loads: [BlockKey: Task<[UInt8], any Error>] = [:]
    private var usedBytes = 0
    private var loadingBytes = 0
    let capacityBytes: Int
    let blockSize: Int
    let overheadPerBlock: Int
    /// What a block being fetched counts for.
    private var slot: Int { blockSize + overheadPerBlock }

    init(capacityBytes: Int, blockSize: Int, overheadPerBlock: Int = 0) {
        self.capacityBytes = capacityBytes
        self.blockSize = blockSize
        self.overheadPerBlock = overheadPerBlock
    }

    /// The block, from the cache or from `load` (shared with concurrent callers).
    func block(_ key: BlockKey, load: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        if let cached = touch(key) { return cached }
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
        makeLoads: ([BlockKey]) -> [BlockKey: @Sendable () async throws -> [UInt8]]
    ) {
        var missing = needed.filter { blocks[$0] == nil && loads[$0] == nil }
        var inFlight = loadingBytes + missing.count * slot
        var ahead: [BlockKey] = []
        for key in readahead where blocks[key] == nil && loads[key] == nil {
            guard inFlight + slot <= capacityBytes / 2 else { break }
            ahead.append(key)
            inFlight += slot
        }
        if ahead.count >= minimumReadahead || (readaheadReachesEnd && ahead.last == readahead.last) {
            missing += ahead
        }
        guard !missing.isEmpty else { return }
        for (key, load) in makeLoads(missing) {
            _ = startLoad(key, load)
        }
    }

    /// Whether the block is cached (without touching its LRU position).
    func contains(_ key: BlockKey) -> Bool {
        blocks[key] != nil
    }

    var statistics: (blocks: Int, bytes: Int) {
        (blocks.count, usedBytes)
    }

    private func startLoad(_ key: BlockKey, _ load: @escaping @Sendable () async throws -> [UInt8]) -> Task<[UInt8], any Error> {
        if let running = loads[key] { return running }
        loadingBytes += slot
        evictToFit()
        let task = Task {
            let result: Result<[UInt8], any Error>
            do { result = .success(try await load()) } catch { result = .failure(error) }
            self.finishLoad(key, result)
            return try result.get()
        }
        loads[key] = task
        return task
    }

    private func finishLoad(_ key: BlockKey, _ result: Result<[UInt8], any Error>) {
        loads[key] = nil
        loadingBytes -= slot
        if case .success(let bytes) = result { insert(key, bytes) }
    }

    private func touch(_ key: BlockKey) -> [UInt8]? {
        guard let bytes = blocks.removeValue(forKey: key) else { return nil }
        blocks[key] = bytes
        return bytes
    }

    private func insert(_ key: BlockKey, _ bytes: [UInt8]) {
        if let old = blocks.removeValue(forKey: key) { usedBytes -= old.count + overheadPerBlock }
        guard bytes.count <= capacityBytes else { return }
        blocks[key] = bytes
        usedBytes += bytes.count + overheadPerBlock
        evictToFit()
    }

    /// Evicts least recently used blocks until cached plus incoming bytes fit the budget
    /// (or nothing is left to evict).
    private func evictToFit() {
        while usedBytes + loadingBytes > capacityBytes, let oldest = blocks.keys.first {
            usedBytes -= blocks.removeValue(forKey: oldest)!.count + overheadPerBlock
        }
    }
}
