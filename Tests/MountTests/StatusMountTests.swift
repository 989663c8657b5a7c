import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `quofs status` against real mounts: what the daemon reports after a listing and a
/// read, the listing of running mounts, the socket's and directory's modes, another
/// user's refusal, and the socket's removal at unmount.
@Suite("Real mounts: status", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct StatusMountTests {
    static let call = "+15550100001/+15550109001/2025-01-12T09-14-33Z_ACdemoA1"
    static let recording = call + "/2025-01-12T09-14-35Z.mp3"

    /// The environment `quofs status` runs in: the mounts' runtime directory.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = MountedWorkspace.runtimeDirectory
        environment.removeValue(forKey: "RUNTIME_DIRECTORY")
        return environment
    }

    static var statusDirectory: String { MountedWorkspace.runtimeDirectory + "/quofs" }

    static func status(_ arguments: [String]) async throws -> ProcessResult {
        try await run([MountedWorkspace.quofs, "status"] + arguments, environment: environment, timeout: .seconds(30))
    }

    /// `quofs status MOUNTPOINT --json`, parsed.
    static func json(_ mountpoint: String) async throws -> [String: Any] {
        let result = try await status([mountpoint, "--json"])
        try #require(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("}\n") && result.stdout.filter { $0 == "\n" }.count == 1, "one line: \(result.stdout)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// `host:port` of a URL.
    static func host(_ url: String) -> String {
        let components = URLComponents(string: url)!
        return components.port.map { "\(components.host!):\($0)" } ?? components.host!
    }

    /// The `key: value` lines of the human output, by key.
    static func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    static let keys: Set<String> = [
        "api_429s", "api_host", "api_requests_last_minute", "api_requests_per_second", "api_requests_sent", "api_retries",
        "api_url", "api_version", "block_cache_budget_bytes", "block_cache_bytes", "block_cache_hit_ratio",
        "block_cache_hits", "block_cache_misses", "calls_known", "catalog_bytes", "catalog_path", "listings_known",
        "mount_point", "open_files", "pid", "read_errors", "recording_bytes_read", "socket_path", "uptime_seconds",
        "recording_requests", "walks_recognized", "files_fetched_ahead", "files_ahead_hits", "files_ahead_wasted",
    ]

    @Test("after a listing and a read: version, host, requests, bytes, cache, open files, catalog; the list; modes; another user; unmount")
    func liveMount() async throws {
        let (mountpoint, socket) = try await MountedWorkspace.with(arguments: ["--fetch-ahead", "0"]) { mount in
            let ls = try await run(["ls", "-l", mount.path(Self.call)])
            #expect(ls.status == 0, "\(ls)")
            let cat = try await sh("cat \(quoted(mount.path(Self.recording))) > /dev/null")
            #expect(cat.status == 0, "\(cat)")

            // The kernel sends the release after close returns: wait for it.
            var object = try await Self.json(mount.mountpoint)
            for _ in 0..<50 where object["open_files"] as? Int != 0 {
                try await Task.sleep(for: .milliseconds(100))
                object = try await Self.json(mount.mountpoint)
            }
            let apiRequests = mount.server.stats().apiRequests
            #expect(Set(object.keys) == Self.keys)
            #expect(object["mount_point"] as? String == mount.mountpoint)
            #expect(object["api_version"] as? String == "2026-03-30")
            #expect(object["api_url"] as? String == mount.server.baseURL)
            #expect(object["api_host"] as? String == Self.host(mount.server.baseURL))
            #expect(object["api_requests_sent"] as? Int == apiRequests)
            #expect(object["api_requests_last_minute"] as? Int == apiRequests)
            #expect(object["api_429s"] as? Int == 0)
            #expect(object["api_retries"] as? Int == 0)
            #expect((object["listings_known"] as? Int ?? 0) >= 4)
            #expect((object["calls_known"] as? Int ?? 0) >= 1)
            #expect((object["recording_bytes_read"] as? Int ?? 0) > 0)
            #expect((object["block_cache_bytes"] as? Int ?? 0) > 0)
            #expect(object["block_cache_budget_bytes"] as? Int == 256 << 20)
            #expect((object["block_cache_misses"] as? Int ?? 0) > 0)
            #expect(object["block_cache_hit_ratio"] is Double || object["block_cache_hit_ratio"] is Int)
            #expect(object["open_files"] as? Int == 0)
            #expect(object["read_errors"] as? Int == 0)
            // Every request the recording host saw (size probe and reads) was the daemon's.
            #expect(object["recording_requests"] as? Int == mount.server.stats().mediaRequests)
            #expect((object["recording_requests"] as? Int ?? 0) >= 2)
            // One file read whole is no walk: nothing fetched ahead.
            #expect(object["walks_recognized"] as? Int == 0)
            #expect(object["files_fetched_ahead"] as? Int == 0)
            let catalog = try #require(object["catalog_path"] as? String)
            #expect(catalog.hasSuffix(".sqlite") && FileManager.default.fileExists(atPath: catalog))
            #expect((object["catalog_bytes"] as? Int ?? 0) > 0)
            let socket = try #require(object["socket_path"] as? String)
            #expect(socket.hasPrefix(Self.statusDirectory + "/") && socket.hasSuffix(".sock"))

            // Asking costs no API request.
            let text = try await Self.status([mount.mountpoint])
            #expect(text.status == 0, "\(text)")
            #expect(mount.server.stats().apiRequests == apiRequests)
            let fields = Self.fields(text.stdout)
            #expect(fields["mount point"] == mount.mountpoint)
            #expect(fields["API version"] == "2026-03-30")
            #expect(fields["API host"] == Self.host(mount.server.baseURL))
            #expect(fields["API requests sent"] == "\(apiRequests)")
            #expect(fields["API 429s"] == "0")
            #expect(fields["open files"] == "0")
            #expect(fields["catalog"]?.hasPrefix(catalog + " (") == true)
            #expect(fields["block cache"]?.contains(" of 256.0 MiB") == true)
            #expect(fields["read errors"] == "0")
            for key in ["pid", "uptime", "API requests, last minute", "API retries", "listings known", "calls known",
                        "block cache hit ratio", "recording bytes read", "status socket"] {
                #expect(fields[key] != nil, "no \(key) in \(text.stdout)")
            }
            // Aligned: every value starts in the same column.
            let starts = Set(text.stdout.split(separator: "\n").map { line -> Int in
                let colon = line.firstIndex(of: ":")!
                let value = line[line.index(after: colon)...].firstIndex { $0 != " " }!
                return line.distance(from: line.startIndex, to: value)
            })
            #expect(starts.count == 1, "\(text.stdout)")

            // The list: this mount, with its host; a dead daemon's socket is removed.
            let stale = Self.statusDirectory + "/0000000000000000.sock"
            try Self.makeStaleSocket(stale)
            let list = try await Self.status([])
            #expect(list.status == 0, "\(list)")
            let row = list.stdout.split(separator: "\n").first { $0.hasPrefix(mount.mountpoint + " ") }
            #expect(row?.contains(Self.host(mount.server.baseURL)) == true, "\(list)")
            #expect(row?.contains("2026-03-30") == true)
            #expect(access(stale, F_OK) != 0, "the stale socket is still there")
            let listJSON = try await Self.status(["--json"])
            let mounts = try #require(try JSONSerialization.jsonObject(with: Data(listJSON.stdout.utf8)) as? [[String: Any]])
            #expect(mounts.contains { $0["mount_point"] as? String == mount.mountpoint && $0["socket_path"] as? String == socket })

            // Modes: the socket 0600, its directory 0700, both ours.
            var info = stat()
            #expect(lstat(socket, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o7777 == 0o600)
            #expect(info.st_uid == getuid())
            #expect(lstat(Self.statusDirectory, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFDIR)
            #expect(info.st_mode & 0o7777 == 0o700)
            #expect(info.st_uid == getuid())

            // Another user: the status command fails on the directory, with no status...
            let nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            let other = try await run(nobody + [MountedWorkspace.quofs, "status", mount.mountpoint],
                                      environment: Self.environment, timeout: .seconds(30))
            #expect(other.status == 1, "\(other)")
            #expect(other.stdout.isEmpty, "\(other)")
            #expect(other.stderr.contains("Permission denied"), "\(other)")
            #expect(other.stderr.split(separator: "\n").count == 1, "\(other)")
            // ...and a raw connection to the socket itself (through a link in a directory
            // anyone may enter) is refused by its mode.
            var template = Array("/tmp/quofs-status-link-XXXXXX".utf8CString)
            let open = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
            defer { unlink(open + "/s.sock"); rmdir(open) }
            chmod(open, 0o755)
            #expect(link(socket, open + "/s.sock") == 0, "\(String(cString: strerror(errno)))")
            let client = ["perl", "-MSocket", "-MIO::Handle", "-e", """
                socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!\\n";
                connect($s, pack_sockaddr_un($ARGV[0])) or die "connect: $!\\n";
                $s->autoflush(1); print $s "status\\n"; print <$s>;
                """, open + "/s.sock"]
            // The link reaches the daemon: its own user gets the status through it...
            let own = try await run(client, timeout: .seconds(30))
            #expect(own.status == 0 && own.stdout.contains("\"mount_point\":\"\(mount.mountpoint)\""), "\(own)")
            // ...another is refused by the socket's mode.
            let connect = try await run(nobody + client, timeout: .seconds(30))
            #expect(connect.status != 0, "\(connect)")
            #expect(connect.stderr.contains("Permission denied"), "\(connect)")
            #expect(!connect.stdout.contains("mount_point"), "\(connect)")
            return (mount.mountpoint, socket)
        }

        // Unmounted: the socket is gone, and status is one line and exit 1.
        for _ in 0..<50 where access(socket, F_OK) == 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(access(socket, F_OK) != 0, "\(socket) left behind")
        let after = try await Self.status([mountpoint])
        #expect(after.status == 1, "\(after)")
        #expect(after.stdout.isEmpty)
        #expect(after.stderr.split(separator: "\n").count == 1, "\(after)")
        #expect(after.stderr.contains("is not a quofs mount"), "\(after)")
    }

    @Test("--no-catalog: catalog none; no read yet: no hit ratio; a path that is no mount: one line, exit 1")
    func noCatalog() async throws {
        try await MountedWorkspace.with(arguments: ["--no-catalog"]) { mount in
            let object = try await Self.json(mount.mountpoint)
            #expect(object["catalog_path"] is NSNull)
            #expect(object["catalog_bytes"] is NSNull)
            #expect(object["block_cache_hit_ratio"] is NSNull)
            #expect(object["recording_bytes_read"] as? Int == 0)
            #expect(object["api_requests_sent"] as? Int == mount.server.stats().apiRequests)
            let text = try await Self.status([mount.mountpoint])
            #expect(Self.fields(text.stdout)["catalog"] == "none", "\(text)")
            // Relative paths and trailing slashes name the same mount.
            let parent = (mount.mountpoint as NSString).deletingLastPathComponent
            let name = (mount.mountpoint as NSString).lastPathComponent
            let relative = try await sh("cd \(quoted(parent)) && XDG_RUNTIME_DIR=\(quoted(MountedWorkspace.runtimeDirectory)) \(quoted(MountedWorkspace.quofs)) status \(quoted(name + "/"))")
            #expect(relative.status == 0 && Self.fields(relative.stdout)["mount point"] == mount.mountpoint, "\(relative)")
        }
        let directory = MountedWorkspace.makeMountpoint()
        defer { rmdir(directory) }
        for path in [directory, "/nonexistent/quofs-status"] {
            let result = try await Self.status([path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.split(separator: "\n") == ["Error: \(path) is not a quofs mount"], "\(result)")
        }
    }

    /// A socket file nothing listens on, as a daemon killed with SIGKILL leaves.
    static func makeStaleSocket(_ path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        try bindUnixSocket(fd, to: path)
    }
}
