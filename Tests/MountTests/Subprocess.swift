import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a finished subprocess did.
struct ProcessResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs a program to completion without blocking a thread of Swift's cooperative pool.
///
/// Test I/O against our own mount must never happen on the cooperative pool (the daemon
/// is a separate process here, but the fake API server runs in this one), so every
/// filesystem access in the mount tests is a subprocess: `ls`, `cat`, `cmp`, `rsync`…
/// Output goes to temporary files, not pipes, so a chatty program cannot block.
func run(
    _ command: [String], environment: [String: String]? = nil, timeout: Duration = .seconds(300)
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    if let environment { process.environment = environment }
    let directory = FileManager.default.temporaryDirectory
    let id = UUID().uuidString
    let outURL = directory.appendingPathComponent("quofs-test-\(id).out")
    let errURL = directory.appendingPathComponent("quofs-test-\(id).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice

    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { finished in
            continuation.resume(returning: finished.terminationStatus)
        }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
            return
        }
        let pid = process.processIdentifier
        Task.detached {
            try? await Task.sleep(for: timeout)
            if process.isRunning {
                kill(pid, SIGKILL)
            }
        }
    }
    try? out.close()
    try? err.close()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return ProcessResult(status: status, stdout: stdout, stderr: stderr)
}

/// Runs a shell command line.
func sh(_ script: String, timeout: Duration = .seconds(300)) async throws -> ProcessResult {
    try await run(["bash", "-c", script], timeout: timeout)
}

/// Quotes a string for bash.
func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
