import Logging
import Synchronization

/// One recording on the recording host, as read by every open handle on it: its URL
/// (refreshed when it expires), its size and version, and block loading with retries.
final class RemoteRecording: Sendable {
    let recordingID: String
    let object: RemoteObject
    let blockSize: Int
    private let url: Mutex<String>
    private let host: RecordingHost
    private let refreshURL: @Sendable () async throws -> String?
    private let logger: Logger
    /// Attempts per block for retryable failures (5xx, resets, timeouts).
    private let attempts = 4

    init(
        recordingID: String, url: String, object: RemoteObject, blockSize: Int, host: RecordingHost,
        logger: Logger, refreshURL: @escaping @Sendable () async throws -> String?
    ) {
        self.recordingID = recordingID
        self.url = Mutex(url)
        self.object = object
        self.blockSize = blockSize
        self.host = host
        self.logger = logger
        self.refreshURL = refreshURL
    }

    func key(_ index: Int) -> BlockKey {
        BlockKey(recordingID: recordingID, version: object.version, index: index)
    }

    /// The bytes of block `index`, exactly; throws after bounded retries.
    func loadBlock(_ index: Int) async throws -> [UInt8] {
        let start = UInt64(index) * UInt64(blockSize)
        let range = start..<min(start + UInt64(blockSize), object.size)
        var refreshed = false
        var attempt = 0
        while true {
            let currentURL = url.withLock { $0 }
            do {
                return try await host.fetch(url: currentURL, range: range, object: object)
            } catch RecordingHostError.expired(let status) where !refreshed {
                // Signed URLs expire: ask the API for a fresh one, once per failure.
                refreshed = true
                logger.info("recording URL answered \(status); fetching a fresh one", metadata: ["recording": "\(recordingID)"])
                guard let fresh = try await refreshURL() else { throw RecordingHostError.expired(status: status) }
                url.withLock { $0 = fresh }
            } catch RecordingHostError.unavailable(let reason) where attempt + 1 < attempts {
                attempt += 1
                logger.info("retrying recording block", metadata: [
                    "recording": "\(recordingID)", "block": "\(index)", "reason": "\(reason)",
                ])
                try await Task.sleep(for: .milliseconds(200 * (1 << attempt)))
            }
        }
    }
}
