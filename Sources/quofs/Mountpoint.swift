import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks and operations on a mountpoint path.
enum Mountpoint {
    /// `path` made absolute and without `..`/`.` components or trailing slashes.
    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var result = url.standardizedFileURL.path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// Why `path` cannot be mounted on, or `nil` if it can.
    static func problem(with path: String) -> String? {
        var info = stat()
        if stat(path, &info) != 0 {
            let error = errno
            if error == ENOTCONN {
                return "\(path) is a stale mount (its daemon died): run `quofs unmount \(path)` first"
            }
            if error == ENOENT { return "mountpoint \(path) does not exist" }
            return "cannot use mountpoint \(path): \(String(cString: strerror(error)))"
        }
        if info.st_mode & S_IFMT != S_IFDIR { return "mountpoint \(path) is not a directory" }
        if isMounted(path) {
            // The kernel may answer a stat from attributes it cached while the daemon lived;
            // opening the directory always reaches the daemon, or fails if it is gone.
            if let directory = opendir(path) {
                closedir(directory)
            } else if errno == ENOTCONN {
                return "\(path) is a stale mount (its daemon died): run `quofs unmount \(path)` first"
            }
            return "\(path) is already mounted"
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return "cannot read mountpoint \(path)"
        }
        if !entries.isEmpty { return "mountpoint \(path) is not empty" }
        return nil
    }

    /// Whether something is mounted at `path` (per /proc/self/mountinfo).
    static func isMounted(_ path: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4 && unescape(String(fields[4])) == path { return true }
        }
        return false
    }

    /// What the FUSE setup of this machine lacks, or `nil`.
    static func fuseProblem() -> String? {
        if access("/dev/fuse", R_OK | W_OK) != 0 {
            return "/dev/fuse is missing or not accessible: install fuse3 (scripts/setup) or load the fuse module"
        }
        if getuid() != 0 && findExecutable("fusermount3") == nil {
            return "fusermount3 was not found: install the fuse3 package (scripts/setup)"
        }
        return nil
    }

    /// Runs `fusermount3 -u` (`-uz` when `lazy`), or `umount` where fusermount3 is absent.
    static func unmount(_ path: String, lazy: Bool) throws -> (status: Int32, output: String) {
        let process = Process()
        if let fusermount = findExecutable("fusermount3") {
            process.executableURL = URL(fileURLWithPath: fusermount)
            process.arguments = [lazy ? "-uz" : "-u", path]
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/umount")
            process.arguments = lazy ? ["-l", path] : [path]
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// /proc/self/mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    static func unescape(_ field: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
