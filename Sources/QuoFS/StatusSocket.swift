import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Why the status directory or a status socket cannot be used: one line for the user.
public struct StatusSocketError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where and how a quofs daemon answers `quofs status`: a unix stream socket outside the
/// mounted tree, mode 0600, in a directory of the mounting user's that only they can
/// enter (see the README's "Status" section).
///
/// - Directory: `$RUNTIME_DIRECTORY` (the first of its `:`-separated paths; systemd's
///   `RuntimeDirectory=`) if set, else `$XDG_RUNTIME_DIR/quofs`, else `/tmp/quofs-<uid>`.
///   The last two are created 0700 when missing. A directory that is a symlink or not a
///   directory, belongs to another user, or that group or others may enter is refused
///   (a daemon tightens a `$RUNTIME_DIRECTORY` of its own to 0700 instead: systemd makes
///   it 0755 unless told otherwise).
/// - Name: ``name(forMountPoint:)``: FNV-1a (64 bits) of the mount point's canonical
///   path (``canonicalMountPoint(_:)``), 16 lowercase hex digits, `.sock`. A hash, not
///   the escaped path: a unix socket's path is limited to 107 bytes.
/// - Protocol: the client sends ``request`` (`status\n`); the daemon answers one JSON
///   object (``MountStatus/json``) and closes. The daemon first checks the peer's uid
///   (`SO_PEERCRED`) and closes a connection from any other user without a byte.
public enum StatusSocket {
    /// The `RuntimeDirectory=` of the packaged systemd unit (quofs@.service), where
    /// `quofs status` also looks.
    public static let packagedUnitDirectory = "/run/quofs"
    /// What a client sends.
    public static let request = "status\n"
    /// Longest socket path a `sockaddr_un` holds (without its NUL).
    public static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// The status directory of `uid`, from `environment`.
    public static func directory(
        environment: [String: String] = ProcessInfo.processInfo.environment, uid: uid_t = getuid()
    ) -> String {
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, runtime.hasPrefix("/") {
            return trimmed(String(runtime))
        }
        if let xdg = environment["XDG_RUNTIME_DIR"], xdg.hasPrefix("/") {
            return trimmed(xdg) + "/quofs"
        }
        return "/tmp/quofs-\(uid)"
    }

    /// Whether `directory(environment:uid:)` came from `$RUNTIME_DIRECTORY` (then it is
    /// systemd's to create, not ours).
    public static func isSystemdDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first?.hasPrefix("/") == true
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Checks the status directory before use, creating it (0700) when `create` and it is
    /// missing, and tightening it to 0700 when `tighten` (a systemd `RuntimeDirectory=`
    /// of the daemon's own). Returns false when it does not exist (and was not created).
    @discardableResult
    public static func prepareDirectory(_ path: String, uid: uid_t = getuid(), create: Bool, tighten: Bool = false) throws -> Bool {
        var info = stat()
        if lstat(path, &info) != 0 {
            let error = errno
            guard error == ENOENT else {
                throw StatusSocketError("cannot use the status directory \(path): \(String(cString: strerror(error)))")
            }
            guard create else { return false }
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw StatusSocketError("cannot create the status directory \(path): \(String(cString: strerror(errno)))")
            }
            guard lstat(path, &info) == 0 else {
                throw StatusSocketError("cannot use the status directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw StatusSocketError("the status directory \(path) is not a directory (or is a symlink): refusing to use it")
        }
        guard info.st_uid == uid else {
            throw StatusSocketError(
                "the status directory \(path) belongs to another user (uid \(info.st_uid), not \(uid)): refusing to use it")
        }
        if info.st_mode & 0o077 != 0 {
            guard tighten, chmod(path, 0o700) == 0 else {
                throw StatusSocketError(
                    "the status directory \(path) is open to group or others (mode \(String(info.st_mode & 0o7777, radix: 8))): refusing to use it; make it 0700 or remove it")
            }
        }
        return true
    }

    /// The mount point as status names it: absolute, with its parent directory's
    /// symlinks resolved (the mount point itself is never touched, so a hung or stale
    /// mount cannot block this).
    public static func canonicalMountPoint(_ absolutePath: String) -> String {
        guard absolutePath != "/", let slash = absolutePath.lastIndex(of: "/") else { return absolutePath }
        let parent = slash == absolutePath.startIndex ? "/" : String(absolutePath[..<slash])
        let name = absolutePath[absolutePath.index(after: slash)...]
        guard let resolved = realpath(parent, nil) else { return absolutePath }
        defer { free(resolved) }
        let real = String(cString: resolved)
        return (real == "/" ? "" : real) + "/" + name
    }

    /// The socket's file name for a (canonical) mount point.
    public static func name(forMountPoint mountPoint: String) -> String {
        let hex = String(fnv1a64(Array(mountPoint.utf8)), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + ".sock"
    }

    /// FNV-1a, 64 bits.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The socket path of a (canonical) mount point in `directory`.
    public static func path(forMountPoint mountPoint: String, in directory: String) -> String {
        directory + "/" + name(forMountPoint: mountPoint)
    }

    // MARK: Client

    /// Why asking a status socket failed.
    public enum AskError: Error, Equatable {
        /// No such socket.
        case missing
        /// Nothing listens: a daemon that died without removing it.
        case stale
        /// The socket (or its directory) is not ours to connect to.
        case permissionDenied
        /// Connected, but the daemon closed without answering (it refused this uid).
        case noAnswer
        case failed(String)
    }

    /// Sends ``request`` to the socket at `path` and returns the daemon's whole answer,
    /// waiting at most `timeout` seconds for it.
    public static func ask(_ path: String, timeout: Int = 5) -> Result<[UInt8], AskError> {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.failed(String(cString: strerror(errno)))) }
        defer { close(fd) }
        setTimeouts(fd, seconds: timeout)
        guard var address = address(path) else { return .failure(.failed("socket path too long: \(path)")) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected != 0 {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case ECONNREFUSED: return .failure(.stale)
            case EACCES, EPERM: return .failure(.permissionDenied)
            case let error: return .failure(.failed(String(cString: strerror(error))))
            }
        }
        guard sendAll(fd, Array(request.utf8)) else { return .failure(.noAnswer) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                answer += buffer[..<count]
                guard answer.count <= 1 << 20 else { return .failure(.failed("answer too long")) }
            } else if count == 0 {
                break
            } else if errno == EINTR {
                continue
            } else if errno == ECONNRESET {
                break
            } else {
                return .failure(.failed("no answer: \(String(cString: strerror(errno)))"))
            }
        }
        return answer.isEmpty ? .failure(.noAnswer) : .success(answer)
    }

    // MARK: Helpers

    static func address(_ path: String) -> sockaddr_un? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count <= maxPathBytes else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes every byte (no SIGPIPE if the peer has gone).
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// The uid of the process at the other end of a connected unix socket.
    static func peerUID(_ fd: Int32) -> uid_t? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        var credentials = [UInt32](repeating: 0, count: 3)
        var length = socklen_t(MemoryLayout<UInt32>.size * 3)
        let result = credentials.withUnsafeMutableBytes {
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, $0.baseAddress, &length)
        }
        guard result == 0, length == socklen_t(MemoryLayout<UInt32>.size * 3) else { return nil }
        return credentials[1]
    }
}

/// The daemon's end of a status socket.
///
/// Plain blocking POSIX sockets on threads of its own (one waiting in `poll`/`accept`,
/// one per connection, at most ``maxConnections`` at once), not SwiftNIO or Swift
/// concurrency: a status request must never take a thread of the cooperative pool or an
/// event loop from FUSE requests and recording streams, and must still be answered when
/// those are saturated. The answer is built from counters (atomics and short locks), so
/// a connection costs a thread for a few microseconds; a client that connects and sends
/// nothing is dropped after ``ioTimeout`` seconds.
public final class StatusListener: Sendable {
    public let path: String
    private let fd: Int32
    /// A pipe that wakes the accepting thread to stop.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The socket file made by this listener (so ``stop()`` never removes a newer one).
    private let identity: (device: UInt64, inode: UInt64)
    private let allowedUID: uid_t
    private let respond: @Sendable (String) -> [UInt8]
    private let log: @Sendable (String) -> Void
    private let stopped = Atomic<Bool>(false)
    private let connections = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    public static let maxConnections = 8
    public static let ioTimeout = 2

    /// Binds `path` (replacing whatever socket is there: a dead daemon's), makes it
    /// 0600, and starts answering: `respond` gets the request line (without its newline)
    /// and returns the answer. Connections from a uid other than `allowedUID` are closed
    /// at once (and logged).
    public static func start(
        path: String, allowedUID: uid_t = getuid(), respond: @escaping @Sendable (String) -> [UInt8],
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> StatusListener {
        guard var address = StatusSocket.address(path) else {
            throw StatusSocketError("the status socket path \(path) is longer than \(StatusSocket.maxPathBytes) bytes")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StatusSocketError("cannot make the status socket: \(String(cString: strerror(errno)))") }
        func fail(_ what: String) -> StatusSocketError {
            let error = StatusSocketError("cannot \(what) the status socket \(path): \(String(cString: strerror(errno)))")
            close(fd)
            return error
        }
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                close(fd)
                throw StatusSocketError("\(path) exists and is not a socket: refusing to replace it")
            }
            unlink(path)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw fail("bind") }
        // Before listen: until then nobody can connect, whatever the umask made the mode.
        guard chmod(path, 0o600) == 0 else {
            let error = fail("chmod")
            unlink(path)
            throw error
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw fail("stat") }
        guard listen(fd, 16) == 0 else {
            let error = fail("listen on")
            unlink(path)
            throw error
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let error = fail("make a pipe for")
            unlink(path)
            throw error
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let listener = StatusListener(
            path: path, fd: fd, wakeRead: pipeEnds[0], wakeWrite: pipeEnds[1],
            identity: (UInt64(info.st_dev), UInt64(info.st_ino)), allowedUID: allowedUID, respond: respond, log: log)
        Thread.detachNewThread { listener.acceptLoop() }
        return listener
    }

    private init(
        path: String, fd: Int32, wakeRead: Int32, wakeWrite: Int32, identity: (device: UInt64, inode: UInt64),
        allowedUID: uid_t, respond: @escaping @Sendable (String) -> [UInt8], log: @escaping @Sendable (String) -> Void
    ) {
        self.path = path
        self.fd = fd
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.identity = identity
        self.allowedUID = allowedUID
        self.respond = respond
        self.log = log
    }

    /// Removes the socket (if it is still the one this listener made) and stops
    /// accepting. Waits briefly for the accepting thread; connections being answered
    /// finish on their own.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var info = stat()
        if lstat(path, &info) == 0, UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode {
            unlink(path)
        }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        _ = finished.wait(timeout: .now() + 1)
    }

    private func acceptLoop() {
        defer {
            close(fd)
            close(wakeRead)
            close(wakeWrite)
            finished.signal()
        }
        while !stopped.load(ordering: .acquiring) {
            var waits = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&waits, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                log("status socket: poll failed: \(String(cString: strerror(errno)))")
                return
            }
            if waits[1].revents != 0 || stopped.load(ordering: .acquiring) { return }
            guard waits[0].revents & Int16(POLLIN) != 0 else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            guard let uid = StatusSocket.peerUID(connection), uid == allowedUID else {
                log("status socket: refused a connection from uid \(StatusSocket.peerUID(connection).map(String.init) ?? "unknown")")
                close(connection)
                continue
            }
            guard connections.add(1, ordering: .relaxed).newValue <= Self.maxConnections else {
                connections.subtract(1, ordering: .relaxed)
                close(connection)
                continue
            }
            Thread.detachNewThread { [self] in
                serve(connection)
                connections.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        StatusSocket.setTimeouts(connection, seconds: Self.ioTimeout)
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while !request.contains(UInt8(ascii: "\n")) && request.count < 256 {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count > 0 {
                request += buffer[..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        let line = String(decoding: request.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        _ = StatusSocket.sendAll(connection, respond(line))
    }
}
