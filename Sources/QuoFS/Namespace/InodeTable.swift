import FUSE
import QuoAPI
import Synchronization

/// Nodes by inode, and inodes by path.
///
/// Inode numbers are handed out in order of first sight and keyed by path, so a path
/// keeps its inode for the life of the mount even when its directory is re-listed.
/// Nodes are kept after the kernel forgets them: they are small, and keeping them
/// keeps inode numbers stable.
final class InodeTable: Sendable {
    private struct State {
        var nodes: [Inode: Node] = [:]
        var inodesByPath: [String: Inode] = [:]
        var paths: [Inode: String] = [:]
        var next: Inode = rootInode + 1
        /// Directories that have had a child added: listings known (``counters``).
        var listed: Set<Inode> = []
    }

    private let state: Mutex<State>

    /// What the table holds, for `quofs status` (read without taking ``state``).
    let counters = InodeCounters()

    init(root: Node) {
        var initial = State()
        initial.nodes[rootInode] = root
        initial.inodesByPath["/"] = rootInode
        initial.paths[rootInode] = "/"
        state = Mutex(initial)
    }

    subscript(inode: Inode) -> Node? {
        state.withLock { $0.nodes[inode] }
    }

    /// The node's path from the root (`/`, `/+15550100001`, …).
    func path(of inode: Inode) -> String? {
        state.withLock { $0.paths[inode] }
    }

    /// Inserts or updates the child `name` of `parent`, keeping its inode if the path was
    /// seen before. Returns the stored node.
    func upsertChild(
        of parent: Inode, name: String, content: Node.Content, modificationTime: QuoTimestamp
    ) -> Node {
        state.withLock { state in
            let parentPath = state.paths[parent] ?? "/"
            let path = parentPath == "/" ? "/" + name : parentPath + "/" + name
            let inode: Inode
            if let known = state.inodesByPath[path] {
                inode = known
            } else {
                inode = state.next
                state.next += 1
                state.inodesByPath[path] = inode
                state.paths[inode] = path
                if case .call = content { counters.calls.add() }
            }
            if state.listed.insert(parent).inserted { counters.listings.add() }
            let node = Node(inode: inode, parent: parent, name: name, content: content, modificationTime: modificationTime)
            state.nodes[inode] = node
            return node
        }
    }
}
