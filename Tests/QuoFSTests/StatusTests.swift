import Foundation
import QuoAPI
import Synchronization
import Testing
@testable import QuoFS

#if canImport(Glibc)
import Glibc
#endif

/// `quofs status`'s pieces that work without a mount: where the socket is and what it is
/// called, the directory's rules, the listener (peer uid, removal), the JSON and text
/// renderings, and the file system's counters.
@Suite("Status", .serialized)
struct StatusTests {
    /// A fresh private directory (remove it with ``remove(_:)``).
    func temporaryDirectory() -> String {
        var template = Array("/tmp/quofs-status-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func remove(_ directory: String) {
        _ = try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Location and naming

    @Test("the directory: RUNTIME_DIRECTORY, else XDG_RUNTIME_DIR/quofs, else /tmp/quofs-<uid>")
    func directoryChoice() {
        #expect(StatusSocket.directory(environment: [:], uid: 1000) == "/tmp/quofs-1000")
        #expect(StatusSocket.directory(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"], uid: 1000) == "/run/user/1000/quofs")
        #expect(StatusSocket.directory(environment: ["XDG_RUNTIME_DIR": "/run/user/1000/"], uid: 1000) == "/run/user/1000/quofs")
        #expect(StatusSocket.directory(
            environment: ["XDG_RUNTIME_DIR": "/run/user/1000", "RUNTIME_DIRECTORY": "/run/quofs"], uid: 1000) == "/run/quofs")
        // systemd lists several RuntimeDirectory= paths with `:`: the first.
        #expect(StatusSocket.directory(environment: ["RUNTIME_DIRECTORY": "/run/quofs:/run/other"], uid: 0) == "/run/quofs")
        // Empty or relative values are ignored.
        #expect(StatusSocket.directory(environment: ["RUNTIME_DIRECTORY": "", "XDG_RUNTIME_DIR": "relative"], uid: 7) == "/tmp/quofs-7")
        #expect(StatusSocket.isSystemdDirectory(environment: ["RUNTIME_DIRECTORY": "/run/quofs"]))
        #expect(!StatusSocket.isSystemdDirectory(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"]))
    }

    @Test("the socket is named by FNV-1a 64 of the mount point: 16 hex digits and .sock")
    func naming() {
        #expect(StatusSocket.fnv1a64([]) == 0xcbf2_9ce4_8422_2325)
        #expect(StatusSocket.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(StatusSocket.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        let name = StatusSocket.name(forMountPoint: "/mnt/calls")
        #expect(name == String(StatusSocket.fnv1a64(Array("/mnt/calls".utf8)), radix: 16) + ".sock")
        #expect(name.count == 21)
        #expect(StatusSocket.name(forMountPoint: "a") == "af63dc4c8601ec8c.sock")
        #expect(StatusSocket.name(forMountPoint: "/mnt/calls") == "9ee41bfad1232c35.sock")  // the README's example
        // Leading zeros are kept: every name has the same length.
        let names = (0..<2000).map { StatusSocket.name(forMountPoint: "/mnt/calls-\($0)") }
        #expect(names.allSatisfy { $0.count == 21 && $0.dropLast(5).allSatisfy(\.isHexDigit) })
        #expect(Set(names).count == names.count)
        #expect(StatusSocket.path(forMountPoint: "/mnt/calls", in: "/run/user/1000/quofs") == "/run/user/1000/quofs/" + name)
        // However long the mount point, the socket path fits a sockaddr_un.
        let long = "/" + String(repeating: "x", count: 4000)
        #expect(StatusSocket.path(forMountPoint: long, in: "/run/user/1000/quofs").utf8.count < StatusSocket.maxPathBytes)
        #expect(StatusSocket.maxPathBytes == 107)
    }

    @Test("the mount point is named with its parent's symlinks resolved, the mount point itself untouched")
    func canonicalMountPoint() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let real = directory + "/real"
        mkdir(real, 0o700)
        symlink(real, directory + "/link")
        #expect(StatusSocket.canonicalMountPoint(directory + "/link/calls") == real + "/calls")
        #expect(StatusSocket.canonicalMountPoint(real + "/calls") == real + "/calls")
        // A mount point that does not exist (yet) keeps its name.
        #expect(StatusSocket.canonicalMountPoint(real + "/missing/calls") == real + "/missing/calls")
        #expect(StatusSocket.canonicalMountPoint("/") == "/")
        #expect(StatusSocket.canonicalMountPoint("/calls") == "/calls")
    }

    // MARK: The directory's rules

    @Test("the directory is made 0700; a missing one is not made for a client")
    func directoryCreated() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let path = directory + "/quofs"
        #expect(try StatusSocket.prepareDirectory(path, create: false) == false)
        #expect(access(path, F_OK) != 0)
        let oldMask = umask(0)
        defer { umask(oldMask) }
        #expect(try StatusSocket.prepareDirectory(path, create: true))
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700)
        // Again: fine as it is.
        #expect(try StatusSocket.prepareDirectory(path, create: true))
    }

    @Test("refused: another user's, open to group or others, a symlink, not a directory")
    func directoryRefused() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let open = directory + "/open"
        mkdir(open, 0o700)
        chmod(open, 0o750)
        #expect(throws: StatusSocketError.self) { try StatusSocket.prepareDirectory(open, create: true) }
        // A systemd RuntimeDirectory= of our own (0755 by default) is tightened instead.
        #expect(try StatusSocket.prepareDirectory(open, create: false, tighten: true))
        var info = stat()
        lstat(open, &info)
        #expect(info.st_mode & 0o7777 == 0o700)

        let error = #expect(throws: StatusSocketError.self) {
            try StatusSocket.prepareDirectory(open, uid: getuid() &+ 1, create: true, tighten: true)
        }
        #expect(error?.description.contains("belongs to another user") == true)

        symlink(open, directory + "/link")
        #expect(throws: StatusSocketError.self) { try StatusSocket.prepareDirectory(directory + "/link", create: true) }
        _ = FileManager.default.createFile(atPath: directory + "/file", contents: nil)
        #expect(throws: StatusSocketError.self) { try StatusSocket.prepareDirectory(directory + "/file", create: true) }
    }

    // MARK: The listener

    @Test("answers its own uid over a 0600 socket; removes it when stopped")
    func listenerAnswers() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let path = directory + "/" + StatusSocket.name(forMountPoint: "/mnt/calls")
        let listener = try StatusListener.start(path: path) { request in Array("answer to \(request)\n".utf8) }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o7777 == 0o600)
        #expect(try StatusSocket.ask(path).get() == Array("answer to status\n".utf8))
        // Several in a row (each connection has its own thread).
        for _ in 0..<20 { #expect(try StatusSocket.ask(path).get().count == 17) }
        listener.stop()
        #expect(lstat(path, &info) != 0)
        #expect(StatusSocket.ask(path) == .failure(.missing))
        listener.stop()  // twice is harmless
    }

    @Test("a connection from another uid is closed without a byte (SO_PEERCRED)")
    func listenerRefusesOtherUID() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let path = directory + "/peer.sock"
        let refused = Mutex<[String]>([])
        let listener = try StatusListener.start(
            path: path, allowedUID: getuid() &+ 1, respond: { _ in Array("secret\n".utf8) },
            log: { line in refused.withLock { $0.append(line) } })
        defer { listener.stop() }
        #expect(StatusSocket.ask(path) == .failure(.noAnswer))
        #expect(refused.withLock { $0 }.first?.contains("refused a connection from uid \(getuid())") == true)
    }

    @Test("a socket nobody listens on is stale; a newer daemon's socket survives an older one's stop")
    func staleAndReplaced() throws {
        let directory = temporaryDirectory()
        defer { remove(directory) }
        let path = directory + "/stale.sock"
        // A dead daemon's socket: bound, never listened on (or its process gone).
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = StatusSocket.address(path)!
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(fd)
        #expect(StatusSocket.ask(path) == .failure(.stale))

        // A new daemon replaces it; an old one stopping later leaves the new socket be.
        let old = try StatusListener.start(path: path) { _ in Array("old\n".utf8) }
        let new = try StatusListener.start(path: path) { _ in Array("new\n".utf8) }
        old.stop()
        #expect(try StatusSocket.ask(path).get() == Array("new\n".utf8))
        new.stop()
        #expect(access(path, F_OK) != 0)

        // Something that is not a socket is never replaced.
        _ = FileManager.default.createFile(atPath: directory + "/file.sock", contents: Data("x".utf8))
        #expect(throws: StatusSocketError.self) {
            try StatusListener.start(path: directory + "/file.sock") { _ in [] }
        }
    }

    // MARK: Rendering

    static func sample(catalog: Bool = true, reads: Bool = true) -> MountStatus {
        var statistics = FileSystemStatistics()
        statistics.listingsKnown = 12
        statistics.callsKnown = 34
        statistics.cacheBytes = 3 << 20
        statistics.cacheBudgetBytes = 256 << 20
        statistics.cacheHits = reads ? 3 : 0
        statistics.cacheMisses = reads ? 1 : 0
        statistics.openFiles = 2
        statistics.recordingBytesRead = 5_242_880
        statistics.readErrors = 1
        statistics.recordingRequests = 9
        statistics.walksRecognized = 1
        statistics.filesFetchedAhead = 6
        statistics.filesAheadHits = 5
        statistics.filesAheadWasted = 1
        statistics.api = ClientStatistics(requestsSent: 40, requestsLastMinute: 7, rateLimited: 2, retries: 3)
        return MountStatus(
            mountPoint: "/mnt/calls", socketPath: "/run/user/1000/quofs/x.sock", pid: 4321, uptimeSeconds: 3725,
            apiVersion: "2026-03-30", apiURL: "https://api.quo.com", catalogPath: catalog ? "/home/u/.cache/quofs/c.sqlite" : nil,
            catalogBytes: 12288, statistics: statistics)
    }

    @Test("JSON: one object, every key snake_case and sorted, null for no catalog or no reads yet")
    func json() throws {
        let json = Self.sample().json
        #expect(json == """
            {"api_429s":2,"api_host":"api.quo.com","api_requests_last_minute":7,"api_requests_per_second":0.117,\
            "api_requests_sent":40,"api_retries":3,"api_url":"https://api.quo.com","api_version":"2026-03-30",\
            "block_cache_budget_bytes":268435456,"block_cache_bytes":3145728,"block_cache_hit_ratio":0.75,\
            "block_cache_hits":3,"block_cache_misses":1,"calls_known":34,"catalog_bytes":12288,\
            "catalog_path":"/home/u/.cache/quofs/c.sqlite","files_ahead_hits":5,"files_ahead_wasted":1,\
            "files_fetched_ahead":6,"listings_known":12,"mount_point":"/mnt/calls",\
            "open_files":2,"pid":4321,"read_errors":1,"recording_bytes_read":5242880,"recording_requests":9,\
            "socket_path":"/run/user/1000/quofs/x.sock","uptime_seconds":3725,"walks_recognized":1}

            """)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(MountStatus.CodingKeys.allCases.map(\.rawValue)))
        #expect(object.keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } })

        let none = Self.sample(catalog: false, reads: false).json
        #expect(none.contains("\"catalog_path\":null"))
        #expect(none.contains("\"catalog_bytes\":null"))
        #expect(none.contains("\"block_cache_hit_ratio\":null"))
        #expect(try MountStatus(json: Array(none.utf8)) == Self.sample(catalog: false, reads: false))
        #expect(try MountStatus(json: Array(json.utf8)) == Self.sample())
        // A daemon of 0.5.0 did not send the readahead keys: they read as 0.
        var old = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["recording_requests", "walks_recognized", "files_fetched_ahead", "files_ahead_hits", "files_ahead_wasted"] {
            old[key] = nil
        }
        let decoded = try MountStatus(json: Array(try JSONSerialization.data(withJSONObject: old)))
        #expect(decoded.mountPoint == "/mnt/calls" && decoded.recordingRequests == 0 && decoded.filesAheadHits == 0)
    }

    @Test("text: aligned key: value lines")
    func humanReadable() {
        let text = Self.sample().humanReadable
        #expect(text == """
            mount point:               /mnt/calls
            pid:                       4321
            uptime:                    1h 02m 05s
            API version:               2026-03-30
            API host:                  api.quo.com
            API requests sent:         40
            API requests, last minute: 7 (0.12/s)
            API 429s:                  2
            API retries:               3
            listings known:            12
            calls known:               34
            catalog:                   /home/u/.cache/quofs/c.sqlite (12.0 KiB)
            block cache:               3.0 MiB of 256.0 MiB (1.2%)
            block cache hit ratio:     75.0% (hits 3, misses 1)
            open files:                2
            recording bytes read:      5242880 (5.0 MiB)
            read errors:               1
            recording requests:        9
            files fetched ahead:       6 (hits 5, wasted 1, walks 1)
            status socket:             /run/user/1000/quofs/x.sock

            """)
        let none = Self.sample(catalog: false, reads: false).humanReadable
        #expect(none.contains("\ncatalog:                   none\n"))
        #expect(none.contains("\nblock cache hit ratio:     - (no reads yet)\n"))
    }

    @Test("hosts, sizes and durations")
    func formats() {
        #expect(MountStatus.host(ofURL: "https://api.quo.com") == "api.quo.com")
        #expect(MountStatus.host(ofURL: "https://api.quo.com/") == "api.quo.com")
        #expect(MountStatus.host(ofURL: "http://127.0.0.1:8080") == "127.0.0.1:8080")
        #expect(MountStatus.host(ofURL: "http://[::1]:8080") == "[::1]:8080")
        #expect(MountStatus.bytes(0) == "0 B")
        #expect(MountStatus.bytes(1023) == "1023 B")
        #expect(MountStatus.bytes(1536) == "1.5 KiB")
        #expect(MountStatus.bytes(256 << 20) == "256.0 MiB")
        #expect(MountStatus.bytes(3 << 30) == "3.0 GiB")
        #expect(MountStatus.duration(0) == "0s")
        #expect(MountStatus.duration(65) == "1m 05s")
        #expect(MountStatus.duration(90061) == "1d 01h 01m")
    }

    // MARK: Counters

    @Test("the file system's counters: listings, calls, cache, hits, open files, bytes read, requests")
    func fileSystemCounters() async throws {
        let fixture = try await Fixture.make { $0.cacheSize = 4 << 20; $0.blockSize = 256 << 10 }
        defer { Task { await fixture.close() } }
        let fileSystem = fixture.fileSystem
        let before = fileSystem.statistics
        #expect(before.listingsKnown == 1)  // the root, seeded at mount time
        #expect(before.callsKnown == 0)
        #expect(before.cacheBudgetBytes == 4 << 20)
        #expect(before.cacheHitRatio == nil)

        let file = try await fixture.resolve(QuoFileSystemTests.smallWAV)
        let handle = try await fileSystem.open(file.attributes.inode, flags: O_RDONLY).handle
        #expect(fileSystem.statistics.openFiles == 1)
        let first = try await fileSystem.read(file.attributes.inode, handle: handle, offset: 0, size: 4096).joined()
        let again = try await fileSystem.read(file.attributes.inode, handle: handle, offset: 0, size: 4096).joined()
        #expect(first == again)
        await fileSystem.release(file.attributes.inode, handle: handle)
        await fileSystem.release(file.attributes.inode, handle: handle)  // an unknown handle changes nothing

        let after = fileSystem.statistics
        #expect(after.openFiles == 0)
        #expect(after.listingsKnown >= 4)  // root, number, participants, call
        #expect(after.callsKnown >= 1)
        #expect(after.cacheMisses >= 1)
        #expect(after.cacheHits >= 1)
        #expect(after.cacheBytes > 0 && after.cacheBytes <= 4 << 20)
        #expect(after.recordingBytesRead >= 4096)
        #expect(after.readErrors == 0)
        #expect(after.api.requestsSent == fixture.server.stats().apiRequests)
        #expect(after.api.requestsLastMinute == after.api.requestsSent)
    }
}
