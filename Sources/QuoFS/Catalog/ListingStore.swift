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
}

/// A directory listing as stored: its entries, whether it can still change, and the
/// newest creation time it has seen (the high-water mark a later refresh asks after).
public struct StoredListing: Codable, Sendable, Equatable {
    public var entries: [StoredEntry]
    public var isFinal: Bool
    public var highWater: String?

    public init(entries: [StoredEntry], isFinal: Bool, highWater: String?) {
        self.entries = entries
        self.isFinal = isFinal
        self.highWater = highWater
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
    case text([UInt8])
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
