import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `quofs mount --foreground …` running as a child of the test, to signal.
struct ForegroundDaemon {
    let process: Process
    let exited: AsyncStream<Int32>
    let mountpoint: String

    /// Starts it and waits (up to 10 s, unless `waitForMount` is false) until the mount
    /// is up. Its stderr goes to `standardError` (appended) or nowhere.
    static func start(mountpoint: String, arguments: [String], environment: [String: String]? = nil,
                      waitForMount: Bool = true, standardError: String? = nil) async throws -> ForegroundDaemon {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MountedWorkspace.quofs)
        process.arguments = ["mount", "--foreground", mountpoint] + arguments
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle.nullDevice
        if let standardError, let handle = FileHandle(forWritingAtPath: standardError) {
            handle.seekToEndOfFile()
            process.standardError = handle
        } else {
            process.standardError = FileHandle.nullDevice
        }
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        for _ in 0..<200 where waitForMount && !MountedWorkspace.isMounted(mountpoint) {
            try await Task.sleep(for: .milliseconds(50))
        }
        return ForegroundDaemon(process: process, exited: exited.stream, mountpoint: mountpoint)
    }

    /// Waits (up to 20 s, then kills it) for the process to exit by itself; its status.
    func waitForExit() async -> Int32 {
        let pid = process.processIdentifier
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(20))
            kill(pid, SIGKILL)
        }
        var status: Int32 = -1
        for await code in exited { status = code; break }
        watchdog.cancel()
        return status
    }

    /// Sends SIGTERM and returns the exit status. Never hangs the suite: after 20 s the
    /// process is killed (and the status is then not 0). Clears a mount left behind.
    func terminate() async -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        let status = await waitForExit()
        if MountedWorkspace.isMounted(mountpoint) { _ = try? await run(["fusermount3", "-uz", mountpoint]) }
        return status
    }
}
