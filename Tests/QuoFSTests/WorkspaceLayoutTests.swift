import FUSE
import QuoAPI
import QuoMock
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// The tree both API versions produce, and what each directory costs, without a kernel.
@Suite("Layout under both API versions")
struct WorkspaceLayoutTests {
    /// Every path below the root (directories end with `/`), by listing every directory
    /// depth first in listing order, as `find` does.
    static func walk(_ fixture: Fixture) async throws -> [String: Entry] {
        var found: [String: Entry] = [:]
        var pending: [(String, Inode)] = [("", rootInode)]
        while let (path, inode) = pending.popLast() {
            for entry in try await fixture.fileSystem.listDirectory(inode).entries.reversed() {
                let child = path + entry.name
                if entry.entry.attributes.kind == .directory {
                    found[child + "/"] = entry.entry
                    pending.append((child + "/", entry.entry.attributes.inode))
                } else {
                    found[child] = entry.entry
                }
            }
        }
        return found
    }

    static func requests(_ fixture: Fixture) -> [String] { fixture.server.stats().apiRequestLog }

    @Test("2026-03-30: group calls, calls on no workspace number and non-E.164 parties have their directories")
    func datedLayout() async throws {
        let fixture = try await Fixture.make(version: .dated20260330)
        defer { Task { await fixture.close() } }
        let root = try await fixture.fileSystem.listDirectory(rootInode)
        #expect(root.entries.map(\.name) == ["+15550100001", "+15550100002", "_unassigned"])
        let sales = try await fixture.fileSystem.listDirectory(root.entries[0].entry.attributes.inode)
        #expect(sales.entries.map(\.name) == ["+15550109001", "+15550109001,+15550109002", "+15550109002"])
        // One request for the number's calls gives its participant directories, and their calls
        // (besides the names of users and contacts, once per mount).
        #expect(Self.requests(fixture).filter { !isPeopleRequest($0) }.count == 2)
        let group = try await fixture.fileSystem.listDirectory(sales.entries[1].entry.attributes.inode)
        #expect(group.entries.map(\.name) == ["2025-01-25T14-00-00Z_ACdemoG1"])
        #expect(Self.requests(fixture).filter { !isPeopleRequest($0) }.count == 2)
        let support = try await fixture.resolve("+15550100002")
        #expect(try await fixture.fileSystem.listDirectory(support.attributes.inode).entries.map(\.name)
                == ["+15550109003", "+442079460958", "anonymous"])
        let unassigned = try await fixture.fileSystem.listDirectory(root.entries[2].entry.attributes.inode)
        #expect(unassigned.entries.map(\.name) == ["+15550109005"])
        let x1 = try await fixture.resolve("_unassigned/+15550109005/2025-04-01T09-00-00Z_ACdemoX1")
        #expect(try await fixture.fileSystem.listDirectory(x1.attributes.inode).entries.map(\.name)
                == ["2025-04-01T09-00-03Z.mp3", "2025-04-01T09-00-03Z.vtt", "call.json", "transcript.txt"])
    }

    @Test("inode numbers ascend with the names in every directory (cp -r goes by inode, rsync by name: the same order)",
          arguments: APIVersion.allCases)
    func inodesInNameOrder(version: APIVersion) async throws {
        let fixture = try await Fixture.make(version: version)
        defer { Task { await fixture.close() } }
        var pending: [Inode] = [rootInode]
        var directories = 0
        while let inode = pending.popLast() {
            let entries = try await fixture.fileSystem.listDirectory(inode).entries
            let inodes = entries.map(\.entry.attributes.inode)
            #expect(inodes == inodes.sorted(), "\(entries.map(\.name))")
            directories += 1
            pending += entries.filter { $0.entry.attributes.kind == .directory }.map(\.entry.attributes.inode)
        }
        #expect(directories > 10)
    }

    @Test("every call the API lists appears exactly once")
    func everyCallOnce() async throws {
        let fixture = try await Fixture.make(version: .dated20260330)
        defer { Task { await fixture.close() } }
        let paths = try await Self.walk(fixture).keys
        for call in fixture.server.workspace.calls {
            let directories = paths.filter { $0.hasSuffix("_\(call.id)/") }
            #expect(directories.count == 1, "\(call.id): \(directories)")
        }
    }

    @Test("a never-answered call costs no recordings request; its voicemail comes inline (2026-03-30) or by one request (v1)",
          arguments: APIVersion.allCases)
    func neverAnswered(version: APIVersion) async throws {
        let fixture = try await Fixture.make(version: version)
        defer { Task { await fixture.close() } }
        let alice = try await fixture.resolve("+15550100001/+15550109001")
        _ = try await fixture.fileSystem.listDirectory(alice.attributes.inode)
        let before = Self.requests(fixture).count
        let a3 = try await fixture.resolve("+15550100001/+15550109001/2025-01-14T10-00-00Z_ACdemoA3")
        let all = try await fixture.fileSystem.listDirectory(a3.attributes.inode)
        #expect(all.entries.map(\.name) == ["call.json", "voicemail.mp3", "voicemail.txt"])
        let files = DirectoryListing(parent: all.parent, entries: all.withoutCallContent)
        let asked = Self.requests(fixture).dropFirst(before)
        #expect(!asked.contains { $0.contains("recordings") })
        #expect(Array(asked) == (version == .v1 ? ["GET /v1/call-voicemails/ACdemoA3"] : []))

        // The voicemail's bytes and text.
        let voicemail = try #require(fixture.server.workspace.call(id: "ACdemoA3")?.voicemail)
        let audio = files.entries[0].entry
        #expect(audio.attributes.size == UInt64(voicemail.content!.size))
        #expect(audio.attributes.modificationTime == Timestamp(seconds: 1_736_848_800))  // the call's time
        let handle = try await fixture.fileSystem.open(audio.attributes.inode, flags: O_RDONLY).handle
        let bytes = try await fixture.fileSystem.read(audio.attributes.inode, handle: handle, offset: 0, size: 1 << 20).joined()
        #expect(bytes == voicemail.content!.bytes(in: 0..<voicemail.content!.size))
        let text = files.entries[1].entry
        let textHandle = try await fixture.fileSystem.open(text.attributes.inode, flags: O_RDONLY).handle
        let textBytes = try await fixture.fileSystem.read(text.attributes.inode, handle: textHandle, offset: 0, size: 4096).joined()
        #expect(textBytes == Array((voicemail.transcript! + "\n").utf8))
        #expect(text.attributes.size == UInt64(textBytes.count))

        // An outgoing call nobody answered: no request at all, no files.
        let before2 = Self.requests(fixture).count
        let c1 = try await fixture.resolve("+15550100002/+15550109003/2025-03-05T09-00-00Z_ACdemoC1")
        let c1Requests = Self.requests(fixture).count - before2  // listing the participant (v1) or nothing
        #expect(try await fixture.fileSystem.listDirectory(c1.attributes.inode).entries.map(\.name) == ["call.json"])
        #expect(Self.requests(fixture).count - before2 == c1Requests)
        // A voicemail without a transcript: audio only.
        let c2 = try await fixture.resolve("+15550100002/+15550109003/2025-03-06T16-20-00Z_ACdemoC2")
        #expect(try await fixture.fileSystem.listDirectory(c2.attributes.inode).entries.map(\.name) == ["call.json", "voicemail.mp3"])
    }

    @Test("the same calls have the same paths, sizes and times under both versions")
    func samePaths() async throws {
        let v1 = try await Fixture.make(version: .v1)
        let dated = try await Fixture.make(version: .dated20260330)
        defer { Task { await v1.close(); await dated.close() } }
        let a = try await Self.walk(v1)
        let b = try await Self.walk(dated)
        let files = a.keys.filter { !$0.hasSuffix("/") }
        #expect(files.count >= 12)
        for path in files {
            let other = try #require(b[path], "\(path) missing under 2026-03-30")
            // What the versions say differently: v1's summaries have no title (ACdemoA5's
            // agent summary); v1's per-call transcript cannot tell ACdemoA2's two segments
            // that overlap in time apart (each line goes to the later one; see CallTimeline).
            if path.hasSuffix("ACdemoA5/summary.md") || (path.contains("ACdemoA2/") && path.hasSuffix(".vtt")) { continue }
            #expect(other.attributes.size == a[path]!.attributes.size, "\(path)")
            #expect(other.attributes.modificationTime == a[path]!.attributes.modificationTime, "\(path)")
        }
        // What only 2026-03-30 shows: the group call, the call on no workspace number, the anonymous caller.
        let extra = Set(b.keys).subtracting(a.keys).filter { !$0.hasSuffix("/") }
        #expect(extra.allSatisfy { $0.contains("ACdemoG1") || $0.contains("ACdemoN1") || $0.hasPrefix("_unassigned/") }, "\(extra)")
        #expect(extra.contains { $0.contains("ACdemoG1") })
    }

    @Test("a full walk costs at most the request budget", arguments: APIVersion.allCases)
    func walkBudget(version: APIVersion) async throws {
        let fixture = try await Fixture.make(version: version, options: MockOptions(maxPageSize: 2))
        defer { Task { await fixture.close() } }
        _ = try await Self.walk(fixture)
        let workspace = fixture.server.workspace
        let log = Self.requests(fixture)
        let answered = workspace.calls.filter { $0.answeredAt != nil }
        if version == .dated20260330 {
            // M + Σ⌈calls of a number / page⌉ + A + 1, with pages of 2 here: so A, one
            // recordings request per answered call with real pages of 50, is
            // Σ⌈segments / 2⌉ (and at least 1) over the answered calls.
            let perNumber = workspace.phoneNumbers.map { number in
                (workspace.calls.filter { $0.phoneNumberId == number.id }.count + 1) / 2
            }.reduce(0, +)
            let recordingPages = answered.map { max(1, ($0.recordings.count + 1) / 2) }.reduce(0, +)
            // Transcripts: one per answered call (pages of 2 segments here); names: users
            // and contacts, once. Summaries come with the calls.
            let transcriptPages = answered.map { max(1, ($0.recordings.filter { $0.transcript != nil }.count + 1) / 2) }
                .reduce(0, +)
            let people = (workspace.users.count + 1) / 2 + (workspace.contacts.count + 1) / 2
            let budget = workspace.phoneNumbers.count + perNumber + recordingPages + 1 + transcriptPages + people
            #expect(log.count <= budget, "\(log.count) > \(budget): \(log)")
            let transcribed = Set(log.filter { $0.contains("/transcripts") }.map { String($0.split(separator: "?")[0]) })
            #expect(transcribed == Set(answered.map { "GET /calls/\($0.id)/transcripts" }))
            #expect(!log.contains { $0.contains("call-summaries") })
        } else {
            let visible = answered.filter { $0.phoneNumberId != nil && $0.participants.count == 1 && $0.participants[0].hasPrefix("+") }
            let unansweredIncoming = workspace.calls.filter {
                $0.phoneNumberId != nil && $0.participants.count == 1 && $0.participants[0].hasPrefix("+")
                    && $0.direction == "incoming" && $0.answeredAt == nil
            }
            #expect(log.filter { $0.contains("call-recordings") }.count == visible.count)
            #expect(log.filter { $0.contains("call-voicemails") }.count == unansweredIncoming.count)
            // Transcripts and summaries: one request each per answered call.
            #expect(log.filter { $0.contains("call-transcripts") }.count == visible.count)
            #expect(log.filter { $0.contains("call-summaries") }.count == visible.count)
            #expect(log.filter { $0.contains("/v1/contacts") }.count == (workspace.contacts.count + 1) / 2)
        }
        // Every recordings request is for an answered call, and none twice.
        let recordingRequests = log.filter { $0.contains("recordings") }
        #expect(Set(recordingRequests).count == recordingRequests.count, "\(recordingRequests)")
        for line in recordingRequests {
            #expect(answered.contains { line.contains($0.id + "/") || line.hasSuffix($0.id) || line.contains($0.id + "?") }, "\(line)")
        }
    }
}
