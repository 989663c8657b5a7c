import Synchronization

/// The read path of one open file handle: maps reads onto cached blocks and keeps a
/// window of streaming requests ahead of a sequential reader.
///
/// Each read asks the ``ReadaheadPlanner`` which blocks it needs and which to fetch
/// ahead; blocks that are neither cached nor already coming are fetched by streaming
/// ranged GETs of consecutive runs (at most `maxRequestBlocks` each, so a large window is
/// several requests in parallel). The read then waits only for its own blocks, each
/// handed over as soon as it has arrived.
final class RecordingReader: Sendable {
    let recording: RemoteRecording
    private let cache: BlockCache<Block>
    private let arena: BlockArena
    private let planner: Mutex<ReadaheadPlanner>
    private let maxRequestBlocks: Int

    init(recording: RemoteRecording, cache: BlockCache<Block>, arena: BlockArena, maxReadaheadBlocks: Int, maxRequestBlocks: Int) {
        self.recording = recording
        self.cache = cache
        self.arena = arena
        self.maxRequestBlocks = max(1, maxRequestBlocks)
        self.planner = Mutex(ReadaheadPlanner(
            blockSize: recording.blockSize, fileSize: recording.object.size, maxWindow: maxReadaheadBlocks))
    }

    /// Exactly the bytes at `offset..<offset+size` (fewer at end of file), as slices of
    /// cached blocks (no copy).
    func read(offset: UInt64, size: Int) async throws -> [BlockSlice] {
        let fileSize = recording.object.size
        guard offset < fileSize, size > 0 else { return [] }
        let end = min(offset + UInt64(size), fileSize)
        let (plan, window, blockCount) = planner.withLock { ($0.plan(offset: offset, size: size), $0.window, $0.blockCount) }

        let recording = self.recording
        let arena = self.arena
        let maxRequestBlocks = self.maxRequestBlocks
        // Top the window up in requests of up to maxRequestBlocks, not a block per read.
        await cache.loadMissing(
            needed: plan.needed.map(recording.key), readahead: plan.prefetch.map(recording.key),
            minimumReadahead: min(maxRequestBlocks, max(1, window / 2)),
            readaheadReachesEnd: plan.prefetch.upperBound == blockCount
        ) { missing in
            Self.streamLoads(for: missing.map(\.index), of: recording, into: arena, maxRequestBlocks: maxRequestBlocks)
        }

        var result: [BlockSlice] = []
        var total = 0
        let blockSize = UInt64(recording.blockSize)
        for index in plan.needed {
            // Normally already loading; if the block was evicted meanwhile, fetch it alone.
            let key = recording.key(index)
            let block = try await cache.block(key) {
                try await Self.streamLoads(for: [index], of: recording, into: arena, maxRequestBlocks: 1)[key]!()
            }
            let blockStart = UInt64(index) * blockSize
            let from = Int(max(offset, blockStart) - blockStart)
            let to = Int(min(end, blockStart + UInt64(block.count)) - blockStart)
            guard from <= to, to <= block.count else { throw RecordingHostError.invalid("short block \(index)") }
            result.append(BlockSlice(block: block, range: from..<to))
            total += to - from
        }
        guard total == Int(end - offset) else {
            throw RecordingHostError.invalid("assembled \(total) bytes for a read of \(end - offset)")
        }
        return result
    }

    /// One streaming request per run of consecutive blocks (split at `maxRequestBlocks`),
    /// and for each block, a load that takes it from its stream.
    static func streamLoads(
        for indices: [Int], of recording: RemoteRecording, into arena: BlockArena, maxRequestBlocks: Int
    ) -> [BlockKey: @Sendable () async throws -> Block] {
        var loads: [BlockKey: @Sendable () async throws -> Block] = [:]
        var runStart = 0
        while runStart < indices.count {
            var runEnd = runStart + 1
            while runEnd < indices.count, indices[runEnd] == indices[runEnd - 1] + 1, runEnd - runStart < maxRequestBlocks {
                runEnd += 1
            }
            let stream = BlockStream(recording: recording, blocks: indices[runStart]..<(indices[runEnd - 1] + 1), arena: arena)
            stream.start()
            for index in indices[runStart..<runEnd] {
                loads[recording.key(index)] = { try await stream.take(index) }
            }
            runStart = runEnd
        }
        return loads
    }
}
