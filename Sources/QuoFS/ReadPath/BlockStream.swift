import NIOCore
import Synchronization

/// One streaming ranged GET covering a run of consecutive blocks of a recording.
///
/// Each block is handed over as soon as its last byte arrives, so a reader waiting for
/// the first block of a large request waits for one block, not for the whole request;
/// latency is paid once per request rather than once per block. The body is cut into
/// blocks on the HTTP client's event loop as it arrives (``RangeSink``), and a finished
/// block goes straight to the reader waiting for it. A failure mid-stream (reset, short
/// body, 5xx) reopens the request at the first incomplete block, with backoff; an
/// expired URL (401/403/404/410) is replaced (``RecordingRetry``). Blocks are taken
/// exactly once, by the block cache's load of that block.
final class BlockStream: RangeSink {
    let blocks: Range<Int>
    private let recording: RemoteRecording
    private let arena: BlockArena
    private let state: Mutex<State>

    private struct State {
        var ready: [Int: Block] = [:]
        var waiters: [Int: CheckedContinuation<Block, any Error>] = [:]
        var failure: (any Error)?
        var taken = Set<Int>()
        /// The first block not yet complete, and the bytes of it received so far.
        var next: Int
        var current: Block?
    }

    init(recording: RemoteRecording, blocks: Range<Int>, arena: BlockArena) {
        precondition(!blocks.isEmpty)
        self.recording = recording
        self.blocks = blocks
        self.arena = arena
        self.state = Mutex(State(next: blocks.lowerBound))
    }

    /// Starts the request in the background.
    func start() {
        Task { await self.run() }
    }

    /// Waits for block `index` (in ``blocks``) and takes it.
    func take(_ index: Int) async throws -> Block {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<Block, any Error>? = state.withLock { state in
                guard blocks.contains(index), !state.taken.contains(index), state.waiters[index] == nil else {
                    return .failure(RecordingHostError.invalid("block \(index) taken twice or not in this stream"))
                }
                if let bytes = state.ready.removeValue(forKey: index) {
                    state.taken.insert(index)
                    return .success(bytes)
                }
                if let failure = state.failure { return .failure(failure) }
                state.waiters[index] = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Body bytes of the current attempt, in order, on the HTTP client's event loop.
    func receive(_ bytes: ByteBuffer) throws {
        var delivered: [(CheckedContinuation<Block, any Error>, Block)] = []
        try state.withLock { state in
            var position = 0
            while position < bytes.readableBytes {
                guard state.next < blocks.upperBound else {
                    throw RecordingHostError.unavailable("body longer than the range asked for")
                }
                let blockLength = Int(recording.byteRange(of: state.next..<(state.next + 1)).count)
                let current = try state.current ?? arena.allocate()
                state.current = current
                let count = min(blockLength - current.count, bytes.readableBytes - position)
                bytes.withUnsafeReadableBytes { raw in
                    current.append(UnsafeRawBufferPointer(rebasing: raw[position..<(position + count)]))
                }
                position += count
                if current.count == blockLength {
                    let index = state.next
                    let block = current
                    state.current = nil
                    state.next += 1
                    if let waiter = state.waiters.removeValue(forKey: index) {
                        state.taken.insert(index)
                        delivered.append((waiter, block))
                    } else {
                        state.ready[index] = block
                    }
                }
            }
        }
        for (waiter, block) in delivered { waiter.resume(returning: block) }
    }

    /// Starts an attempt: drops a partly received block; returns the first block to ask for.
    private func restart() -> Int {
        state.withLock { state in
            state.current = nil
            return state.next
        }
    }

    private func fail(_ error: any Error) {
        let waiters = state.withLock { state in
            state.failure = error
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func run() async {
        let recording = self.recording
        var retry = RecordingRetry()
        var lastStart = -1
        while true {
            let next = restart()
            guard next < blocks.upperBound else { return }
            if next > lastStart { retry.progressed() }
            lastStart = next
            let attemptStarted = ContinuousClock.now
            do {
                try await recording.streamRange(recording.byteRange(of: next..<blocks.upperBound), into: self)
            } catch {
                do {
                    try await retry.recover(from: error) {
                        recording.logger.info("recording URL expired; fetching a fresh one", metadata: ["recording": "\(recording.recordingID)"])
                        return try await recording.refreshURL(fetchedAfter: attemptStarted)
                    } logRetry: { reason in
                        recording.logger.info("retrying recording stream", metadata: [
                            "recording": "\(recording.recordingID)", "block": "\(next)", "reason": "\(reason)",
                        ])
                    }
                } catch {
                    fail(error)
                    return
                }
            }
        }
    }
}
