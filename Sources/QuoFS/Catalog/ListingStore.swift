import QuoAPI

/// What quofs remembers of a workspace across mounts: directory listings and the sizes of
/// completed recordings. The namespace asks it before the API the first time a directory
/// is needed in a mount, and hands it every listing it fetches.
///
/// Implemented by `QuoCatalog.Catalog` (SQLite through GRDB); tests can replace it (as
/// mountpoint-s3's manifest sits behind its `Metablock` trait). Writes must never delay
/// a caller: ``store(_:at:)`` and ``storeObject(_:recordingID:)`` only queue.
public protocol ListingStore: Sendable {
    /// The listing last stored for the directory at `path` (`/`, `/+15550100001`, …).
    func listing(at path: String) async -> StoredListing?
    /// Remembers `listing` as the directory's (in the background).
    func store(_ listing: StoredListing, at path: String)
    /// The size and version of a completed recording, if known.
    func object(recordingID: String) async -> StoredObject?
    /// Remembers a completed recording's size and version (in the background).
    func storeObject(_ object: StoredObject, recordingID: String)
    /// A small document stored under `name` (the workspace's people: names of users and
    /// contacts), and when it was stored.
    func document(named name: String) async -> StoredDocument?
    /// Remembers a document (in the background).
    func storeDocument(_ document: StoredDocument, named name: String)
}

/// Bytes the namespace keeps beside its listings, with the time they were fetched.
public struct StoredDocument: Sendable, Equatable {
    public var bytes: [UInt8]
    /// Seconds since the Unix epoch.
    public var fetchedAt: Double

    public init(bytes: [UInt8], fetchedAt: Double) {
        self.bytes = bytes
        self.fetchedAt = fetchedAt
    }
}

/// A directory listing as stored: its entries, whether it can still change, and the
/// newest creation time it has seen (the high-water mark a later refresh asks after).
public struct StoredListing: Codable, Sendable, Equatable {
    public var entries: [StoredEntry]
    public var isFinal: Bool
    public var highWater: String?
    /// A call's listing: which of its content (`transcripts`, `summaries`) was asked
    /// for when it was made; a final listing lacking one a later mount wants is fetched
    /// again.
    public var contentKinds: [String]?

    public init(entries: [StoredEntry], isFinal: Bool, highWater: String?, contentKinds: [String]? = nil) {
        self.entries = entries
        self.isFinal = isFinal
        self.highWater = highWater
        self.contentKinds = contentKinds
    }
}

/// One entry of a stored listing. Recording URLs are never stored (they are signed and
/// short-lived): a recording read after a remount asks for a fresh one.
public struct StoredEntry: Codable, Sendable, Equatable {
    public var name: String
    public var content: StoredContent
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(name: String, content: StoredContent, seconds: Int64, nanoseconds: Int32) {
        self.name = name
        self.content = content
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
}

/// What an entry stands for (``Node/Content`` without anything secret or short-lived).
public enum StoredContent: Codable, Sendable, Equatable {
    case phoneNumber(PhoneNumber)
    case unassigned
    case callGroup(CallGroup)
    case call(Call)
    case recording(CallRecording, callID: String, isVoicemail: Bool)
    /// A file in memory, of the call `callID`; `kind` names what it holds.
    case text([UInt8], callID: String?, kind: String?)
}

/// A completed recording's size and version (`ETag`), as probed.
public struct StoredObject: Codable, Sendable, Equatable {
    public var size: UInt64
    public var etag: String?

    public init(size: UInt64, etag: String?) {
        self.size = size
        self.etag = etag
    }
}
