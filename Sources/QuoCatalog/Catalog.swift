import Foundation
import GRDB
import Logging
import QuoFS
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What quofs learned of one workspace, kept across mounts in a SQLite database
/// (through GRDB): listings and the sizes of completed recordings. The namespace reads it
/// through ``ListingStore`` and never waits for its writes.
///
/// It is a cache, and never the reason a mount fails, hangs or serves wrong bytes:
/// - A file that cannot be opened, is not a database, fails `PRAGMA quick_check`, or has
///   a schema this build does not know is moved aside (`<name>.broken-<time>`) with its
///   `-wal` and `-shm`, a warning is logged, and a new one is built.
/// - A directory that cannot be written (read-only, full disk): the mount works without
///   persisting, with one warning (``open(in:name:logger:)`` returns nil, or writes stop).
/// - Two mounts of the same workspace: the second finds the lock taken (`flock` on
///   `<name>.lock`) and runs without a catalog, with a warning.
/// - WAL mode, one transaction per listing stored: a killed daemon leaves a catalog
///   whose every listing is whole, which the next mount uses.
///
/// Files are created 0600 in a 0700 directory: they hold phone numbers and names. They
/// never hold the API key or a recording URL.
public final class Catalog: ListingStore, Sendable {
    /// Where the database is.
    public let path: String
    private let pool: DatabasePool
    private let lockDescriptor: Int32
    private let writer: CatalogWriter
    private let logger: Logger

    /// The schema, one migration per version; a database written by a newer quofs (with
    /// migrations this build does not know) is moved aside, never downgraded.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // A directory's listing: its entries (JSON of ``StoredListing``), keyed by path.
            try db.create(table: "listing") { table in
                table.primaryKey("path", .text)
                table.column("body", .blob).notNull()
                table.column("isFinal", .boolean).notNull()
                table.column("highWater", .text)
                table.column("storedAt", .double).notNull()
            }
            // A completed recording's size and ETag.
            try db.create(table: "object") { table in
                table.primaryKey("recordingID", .text)
                table.column("size", .integer).notNull()
                table.column("etag", .text)
            }
        }
        migrator.registerMigration("v2") { db in
            // Small documents (the people directory: names of users and contacts).
            try db.create(table: "document") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
                table.column("fetchedAt", .double).notNull()
            }
            // Call directories gained transcripts, summaries and call.json: listings
            // stored before are listed again (recording sizes are kept).
            try db.execute(sql: "DELETE FROM listing")
        }
        return migrator
    }

    private init(path: String, pool: DatabasePool, lockDescriptor: Int32, logger: Logger) {
        self.path = path
        self.pool = pool
        self.lockDescriptor = lockDescriptor
        self.logger = logger
        self.writer = CatalogWriter(pool: pool, logger: logger)
    }

    deinit {
        close(lockDescriptor)
    }

    /// Opens (or creates) the catalog `name` in `directory`; nil, with one warning
    /// logged, when there can be none (the directory cannot be written, or another mount
    /// holds it). A broken catalog is moved aside and a new one built.
    public static func open(in directory: String, name: String, logger: Logger) -> Catalog? {
        do {
            try makePrivateDirectory(directory)
        } catch {
            logger.warning("catalog: cannot use \(directory) (\(error)); this mount remembers nothing")
            return nil
        }
        let path = directory + "/" + name + ".sqlite"
        let lock = Glibc.open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            logger.warning("catalog: cannot create \(path).lock (\(String(cString: strerror(errno)))); this mount remembers nothing")
            return nil
        }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            logger.warning("catalog: \(path) is in use by another quofs mount; this mount runs without a catalog")
            return nil
        }
        for attempt in 0..<2 {
            do {
                let pool = try openDatabase(at: path)
                return Catalog(path: path, pool: pool, lockDescriptor: lock, logger: logger)
            } catch let error as CatalogUnusable where attempt == 0 {
                let aside = moveAside(path)
                logger.warning("catalog: \(path) \(error.reason); moved it to \(aside) and starting a new one")
            } catch {
                logger.warning("catalog: cannot open \(path) (\(error)); this mount remembers nothing")
                close(lock)
                return nil
            }
        }
        close(lock)
        return nil
    }

    /// Waits until every write queued so far is on disk (tests; the end of a mount).
    public func flush() async {
        await writer.flush()
    }

    /// What a catalog file holds, read without taking it from a running mount.
    public struct Summary: Sendable, Equatable {
        public var path: String
        /// Bytes on disk: the database and its write-ahead log.
        public var bytes: Int64
        public var listings: Int
        /// Listings that can no longer change (finished calls, mostly).
        public var finalListings: Int
        /// Completed recordings whose size is known.
        public var sizes: Int
        /// When a listing was last stored (seconds since the epoch), if ever.
        public var lastStored: Double?
        /// Whether a mount holds it now.
        public var inUse: Bool
    }

    /// The catalog `name` in `directory` as it is on disk, or nil if there is none.
    public static func summary(in directory: String, name: String) throws -> Summary? {
        let path = directory + "/" + name + ".sqlite"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        func size(_ file: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let counts = try queue.read { db -> (Int, Int, Int, Double?) in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing WHERE isFinal") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM object") ?? 0,
             try Double.fetchOne(db, sql: "SELECT MAX(storedAt) FROM listing"))
        }
        return Summary(path: path, bytes: size(path) + size(path + "-wal"), listings: counts.0, finalListings: counts.1,
                       sizes: counts.2, lastStored: counts.3, inUse: isLocked(path))
    }

    /// Removes the catalog `name` (and its sidecars); false if there was none. Refuses
    /// while a mount holds it.
    public static func remove(in directory: String, name: String) throws -> Bool {
        let path = directory + "/" + name + ".sqlite"
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard !isLocked(path) else { throw CatalogUnusable(reason: "is in use by a running mount: unmount it first") }
        for suffix in ["", "-wal", "-shm", ".lock"] { unlink(path + suffix) }
        return true
    }

    private static func isLocked(_ path: String) -> Bool {
        let fd = Glibc.open(path + ".lock", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    // MARK: ListingStore

    public func listing(at path: String) async -> StoredListing? {
        do {
            let body = try await pool.read { db in
                try Data.fetchOne(db, sql: "SELECT body FROM listing WHERE path = ?", arguments: [path])
            }
            return try body.map { try JSONDecoder().decode(StoredListing.self, from: $0) }
        } catch {
            // A listing that cannot be read is as good as none: the API is asked.
            logger.warning("catalog: cannot read the listing of \(path): \(error)")
            return nil
        }
    }

    public func store(_ listing: StoredListing, at path: String) {
        writer.enqueue(.listing(path: path, listing))
    }

    public func object(recordingID: String) async -> StoredObject? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT size, etag FROM object WHERE recordingID = ?", arguments: [recordingID])
                    .map { StoredObject(size: UInt64(max(0, $0["size"] as Int64)), etag: $0["etag"]) }
            }
        } catch {
            logger.warning("catalog: cannot read the size of \(recordingID): \(error)")
            return nil
        }
    }

    public func storeObject(_ object: StoredObject, recordingID: String) {
        writer.enqueue(.object(recordingID: recordingID, object))
    }

    public func document(named name: String) async -> StoredDocument? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT body, fetchedAt FROM document WHERE name = ?", arguments: [name])
                    .map { StoredDocument(bytes: Array($0["body"] as Data), fetchedAt: $0["fetchedAt"]) }
            }
        } catch {
            logger.warning("catalog: cannot read the document \(name): \(error)")
            return nil
        }
    }

    public func storeDocument(_ document: StoredDocument, named name: String) {
        writer.enqueue(.document(name: name, document))
    }

    // MARK: Opening

    /// Why a catalog cannot be used as it is.
    public struct CatalogUnusable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private static func openDatabase(at path: String) throws -> DatabasePool {
        // Created private before SQLite sees it; its -wal and -shm inherit the mode.
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CatalogUnusable(reason: "cannot be created (\(String(cString: strerror(errno))))") }
        fchmod(fd, 0o600)
        close(fd)

        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "quofs-catalog"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CatalogUnusable(reason: "is not a usable database (\(error.resultCode))")
        }
        do {
            let check = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            guard check == "ok" else { throw CatalogUnusable(reason: "is damaged (quick_check: \(check ?? "no answer"))") }
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            guard !superseded else { throw CatalogUnusable(reason: "was written by a newer quofs (unknown schema)") }
            try migrator.migrate(pool)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw CatalogUnusable(reason: "is not a usable database (\(error.resultCode))")
        }
        return pool
    }

    /// Renames the database and its sidecars to `<path>.broken-<UTC time>`; returns that name.
    private static func moveAside(_ path: String) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y%m%dT%H%M%SZ", &parts)
        let aside = path + ".broken-" + String(cString: buffer)
        for suffix in ["", "-wal", "-shm"] {
            rename(path + suffix, aside + suffix)
        }
        return aside
    }

    /// Creates `directory` (and its parents) 0700, or narrows an existing one to 0700.
    static func makePrivateDirectory(_ directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(directory, 0o700) == 0 else {
            throw CatalogUnusable(reason: "cannot be made private (\(String(cString: strerror(errno))))")
        }
        guard access(directory, W_OK) == 0 else {
            throw CatalogUnusable(reason: "is not writable")
        }
    }
}

/// The catalog's writes, off every caller's path: queued, then written by one task, each
/// listing in its own transaction. A write that fails (full disk, read-only file) stops
/// the writing with one warning; the mount goes on without persisting.
final class CatalogWriter: Sendable {
    enum Write: Sendable {
        case listing(path: String, StoredListing)
        case object(recordingID: String, StoredObject)
        case document(name: String, StoredDocument)
    }

    private struct State {
        var queue: [Write] = []
        var writing = false
        var failed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let pool: DatabasePool
    private let logger: Logger
    private let state = Mutex(State())

    init(pool: DatabasePool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    func enqueue(_ write: Write) {
        let start = state.withLock { state -> Bool in
            guard !state.failed else { return false }
            state.queue.append(write)
            if state.writing { return false }
            state.writing = true
            return true
        }
        if start { Task { await self.drain() } }
    }

    func flush() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if !state.writing { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Write] in
                let batch = state.queue
                state.queue.removeAll()
                if batch.isEmpty {
                    state.writing = false
                }
                return batch
            }
            if batch.isEmpty {
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    defer { state.waiters.removeAll() }
                    return state.writing ? [] : state.waiters
                }
                for waiter in waiters { waiter.resume() }
                return
            }
            do {
                try await write(batch)
            } catch {
                logger.warning("catalog: writing failed (\(error)); this mount stops persisting what it learns")
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.failed = true
                    state.queue.removeAll()
                    state.writing = false
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }

    private func write(_ batch: [Write]) async throws {
        let encoder = JSONEncoder()
        var objects: [(String, StoredObject)] = []
        for write in batch {
            switch write {
            case .listing(let path, let listing):
                let body = try encoder.encode(listing)
                let now = Date().timeIntervalSince1970
                try await pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO listing (path, body, isFinal, highWater, storedAt) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT(path) DO UPDATE SET body = excluded.body, isFinal = excluded.isFinal,
                              highWater = excluded.highWater, storedAt = excluded.storedAt
                            """,
                        arguments: [path, body, listing.isFinal, listing.highWater, now])
                }
            case .object(let id, let object):
                objects.append((id, object))
            case .document(let name, let document):
                try await pool.write { db in
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO document (name, body, fetchedAt) VALUES (?, ?, ?)",
                        arguments: [name, Data(document.bytes), document.fetchedAt])
                }
            }
        }
        guard !objects.isEmpty else { return }
        let sizes = objects
        try await pool.write { db in
            for (id, object) in sizes {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO object (recordingID, size, etag) VALUES (?, ?, ?)",
                    arguments: [id, Int64(object.size), object.etag])
            }
        }
    }
}
