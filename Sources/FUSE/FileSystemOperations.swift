/// The operations a filesystem implements to be served by ``FUSESession``.
///
/// Every operation is a plain `async` function: the binding calls it from a task, never
/// on a libfuse worker thread, and turns its result (or thrown ``FUSEError``) into the
/// reply. Any other thrown error is answered with `EIO`. Implementations can therefore
/// be tested without a kernel mount.
public protocol FileSystemOperations: Sendable {
    /// Resolves `name` in the directory `parent`. Throw `FUSEError.noEntry` if absent.
    func lookup(parent: Inode, name: String) async throws -> Entry

    /// The attributes of `inode`, and how long the kernel may cache them.
    func attributes(of inode: Inode) async throws -> AttributesReply

    /// A snapshot of the directory's entries, taken when it is opened. The binding serves
    /// `readdir`/`readdirplus` from this snapshot with stable offsets.
    func listDirectory(_ inode: Inode) async throws -> DirectoryListing

    /// Opens a file for reading; the returned handle is passed to ``read`` and ``release``.
    func open(_ inode: Inode, flags: Int32) async throws -> OpenedFile

    /// Reads up to `size` bytes at `offset`, as consecutive pieces (sent to the kernel as
    /// one vectored reply, so the filesystem need not copy them into one buffer; each
    /// piece is kept alive until the reply is sent). Returning fewer bytes than asked
    /// means end of file; the bytes must be exactly the file's bytes at that offset.
    func read(_ inode: Inode, handle: UInt64, offset: UInt64, size: Int) async throws -> [any ReplyBytes]

    /// The extended attributes of `inode`, in the order `listxattr` shows them. The
    /// kernel does not cache them (every `getxattr` arrives here), so serve them from
    /// memory. The binding answers a name not among them with `ENODATA`, and
    /// `setxattr`/`removexattr` with `EROFS`.
    func extendedAttributes(of inode: Inode) async throws -> [ExtendedAttribute]

    /// Closes a handle returned by ``open``.
    func release(_ inode: Inode, handle: UInt64) async

    /// The kernel dropped `count` references to `inode` (from lookups and readdirplus).
    func forget(_ inode: Inode, count: UInt64)
}

/// An inode number as the kernel sees it. 1 is the root.
public typealias Inode = UInt64

/// The root directory's inode, fixed by the FUSE protocol.
public let rootInode: Inode = 1

/// The attributes of a file or directory.
public struct FileAttributes: Sendable, Equatable {
    /// What kind of node this is.
    public enum Kind: Sendable, Equatable {
        case directory
        case regularFile
    }

    public var inode: Inode
    public var kind: Kind
    /// Permission bits, e.g. `0o444`.
    public var permissions: UInt16
    public var size: UInt64
    /// Modification time, also reported as access and change time.
    public var modificationTime: Timestamp
    public var linkCount: UInt32
    public var uid: UInt32
    public var gid: UInt32

    public init(
        inode: Inode, kind: Kind, permissions: UInt16, size: UInt64,
        modificationTime: Timestamp, linkCount: UInt32, uid: UInt32, gid: UInt32
    ) {
        self.inode = inode
        self.kind = kind
        self.permissions = permissions
        self.size = size
        self.modificationTime = modificationTime
        self.linkCount = linkCount
        self.uid = uid
        self.gid = gid
    }
}

/// A point in time as seconds and nanoseconds since the Unix epoch.
public struct Timestamp: Sendable, Equatable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}

/// Attributes plus how long the kernel may cache them, in seconds (never 0).
public struct AttributesReply: Sendable {
    public var attributes: FileAttributes
    public var timeout: Double

    public init(attributes: FileAttributes, timeout: Double) {
        self.attributes = attributes
        self.timeout = timeout
    }
}

/// The answer to a lookup: the node's attributes, and how long the kernel may cache the
/// name → inode binding (`entryTimeout`) and the attributes (`attributeTimeout`).
public struct Entry: Sendable {
    public var attributes: FileAttributes
    public var entryTimeout: Double
    public var attributeTimeout: Double

    public init(attributes: FileAttributes, entryTimeout: Double, attributeTimeout: Double) {
        self.attributes = attributes
        self.entryTimeout = entryTimeout
        self.attributeTimeout = attributeTimeout
    }
}

/// One named entry of a directory listing.
public struct DirectoryEntry: Sendable {
    public var name: String
    public var entry: Entry

    public init(name: String, entry: Entry) {
        self.name = name
        self.entry = entry
    }
}

/// A directory's entries (without `.` and `..`, which the binding adds).
public struct DirectoryListing: Sendable {
    /// The inode of the directory's parent (the root is its own parent).
    public var parent: Inode
    public var entries: [DirectoryEntry]

    public init(parent: Inode, entries: [DirectoryEntry]) {
        self.parent = parent
        self.entries = entries
    }
}

/// The result of opening a file.
public struct OpenedFile: Sendable {
    /// Passed back in ``FileSystemOperations/read(_:handle:offset:size:)``.
    public var handle: UInt64
    /// Keep the kernel's page cache for this file across opens (the file never changes).
    public var keepCache: Bool

    public init(handle: UInt64, keepCache: Bool) {
        self.handle = handle
        self.keepCache = keepCache
    }
}

/// An error carrying the errno the kernel should see.
public struct FUSEError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    public static let noEntry = FUSEError(errno: ENOENT)
    public static let io = FUSEError(errno: EIO)
    public static let readOnly = FUSEError(errno: EROFS)
    public static let notDirectory = FUSEError(errno: ENOTDIR)
    public static let isDirectory = FUSEError(errno: EISDIR)
    public static let badHandle = FUSEError(errno: EBADF)
    public static let nameTooLong = FUSEError(errno: ENAMETOOLONG)

    public var description: String {
        String(cString: strerror(errno))
    }
}

#if canImport(Glibc)
import Glibc
#endif
