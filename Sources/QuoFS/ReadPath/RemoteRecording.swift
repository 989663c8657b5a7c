import AsyncHTTPClient
import Logging
import Synchronization

/// One recording on the recording host, shared by every open handle on it: its URL
/// (replaced when it expires), its size and version, and how it is cut into blocks.
final class RemoteRecording: Sendable {
    let recordingID: String
    let object: RemoteObject
    let blockSize: Int
    let logger: Logger
    private let url: Mutex<String>
    private let host: RecordingHost
    private let freshURL: @Sendable (ContinuousClock.Instant) async throws -> String?

    init(
        recordingID: String, url: String, object: RemoteObject, blockSize: Int, host: RecordingHost,
        logger: Logger, freshURL: @escaping @Sendable (ContinuousClock.Instant) async throws -> String?
    ) {
        self.recordingID = recordingID
        self.url = Mutex(url)
        self.object = object
        self.blockSize = blockSize
        self.host = host
        self.logger = logger
        self.freshURL = freshURL
    }

    func key(_ index: Int) -> BlockKey {
        BlockKey(recordingID: recordingID, version: object.version, index: index)
    }

    /// The bytes of `blocks` in the file.
    func byteRange(of blocks: Range<Int>) -> Range<UInt64> {
        let start = UInt64(blocks.lowerBound) * UInt64(blockSize)
        let end = min(UInt64(blocks.upperBound) * UInt64(blockSize), object.size)
        return start..<end
    }

    /// Starts a validated ranged GET at the current URL.
    func streamRange(_ range: Range<UInt64>, into sink: some RangeSink) async throws {
        try await host.streamRange(url: url.withLock { $0 }, range: range, object: object, into: sink)
    }

    /// Asks the API for the recording's current URL (signed URLs expire), from a listing
    /// fetched after `instant` (when the request that found the URL expired started), and
    /// uses it from now on. Returns false if the API no longer lists the recording.
    func refreshURL(fetchedAfter instant: ContinuousClock.Instant) async throws -> Bool {
        guard let fresh = try await freshURL(instant) else { return false }
        url.withLock { $0 = fresh }
        return true
    }
}
