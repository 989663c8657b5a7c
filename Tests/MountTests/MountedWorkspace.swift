import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real kernel mount of `quofs` (the built binary, as a daemon) against a QuoMock
/// server running in the test process.
struct MountedWorkspace: Sendable {
    let server: QuoMockServer
    let mountpoint: String

    /// The `quofs` binary built next to this test bundle.
    static var quofs: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("quofs").path
    }

    /// Whether mount tests can run here. Under CI they must: there, missing FUSE is a
    /// failure, not a skip.
    static var canMount: Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        return access("/dev/fuse", R_OK | W_OK) == 0 && FileManager.default.isExecutableFile(atPath: quofs)
    }

    static func makeMountpoint() -> String {
        var template = Array("/tmp/quofs-mnt-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return path
    }

    /// Starts a fake API, mounts quofs on a fresh directory, runs `body`, and always
    /// unmounts and stops the server afterwards.
    static func with<T: Sendable>(
        workspace: MockWorkspace = .demo, options: MockOptions = MockOptions(maxPageSize: 2), arguments: [String] = [],
        _ body: (MountedWorkspace) async throws -> T
    ) async throws -> T {
        let server = try await QuoMockServer.start(workspace: workspace, options: options)
        let mountpoint = makeMountpoint()
        let mount = try await run(
            [quofs, "mount", mountpoint, "--api-url", server.baseURL] + arguments,
            environment: environment(key: options.apiKey), timeout: .seconds(60))
        guard mount.status == 0 else {
            await server.stop()
            rmdir(mountpoint)
            throw MountTestError("quofs mount failed: \(mount)")
        }
        let workspace = MountedWorkspace(server: server, mountpoint: mountpoint)
        do {
            let result = try await body(workspace)
            try await workspace.unmount()
            return result
        } catch {
            try? await workspace.unmount()
            throw error
        }
    }

    /// XDG_RUNTIME_DIR of the mounts of this test process: a private folder of its own
    /// (0700), so tests never touch the real one. Status sockets are in its `quofs/`.
    static let runtimeDirectory: String = {
        var template = Array("/tmp/quofs-test-runtime-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }()

    /// The environment a mount runs in: the key, a new empty cache folder (so every
    /// mount starts with an empty catalog unless a test passes `--catalog-dir`), and
    /// ``runtimeDirectory``.
    static func environment(key: String?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["QUO_API_KEY"] = key
        environment["XDG_RUNTIME_DIR"] = runtimeDirectory
        environment.removeValue(forKey: "RUNTIME_DIRECTORY")
        var template = Array("/tmp/quofs-test-cache-XXXXXX".utf8CString)
        environment["XDG_CACHE_HOME"] = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        environment.removeValue(forKey: "QUO_API_URL")
        return environment
    }

    /// The bytes a recording (`CR…`) or voicemail (`VM…`) serves.
    static func content(_ server: QuoMockServer, _ id: String) throws -> RecordingContent {
        let voicemail = server.workspace.calls.first { $0.voicemail?.id == id }?.voicemail
        return try #require(server.workspace.recording(id: id)?.content ?? voicemail?.content, "no content for \(id)")
    }

    /// Writes the source bytes of a recording or voicemail to a temporary file.
    static func sourceFile(_ server: QuoMockServer, _ recordingID: String) throws -> String {
        let content = try content(server, recordingID)
        let path = NSTemporaryDirectory() + "quofs-source-\(recordingID)"
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           (attributes[.size] as? Int) == content.size {
            return path
        }
        let handle = try FileHandle(forWritingTo: {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return URL(fileURLWithPath: path)
        }())
        var offset = 0
        while offset < content.size {
            let end = min(offset + (4 << 20), content.size)
            handle.write(Data(content.bytes(in: offset..<end)))
            offset = end
        }
        try handle.close()
        return path
    }

    /// `cmp` of every audio file of the demo tree under `mountpoint` against its source:
    /// one expectation per file.
    static func expectEveryByteRight(_ server: QuoMockServer, at mountpoint: String) async throws {
        for (path, id) in MountTests.expectedFiles.sorted(by: { $0.key < $1.key }) {
            let source = try sourceFile(server, id)
            let compare = try await run(["cmp", mountpoint + "/" + path, source])
            #expect(compare.status == 0, "\(path): \(compare)")
        }
    }

    func path(_ relative: String) -> String {
        relative.isEmpty ? mountpoint : mountpoint + "/" + relative
    }

    func unmount() async throws {
        let result = try await run([Self.quofs, "unmount", mountpoint], timeout: .seconds(30))
        // The daemon exits after the unmount; give it a moment, then clean up.
        for _ in 0..<100 where Self.isMounted(mountpoint) {
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.stop()
        rmdir(mountpoint)
        guard result.status == 0 else { throw MountTestError("quofs unmount failed: \(result)") }
    }

    static func isMounted(_ path: String) -> Bool {
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(4).first == Substring(path) }
    }
}

struct MountTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Binds the unix socket `fd` to `path` (a stale status socket, a fake notify socket).
func bindUnixSocket(_ fd: Int32, to path: String) throws {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard fd >= 0, bound == 0 else { throw MountTestError("cannot bind \(path): \(String(cString: strerror(errno)))") }
}
