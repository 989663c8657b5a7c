import Foundation
import GRDB
import Logging
import QuoAPI
import QuoFS
import Testing
@testable import QuoCatalog

#if canImport(Glibc)
import Glibc
#endif

@Suite("The catalog (SQLite through GRDB)")
struct CatalogTests {
    let logger = Logger(label: "test")

    func temporaryDirectory() -> String {
        var template = Array("/tmp/quofs-catalog-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) } + "/quofs"
    }

    static let listing = StoredListing(
        entries: [
            StoredEntry(name: "+15550100001", content: .phoneNumber(PhoneNumber(id: "PN1", number: "+15550100001", name: "Sales", createdAt: "2024-01-01T00:00:00Z")),
                        seconds: 1_704_067_200, nanoseconds: 0),
            StoredEntry(name: "_unassigned", content: .unassigned, seconds: 1, nanoseconds: 5),
            StoredEntry(name: "+1,+2", content: .callGroup(CallGroup(
                phoneNumberID: "PN1", parties: ["+1", "+2"], createdAt: "2025-01-01T00:00:00Z",
                calls: [Call(id: "AC1", phoneNumberId: "PN1", actorId: "US1", direction: "incoming", status: "completed",
                             participants: [CallParticipant(phoneNumber: "+15550100001", actorId: "US1"), CallParticipant(phoneNumber: "+1")],
                             duration: 5, createdAt: "2025-01-01T00:00:00Z", answeredAt: "2025-01-01T00:00:01Z",
                             voicemail: Voicemail(id: "VM1", status: "completed", duration: 3, transcript: "hi"), voicemailIncluded: true,
                             summary: CallSummary(status: "completed", type: "agent", title: "T", summary: ["a"],
                                                  jobs: [.init(name: "J", results: [.init(name: "n", value: "1")])]),
                             summaryIncluded: true)],
                lastActivityAt: "2025-01-01T00:00:00Z")), seconds: 2, nanoseconds: 0),
            StoredEntry(name: "a.mp3", content: .recording(CallRecording(id: "CR1", duration: 5, startTime: nil, status: "completed", type: "audio/mpeg"),
                                                           callID: "AC1", isVoicemail: false), seconds: 3, nanoseconds: 999_999_999),
            StoredEntry(name: "voicemail.txt", content: .text(Array("hello\n".utf8), callID: "AC1", kind: "voicemailTranscript"),
                        seconds: 4, nanoseconds: 0),
        ],
        isFinal: true, highWater: "2025-01-01T00:00:00Z", contentKinds: ["summaries", "transcripts"])

    @Test("every kind of record survives a reopen; files are private")
    func roundTrip() async throws {
        let directory = temporaryDirectory()
        do {
            let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
            catalog.store(Self.listing, at: "/+15550100001")
            catalog.storeObject(StoredObject(size: 12345, etag: "\"e1\""), recordingID: "CR1")
            catalog.storeObject(StoredObject(size: 7, etag: nil), recordingID: "VM1")
            catalog.storeDocument(StoredDocument(bytes: Array("{\"users\":{}}".utf8), fetchedAt: 1_700_000_000.5), named: "people")
            await catalog.flush()
        }
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        #expect(await catalog.listing(at: "/+15550100001") == Self.listing)
        #expect(await catalog.listing(at: "/other") == nil)
        #expect(await catalog.object(recordingID: "CR1") == StoredObject(size: 12345, etag: "\"e1\""))
        #expect(await catalog.object(recordingID: "VM1") == StoredObject(size: 7, etag: nil))
        #expect(await catalog.object(recordingID: "CR2") == nil)
        #expect(await catalog.document(named: "people") == StoredDocument(bytes: Array("{\"users\":{}}".utf8), fetchedAt: 1_700_000_000.5))
        #expect(await catalog.document(named: "other") == nil)
        // A listing stored again replaces the old one.
        var changed = Self.listing
        changed.isFinal = false
        catalog.store(changed, at: "/+15550100001")
        await catalog.flush()
        #expect(await catalog.listing(at: "/+15550100001") == changed)

        var info = stat()
        #expect(stat(directory, &info) == 0 && info.st_mode & 0o777 == 0o700)
        for suffix in ["", "-wal", "-shm", ".lock"] {
            #expect(stat(directory + "/w.sqlite" + suffix, &info) == 0, "w.sqlite\(suffix)")
            #expect(info.st_mode & 0o777 == 0o600, "w.sqlite\(suffix): \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    @Test("a file that is not a database is moved aside and a new catalog built")
    func corrupt() async throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: directory + "/w.sqlite"))
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        catalog.store(Self.listing, at: "/x")
        await catalog.flush()
        #expect(await catalog.listing(at: "/x") == Self.listing)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("w.sqlite.broken-") }, "\(names)")
    }

    @Test("a database damaged inside is moved aside")
    func damaged() async throws {
        let directory = temporaryDirectory()
        do {
            let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
            for index in 0..<200 { catalog.store(Self.listing, at: "/\(index)") }
            await catalog.flush()
        }
        // Checkpoint into the main file, then overwrite a page in the middle.
        let queue = try DatabaseQueue(path: directory + "/w.sqlite")
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/w.sqlite"))
        try handle.seek(toOffset: 4096 * 3)
        handle.write(Data(repeating: 0xFF, count: 4096 * 4))
        try handle.close()
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        #expect(await catalog.listing(at: "/5") == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("w.sqlite.broken-") }, "\(names)")
    }

    @Test("a catalog written by a newer quofs (unknown schema) is moved aside, never downgraded")
    func unknownSchema() async throws {
        let directory = temporaryDirectory()
        do {
            let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
            catalog.store(Self.listing, at: "/x")
            await catalog.flush()
        }
        let queue = try DatabaseQueue(path: directory + "/w.sqlite")
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        #expect(await catalog.listing(at: "/x") == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("w.sqlite.broken-") }, "\(names)")
    }

    @Test("a catalog of the first schema is upgraded: its listings (made before call content) go, recording sizes stay")
    func upgradeFromFirstSchema() async throws {
        let directory = temporaryDirectory()
        do {
            let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
            catalog.storeObject(StoredObject(size: 42, etag: nil), recordingID: "CR1")
            await catalog.flush()
        }
        // Back to the first schema, with a listing stored by it.
        let queue = try DatabaseQueue(path: directory + "/w.sqlite")
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE document")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
            try db.execute(sql: "INSERT INTO listing (path, body, isFinal, storedAt) VALUES ('/x', x'7B7D', 1, 0)")
        }
        try queue.close()
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        #expect(await catalog.listing(at: "/x") == nil)
        #expect(await catalog.object(recordingID: "CR1") == StoredObject(size: 42, etag: nil))
        catalog.storeDocument(StoredDocument(bytes: [1], fetchedAt: 2), named: "people")
        await catalog.flush()
        #expect(await catalog.document(named: "people") == StoredDocument(bytes: [1], fetchedAt: 2))
    }

    @Test("a second mount of the same workspace runs without the catalog; the first keeps it")
    func secondOpener() async throws {
        let directory = temporaryDirectory()
        let first = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        #expect(Catalog.open(in: directory, name: "w", logger: logger) == nil)
        #expect(Catalog.open(in: directory, name: "other", logger: logger) != nil)
        first.store(Self.listing, at: "/x")
        await first.flush()
        #expect(await first.listing(at: "/x") == Self.listing)
    }

    @Test("a directory that cannot be used: no catalog, no failure")
    func unusableDirectory() {
        #expect(Catalog.open(in: "/proc/quofs-cannot-exist", name: "w", logger: logger) == nil)
        #expect(Catalog.open(in: "/dev/null/quofs", name: "w", logger: logger) == nil)
    }

    @Test("concurrent writers: every listing stored whole")
    func concurrentWriters() async throws {
        let directory = temporaryDirectory()
        let catalog = try #require(Catalog.open(in: directory, name: "w", logger: logger))
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        var listing = Self.listing
                        listing.highWater = "\(writer)-\(index)"
                        catalog.store(listing, at: "/\(writer)/\(index)")
                    }
                }
            }
        }
        await catalog.flush()
        for writer in 0..<8 {
            for index in [0, 25, 49] {
                #expect(await catalog.listing(at: "/\(writer)/\(index)")?.highWater == "\(writer)-\(index)")
            }
        }
    }
}
