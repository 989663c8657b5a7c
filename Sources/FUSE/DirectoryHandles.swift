import Synchronization

/// The listings of open directories, keyed by the handle given to the kernel.
///
/// A listing is snapshotted at `opendir` so `readdir` offsets stay stable cookies (the
/// index of the next entry) however the directory changes meanwhile.
final class DirectoryHandles: Sendable {
    private struct State {
        var next: UInt64 = 1
        var open: [UInt64: DirectorySnapshot] = [:]
    }

    private let state = Mutex(State())

    func insert(_ snapshot: DirectorySnapshot) -> UInt64 {
        state.withLock { state in
            let handle = state.next
            state.next += 1
            state.open[handle] = snapshot
            return handle
        }
    }

    func snapshot(_ handle: UInt64) -> DirectorySnapshot? {
        state.withLock { $0.open[handle] }
    }

    func remove(_ handle: UInt64) {
        _ = state.withLock { $0.open.removeValue(forKey: handle) }
    }
}

/// A directory listing as served to the kernel: `.`, `..`, then the entries.
struct DirectorySnapshot: Sendable {
    struct Item: Sendable {
        var name: String
        /// `nil` for `.` and `..`, which carry no lookup reference in readdirplus.
        var entry: Entry?
        var inode: Inode
        var isDirectory: Bool
    }

    var items: [Item]

    init(directory: Inode, listing: DirectoryListing) {
        items = [
            Item(name: ".", entry: nil, inode: directory, isDirectory: true),
            Item(name: "..", entry: nil, inode: listing.parent, isDirectory: true),
        ]
        items += listing.entries.map {
            Item(name: $0.name, entry: $0.entry, inode: $0.entry.attributes.inode,
                 isDirectory: $0.entry.attributes.kind == .directory)
        }
    }
}
