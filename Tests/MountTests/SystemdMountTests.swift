import Foundation
import QuoMock
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket (`$NOTIFY_SOCKET`).
final class FakeNotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32

    init() throws {
        path = MountedWorkspace.makeMountpoint() + "/notify"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try bindUnixSocket(fd, to: path)
    }

    /// The next datagram, or nil after `seconds`.
    func receive(within seconds: Int) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    deinit {
        close(fd)
        unlink(path)
        rmdir((path as NSString).deletingLastPathComponent)
    }
}

/// Real mounts run as systemd runs them: `Type=notify` readiness and stopping, and log
/// lines for the journal.
@Suite("Real mounts: systemd", .serialized, .enabled(if: MountedWorkspace.canMount, "needs /dev/fuse and the built quofs"))
struct SystemdMountTests {
    @Test("READY=1 arrives once the mount answers; STOPPING=1 on SIGTERM; the daemon exits 0")
    func notify() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let notify = try FakeNotifySocket()
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        var environment = MountedWorkspace.environment(key: server.options.apiKey)
        environment["NOTIFY_SOCKET"] = notify.path
        let daemon = try await ForegroundDaemon.start(
            mountpoint: mountpoint, arguments: ["--api-url", server.baseURL], environment: environment, waitForMount: false)
        let ready = notify.receive(within: 30)
        #expect(ready?.split(separator: "\n").contains("READY=1") == true, "\(ready ?? "nothing")")
        // At that moment the mount is there and answers (no waiting, no retry).
        #expect(MountedWorkspace.isMounted(mountpoint))
        let listing = try FileManager.default.contentsOfDirectory(atPath: mountpoint)
        #expect(listing.sorted() == ["+15550100001", "+15550100002", "_unassigned"], "\(listing)")
        kill(daemon.process.processIdentifier, SIGTERM)
        let stopping = notify.receive(within: 20)
        #expect(stopping == "STOPPING=1", "\(stopping ?? "nothing")")
        // One SIGTERM is enough: no second one (a signal during shutdown is not handled).
        #expect(await daemon.waitForExit() == 0)
        #expect(!MountedWorkspace.isMounted(mountpoint))
        await server.stop()
    }

    @Test("umount of a running mount: the daemon unmounts cleanly and exits 0")
    func umountExitsZero() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let mountpoint = MountedWorkspace.makeMountpoint()
        defer { rmdir(mountpoint) }
        let daemon = try await ForegroundDaemon.start(
            mountpoint: mountpoint, arguments: ["--api-url", server.baseURL], environment: MountedWorkspace.environment(key: server.options.apiKey))
        #expect(MountedWorkspace.isMounted(mountpoint))
        let umount = try await run(["umount", mountpoint])
        #expect(umount.status == 0, "\(umount)")
        #expect(await daemon.waitForExit() == 0)
        #expect(!MountedWorkspace.isMounted(mountpoint))
        await server.stop()
    }

    @Test("under journald (JOURNAL_STREAM naming stderr) log lines carry a priority and no timestamp")
    func journalLines() async throws {
        let server = try await QuoMockServer.start(workspace: .demo, options: MockOptions())
        let mountpoint = MountedWorkspace.makeMountpoint()
        let logPath = mountpoint + ".log"
        defer { rmdir(mountpoint); unlink(logPath) }
        // stderr is a file; JOURNAL_STREAM names that file, as systemd names its stream.
        FileManager.default.createFile(atPath: logPath, contents: nil)
        var info = stat()
        #expect(stat(logPath, &info) == 0)
        var environment = MountedWorkspace.environment(key: server.options.apiKey)
        environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        let daemon = try await ForegroundDaemon.start(
            mountpoint: mountpoint, arguments: ["--api-url", server.baseURL], environment: environment, standardError: logPath)
        #expect(await daemon.terminate() == 0)
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("<6>quofs: mounted ") }, "\(log)")
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "\(log)")
        #expect(!log.contains("T") || !lines.contains { $0.range(of: #"^\d{4}-\d{2}-\d{2}T"#, options: .regularExpression) != nil })
        // Without it (or naming another stream), the usual timestamped lines.
        environment["JOURNAL_STREAM"] = "1:1"
        let plain = try await ForegroundDaemon.start(
            mountpoint: mountpoint, arguments: ["--api-url", server.baseURL], environment: environment, standardError: logPath)
        #expect(await plain.terminate() == 0)
        let again = try String(contentsOfFile: logPath, encoding: .utf8).dropFirst(log.count)
        #expect(again.split(separator: "\n").contains { $0.range(of: #"^\d{4}-\d{2}-\d{2}T.* info quofs"#, options: .regularExpression) != nil },
                "\(again)")
        await server.stop()
    }
}
