import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Running the mount in the background.
///
/// `fork()` is unsafe once threads exist (NIO, Dispatch), so `quofs mount` without
/// `--foreground` starts itself again as a child with `--foreground` and
/// `QUOFS_DAEMON_CHILD=1`. The child detaches (`setsid`), mounts, writes `ready` to its
/// stdout (a pipe to the parent) and then points stdout/stderr at the log file. The
/// parent exits 0 on `ready`, or prints the child's error and exits non-zero.
enum Daemon {
    static let childVariable = "QUOFS_DAEMON_CHILD"
    static let readyLine = "ready"

    static var isChild: Bool {
        ProcessInfo.processInfo.environment[childVariable] == "1"
    }

    /// In the parent: starts the child and waits until it is mounted or has failed.
    static func launchAndWait(arguments: [String]) throws -> Never {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--foreground"]
        var environment = ProcessInfo.processInfo.environment
        environment[childVariable] = "1"
        process.environment = environment
        let ready = Pipe()
        process.standardOutput = ready
        process.standardInput = FileHandle.nullDevice
        // The child's stderr goes to a file, not a pipe, so a chatty child can never block
        // on a full pipe before it is ready.
        let errorPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("quofs-start-\(getpid()).log").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        // Removed by hand before each exit: `exit` runs no `defer`.
        let errorFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardError = errorFile
        try process.run()
        try? errorFile.close()

        let output = String(decoding: ready.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if output.split(separator: "\n").contains(Substring(readyLine)) {
            // Warnings logged while mounting (e.g. a catalog moved aside) reach the user.
            let log = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            let warnings = log.split(separator: "\n").filter { $0.contains(" warning ") || $0.contains(" error ") }
            if !warnings.isEmpty {
                FileHandle.standardError.write(Data((warnings.joined(separator: "\n") + "\n").utf8))
            }
            unlink(errorPath)
            exit(0)
        }
        process.waitUntilExit()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        unlink(errorPath)
        FileHandle.standardError.write(Data(errors.utf8))
        if errors.isEmpty {
            FileHandle.standardError.write(Data("Error: the quofs daemon exited (status \(process.terminationStatus)) before the mount was ready\n".utf8))
        }
        exit(process.terminationStatus == 0 ? 1 : process.terminationStatus)
    }

    /// In the child, first thing: leave the parent's session and terminal.
    static func detach() {
        _ = setsid()
        signal(SIGHUP, SIG_IGN)
    }

    /// Sends stderr (the log) to `path` from now on; keeps it if the file cannot be opened.
    static func redirectStandardError(to path: String) {
        redirect([2], to: path)
    }

    /// In the child, once mounted: tell the parent, then send output to `logFile`
    /// (or nowhere).
    static func notifyReady(logFile: String?) {
        let line = readyLine + "\n"
        _ = line.withCString { write(1, $0, strlen($0)) }
        if logFile.map({ redirect([1, 2], to: $0) }) != true {
            redirect([1, 2], to: "/dev/null")
        }
    }

    /// Points `descriptors` at the file `path` (appending, created private); false if it
    /// cannot be opened.
    @discardableResult
    private static func redirect(_ descriptors: [Int32], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return false }
        for descriptor in descriptors { dup2(fd, descriptor) }
        if fd > 2 { close(fd) }
        return true
    }
}
