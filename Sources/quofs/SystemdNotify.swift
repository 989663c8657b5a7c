import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The service manager's notification protocol (sd_notify(3)): one datagram of
/// newline-separated `KEY=value` lines to the socket named by `$NOTIFY_SOCKET`, a path or
/// `@name` (an abstract socket). Without the variable, nothing is sent.
///
/// Written by hand: it is a dozen lines of socket calls, and no package in the mirror
/// wraps it (libsystemd's sd_notify would add a C dependency for this alone).
enum SystemdNotify {
    /// Sends `state` (e.g. `READY=1`); false if there is no socket or the send failed.
    @discardableResult
    static func send(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let name = environment["NOTIFY_SOCKET"], !name.isEmpty, name.utf8.count < 108 else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(name.utf8)
        // An abstract socket's name starts with a NUL and has no terminating one.
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + path.count + (path.first == 0 ? 0 : 1))
        let sent = state.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, text, strlen(text), Int32(MSG_NOSIGNAL), $0, length) }
            }
        }
        return sent >= 0
    }
}
