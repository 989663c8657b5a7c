import FUSE
import Logging
import QuoAPI
import Synchronization

/// Fetches directory listings ahead of a program walking the tree, as
/// ``ListingPrefetchPlanner`` decides: at background priority, so through the same
/// rate limiter as every request but only while no request someone waits for is queued
/// (``RequestPriority``). A fetched-ahead listing lands in the namespace's listing
/// cache, where the walker's own request finds it (or joins it while it is running).
/// docs/FETCH-AHEAD.md says when it starts and stops.
final class ListingFetchAhead: Sendable {
    private let planner: Mutex<ListingPrefetchPlanner<Inode, ContinuousClock.Instant>>
    private let enabled: Bool
    private let logger: Logger
    /// Listings fetched ahead and not yet read: each is used for its first read however
    /// old (see ``takeUnread(_:)``).
    private let unread = Mutex<Set<Inode>>([])

    /// - Parameter window: most listings fetched ahead at once; 0 turns fetching ahead off.
    init(window: Int, logger: Logger) {
        self.planner = Mutex(ListingPrefetchPlanner(window: max(1, window), idleTimeout: .seconds(10)))
        self.enabled = window > 0
        self.logger = logger
    }

    /// What the planner has done so far (tests, status).
    var statistics: ListingPrefetchPlanner<Inode, ContinuousClock.Instant>.Statistics {
        planner.withLock { $0.statistics }
    }

    /// A listing became known: its child directories, in listing order.
    func listed(_ directory: Inode, children: [Node]) {
        guard enabled else { return }
        let directories = children.filter(\.isDirectory).map(\.inode)
        planner.withLock { $0.listed(directory, childDirectories: directories) }
    }

    /// Whether `directory`'s listing was fetched ahead and this is its first read: then
    /// that listing serves it even if it is older than the directory cache time by now
    /// (a walker reaching a directory long after it was fetched ahead must not list it
    /// again). Later reads refresh as usual.
    func takeUnread(_ directory: Inode) -> Bool {
        unread.withLock { $0.remove(directory) != nil }
    }

    /// A program opened `directory` to read it.
    func demanded(_ directory: Node, in namespace: Namespace) {
        guard enabled else { return }
        let parent = directory.inode == rootInode ? nil : directory.parent
        let next = planner.withLock { $0.demanded(directory.inode, parent: parent, at: .now) }
        start(next, in: namespace)
    }

    private func start(_ directories: [Inode], in namespace: Namespace) {
        // The root is listed at mount time and refreshed only by reading it: never ahead.
        for inode in directories where inode != rootInode {
            Task { [self] in
                let succeeded: Bool
                do {
                    try await QuoClient.$priority.withValue(.background) {
                        _ = try await namespace.children(of: try namespace.node(inode))
                    }
                    succeeded = true
                    self.unread.withLock { _ = $0.insert(inode) }
                } catch {
                    logger.debug("fetching a listing ahead failed", metadata: ["inode": "\(inode)", "error": "\(error)"])
                    succeeded = false
                }
                let more = self.planner.withLock {
                    succeeded ? $0.prefetchFinished(inode, at: .now) : $0.prefetchFailed(inode, at: .now)
                }
                self.start(more, in: namespace)
            }
        }
    }
}
