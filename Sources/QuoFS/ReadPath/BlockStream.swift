import NIOCore

/// One streaming ranged GET covering a run of consecutive blocks of a recording.
///
/// Each block is handed over as soon as its last byte arrives, so a reader waiting for
/// the first block of a large request waits for one block, not for the whole request;
/// latency is paid once per request rather than once per block. A failure mid-stream
/// (reset, short body, 5xx) reopens the request at the first incomplete block, with
/// backoff; an expired URL (401/403/404/410) is replaced once. Blocks are taken exactly
/// once, by the block cache's load of that block.
actor BlockStream {
    let blocks: Range<Int>
    private let recording: RemoteRecording
    private var ready: [Int: [UInt8]] = [:]
    private var waiters: [Int: CheckedContinuation<[UInt8], any Error>] = [:]
    private var failure: (any Error)?
    private var delivered = Set<Int>()

    /// Tries per failure streak (reset after every delivered block).
    static let attempts = 4

    init(recording: RemoteRecording, blocks: Range<Int>) {
        precondition(!blocks.isEmpty)
        self.recording = recording
        self.blocks = blocks
    }

    /// Starts the request in the background.
    nonisolated func start() {
        Task { await self.run() }
    }

    /// Waits for block `index` (in ``blocks``) and takes it.
    func take(_ index: Int) async throws -> [UInt8] {
        if let bytes = ready.removeValue(forKey: index) { return bytes }
        guard blocks.contains(index), !delivered.contains(index), waiters[index] == nil else {
            throw RecordingHostError.invalid("block \(index) taken twice or not in this stream")
        }
        if let failure { throw failure }
        return try await withCheckedThrowingContinuation { waiters[index] = $0 }
    }

    private func deliver(_ index: Int, _ bytes: [UInt8]) {
        delivered.insert(index)
        if let waiter = waiters.removeValue(forKey: index) {
            waiter.resume(returning: bytes)
        } else {
            ready[index] = bytes
        }
    }

    private func fail(_ error: any Error) {
        failure = error
        for waiter in waiters.values { waiter.resume(throwing: error) }
        waiters.removeAll()
    }

    private nonisolated func run() async {
        let recording = self.recording
        var next = blocks.lowerBound
        var attempt = 0
        var refreshed = false
        while next < blocks.upperBound {
            do {
                let range = recording.byteRange(of: next..<blocks.upperBound)
                let body = try await recording.openRange(range)
                var blockLength = Int(recording.byteRange(of: next..<(next + 1)).count)
                var buffer: [UInt8] = []
                buffer.reserveCapacity(blockLength)
                do {
                    for try await chunk in body {
                        var position = 0
                        while position < chunk.readableBytes {
                            guard next < blocks.upperBound else {
                                throw RecordingHostError.unavailable("body longer than the range asked for")
                            }
                            let count = min(blockLength - buffer.count, chunk.readableBytes - position)
                            // Copy through raw pointers: appending a ByteBufferView slice
                            // goes byte by byte.
                            chunk.withUnsafeReadableBytes { raw in
                                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[position..<(position + count)]))
                            }
                            position += count
                            if buffer.count == blockLength {
                                await deliver(next, buffer)
                                next += 1
                                attempt = 0
                                if next < blocks.upperBound {
                                    blockLength = Int(recording.byteRange(of: next..<(next + 1)).count)
                                    buffer = []
                                    buffer.reserveCapacity(blockLength)
                                }
                            }
                        }
                    }
                } catch let error as RecordingHostError {
                    throw error
                } catch {
                    throw RecordingHostError.unavailable("body interrupted: \(error)")
                }
                if next < blocks.upperBound {
                    throw RecordingHostError.unavailable("body ended early, before block \(next)")
                }
            } catch RecordingHostError.expired(let status) where !refreshed {
                refreshed = true
                recording.logger.info("recording URL answered \(status); fetching a fresh one", metadata: ["recording": "\(recording.recordingID)"])
                do {
                    guard try await recording.refreshURL() else { throw RecordingHostError.expired(status: status) }
                } catch {
                    await fail(error)
                    return
                }
            } catch RecordingHostError.unavailable(let reason) where attempt + 1 < Self.attempts {
                attempt += 1
                recording.logger.info("retrying recording stream", metadata: [
                    "recording": "\(recording.recordingID)", "block": "\(next)", "reason": "\(reason)",
                ])
                do {
                    try await Task.sleep(for: .milliseconds(100 << attempt))
                } catch {
                    await fail(error)
                    return
                }
            } catch {
                await fail(error)
                return
            }
        }
    }
}
