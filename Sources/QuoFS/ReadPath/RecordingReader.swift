import Synchronization

/// The read path of one open file handle: maps reads onto cached blocks and keeps
/// readahead going for sequential readers.
final class RecordingReader: Sendable {
    let recording: RemoteRecording
    private let cache: BlockCache
    private let planner: Mutex<ReadaheadPlanner>

    init(recording: RemoteRecording, cache: BlockCache, maxReadaheadBlocks: Int) {
        self.recording = recording
        self.cache = cache
        self.planner = Mutex(ReadaheadPlanner(
            blockSize: recording.blockSize, fileSize: recording.object.size, maxWindow: maxReadaheadBlocks))
    }

    /// Exactly the bytes at `offset..<offset+size` (fewer at end of file).
    func read(offset: UInt64, size: Int) async throws -> [UInt8] {
        let fileSize = recording.object.size
        guard offset < fileSize, size > 0 else { return [] }
        let end = min(offset + UInt64(size), fileSize)
        let plan = planner.withLock { $0.plan(offset: offset, size: size) }

        // Start every block this read needs and the readahead at once, then assemble.
        let recording = self.recording
        for index in plan.needed.dropFirst() {
            await cache.prefetch(recording.key(index)) { try await recording.loadBlock(index) }
        }
        for index in plan.prefetch {
            await cache.prefetch(recording.key(index)) { try await recording.loadBlock(index) }
        }

        var result: [UInt8] = []
        result.reserveCapacity(Int(end - offset))
        let blockSize = UInt64(recording.blockSize)
        for index in plan.needed {
            let block = try await cache.block(recording.key(index)) { try await recording.loadBlock(index) }
            let blockStart = UInt64(index) * blockSize
            let from = Int(max(offset, blockStart) - blockStart)
            let to = Int(min(end, blockStart + UInt64(block.count)) - blockStart)
            guard from <= to, to <= block.count else { throw RecordingHostError.invalid("short block \(index)") }
            result.append(contentsOf: block[from..<to])
        }
        guard result.count == Int(end - offset) else {
            throw RecordingHostError.invalid("assembled \(result.count) bytes for a read of \(end - offset)")
        }
        return result
    }
}
