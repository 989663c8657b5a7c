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
/// a block share one fetch. Blocks being fetched are not counted in the budget; the
/// readers bound how many are in flight.
actor BlockCache {
    private var blocks: OrderedDictionary<BlockKey, [UInt8]> = [:]
    private var loads: [BlockKey: Task<[UInt8], any Error>] = [:]
    private var usedBytes = 0
    let capacityBytes: Int

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// The block, from the cache or from `load` (shared with concurrent callers).
    func block(_ key: BlockKey, load: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        if let cached = touch(key) { return cached }
        return try await startLoad(key, load).value
    }

    /// Starts loading, in the background, every block of `keys` that is neither cached
    /// nor loading. `makeLoads` gets those keys (in the given order) and returns how to
    /// load each — e.g. several blocks from one streaming request. Checking and starting
    /// happen in one step, so no block is ever requested twice.
    func loadMissing(
        _ keys: [BlockKey],
        makeLoads: ([BlockKey]) -> [BlockKey: @Sendable () async throws -> [UInt8]]
    ) {
        let missing = keys.filter { blocks[$0] == nil && loads[$0] == nil }
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
        let task = Task {
            defer { self.finishLoad(key) }
            let bytes = try await load()
            self.insert(key, bytes)
            return bytes
        }
        loads[key] = task
        return task
    }

    private func finishLoad(_ key: BlockKey) {
        loads[key] = nil
    }

    private func touch(_ key: BlockKey) -> [UInt8]? {
        guard let bytes = blocks.removeValue(forKey: key) else { return nil }
        blocks[key] = bytes
        return bytes
    }

    private func insert(_ key: BlockKey, _ bytes: [UInt8]) {
        if let old = blocks.removeValue(forKey: key) { usedBytes -= old.count }
        guard bytes.count <= capacityBytes else { return }
        blocks[key] = bytes
        usedBytes += bytes.count
        while usedBytes > capacityBytes, let oldest = blocks.keys.first {
            usedBytes -= blocks.removeValue(forKey: oldest)!.count
        }
    }
}
