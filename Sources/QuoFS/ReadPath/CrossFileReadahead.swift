import FUSE
import Logging
import Synchronization

/// Runs what the ``CrossFileReadaheadPlanner`` decides: starts fetching the first blocks
/// of the recordings a walker (`rsync -a`, `cp -r`, `tar`) will open next into the block
/// cache, so its open finds them there or on the way.
///
/// The filesystem reports the opens, reads and closes of recordings (text files are in
/// memory: neither reported nor in the walk order); ``Namespace/filesFollowing(_:limit:isWanted:)``
/// gives the walk order. A fetch ahead is the block cache's readahead for a reader that has
/// not opened yet: inside the cache budget, with at most half of it in flight, shared with
/// the walker's own read of the same blocks. Its API request, when a listing the catalog
/// served must be refreshed for the recording's URL, goes at background priority.
final class CrossFileReadahead: Sendable {
    typealias Planner = CrossFileReadaheadPlanner<Inode, ContinuousClock.Instant>

    private let planner: Mutex<Planner>
    private let tasks = Mutex<[Inode: Task<Void, Never>]>([:])
    /// Fetches bytes `0..<length` of the file into the cache (returns once the fetch is
    /// under way or done).
    private let fetch: @Sendable (Inode, UInt64) async throws -> Void
    /// The walk order: files after a file, with their sizes when known.
    private let following: @Sendable (Inode, Int) -> [Planner.NextFile]
    private let logger: Logger
    let isEnabled: Bool

    init(maxFilesAhead: Int, maxBytesAhead: UInt64, blockSize: Int, logger: Logger,
         following: @escaping @Sendable (Inode, Int) -> [Planner.NextFile],
         fetch: @escaping @Sendable (Inode, UInt64) async throws -> Void) {
        isEnabled = maxFilesAhead > 0 && maxBytesAhead > 0
        // 16 walks: as many as the parallel readers the read path is measured with (16
        // `cp -r` at once), so that none of theirs is ended only to make room.
        planner = Mutex(Planner(maxFilesAhead: maxFilesAhead, maxBytesAhead: max(1, maxBytesAhead),
                                blockSize: UInt64(blockSize), idleTimeout: .seconds(10), maxWalks: 16))
        self.following = following
        self.fetch = fetch
        self.logger = logger
    }

    var statistics: Planner.Statistics { planner.withLock { $0.statistics } }

    /// The bytes of `inode` being fetched ahead, if it is (from offset 0): a size probe
    /// of it should bring them, so that the probe and the fetch ahead are one request
    /// whichever starts first.
    func lengthAhead(_ inode: Inode) -> UInt64? {
        guard isEnabled else { return nil }
        return planner.withLock { $0.lengthAhead(inode) }
    }

    /// A program opened the recording `inode` of `size` bytes; true if it was fetched ahead.
    @discardableResult
    func opened(_ inode: Inode, size: UInt64) -> Bool {
        guard isEnabled else { return false }
        let following = self.following
        let decision = planner.withLock { $0.opened(inode, size: size, at: .now, following: following) }
        apply(decision)
        return decision.fetchedAhead
    }

    func read(_ inode: Inode, offset: UInt64, length: Int) {
        guard isEnabled else { return }
        let following = self.following
        let decision = planner.withLock { $0.read(inode, offset: offset, length: length, at: .now, following: following) }
        apply(decision)
    }

    /// A directory was listed: walks waiting for the walk order to reach further go on.
    func listed() {
        guard isEnabled else { return }
        let following = self.following
        apply(planner.withLock { $0.listed(at: .now, following: following) })
    }

    func closed(_ inode: Inode) {
        guard isEnabled else { return }
        apply(planner.withLock { $0.closed(inode, at: .now) })
    }

    private func apply(_ decision: Planner.Decision) {
        guard !decision.isEmpty else { return }
        for file in decision.cancel {
            tasks.withLock { $0.removeValue(forKey: file) }?.cancel()
        }
        for prefetch in decision.prefetch {
            let fetch = self.fetch
            // Registered under the lock the task takes to remove itself: never left behind.
            tasks.withLock { tasks in
                tasks[prefetch.file] = Task(priority: .background) { [weak self] in
                    do {
                        try Task.checkCancellation()
                        try await fetch(prefetch.file, prefetch.length)
                    } catch is CancellationError {
                    } catch {
                        self?.logger.debug("fetching a file ahead failed", metadata: ["inode": "\(prefetch.file)", "error": "\(error)"])
                        self?.planner.withLock { $0.prefetchFailed(prefetch.file) }
                    }
                    _ = self?.tasks.withLock { $0.removeValue(forKey: prefetch.file) }
                }
            }
        }
    }
}
