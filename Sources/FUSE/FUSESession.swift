import CFUSE
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A FUSE mount served by a ``FileSystemOperations`` implementation through libfuse3's
/// low-level API.
///
/// Life cycle: ``mount(at:)`` (the mount is usable when it returns), ``run()`` (blocks the
/// calling thread in libfuse's multi-threaded loop until unmounted or signalled), then
/// ``close()``. Run the loop on the main thread: libfuse's signal handlers stop it there
/// at once, while off the main thread a signal is noticed only at the next request.
public final class FUSESession: @unchecked Sendable {
    // @unchecked: `session` and `mountpoint` are written once, before the loop starts
    // serving requests, and read-only afterwards; all other state is in Mutex/Atomic.

    let fileSystem: any FileSystemOperations
    let options: MountOptions
    let logger: Logger
    let directories = DirectoryHandles()

    private var session: OpaquePointer?
    private var mountpoint: String?
    /// Requests received and not yet answered (or whose answer is being sent), to answer
    /// at shutdown.
    private let pending = Mutex<[ObjectIdentifier: WeakReply]>([:])
    private let readAheadApplied = Atomic<Bool>(false)

    public init(fileSystem: any FileSystemOperations, options: MountOptions, logger: Logger) {
        self.fileSystem = fileSystem
        self.options = options
        self.logger = logger
    }

    /// Creates the session and mounts it at `path`. Throws ``MountError`` on failure.
    public func mount(at path: String) throws {
        precondition(session == nil, "mounted twice")
        let arguments = ["quofs", "-o", options.optionString]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        defer { cArguments.forEach { free($0) } }

        var operations = Self.operations
        let created: OpaquePointer? = cArguments.withUnsafeMutableBufferPointer { argv in
            var fuseArguments = fuse_args(argc: Int32(arguments.count), argv: argv.baseAddress, allocated: 0)
            return cfuse_session_new(&fuseArguments, &operations, Unmanaged.passUnretained(self).toOpaque())
        }
        guard let created else {
            throw MountError(message: "libfuse could not create a session (bad mount options?)")
        }
        if fuse_set_signal_handlers(created) != 0 {
            fuse_session_destroy(created)
            throw MountError(message: "could not install signal handlers")
        }
        if fuse_session_mount(created, path) != 0 {
            fuse_remove_signal_handlers(created)
            fuse_session_destroy(created)
            throw MountError(message: "could not mount at \(path) (see the message above)")
        }
        session = created
        mountpoint = path
    }

    /// Applies ``MountOptions/readAheadKB`` on the first request after INIT: the kernel
    /// lowers the readahead to libfuse's `max_readahead` when it processes INIT's reply,
    /// so a value written before then would not stick.
    private func applyReadAheadOnce() {
        // Every request passes here: a plain load first, so only the first one writes.
        guard !readAheadApplied.load(ordering: .relaxed), let readAheadKB = options.readAheadKB, let mountpoint,
              !readAheadApplied.exchange(true, ordering: .relaxed)
        else { return }
        setReadAhead(kilobytes: readAheadKB, mountpoint: mountpoint)
    }

    /// Raises the kernel's readahead for the mount through sysfs. The device number comes
    /// from /proc/self/mountinfo, not from stat(), which would wait for the loop to run.
    private func setReadAhead(kilobytes: Int, mountpoint: String) {
        guard let table = readTextFile("/proc/self/mountinfo") else { return }
        // Fields: id, parent id, major:minor, root, mountpoint, ... (the newest mount last).
        var device: Substring?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 4 && fields[4] == mountpoint { device = fields[2] }
        }
        guard let device else { return }
        let path = "/sys/class/bdi/\(device)/read_ahead_kb"
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else {
            logger.debug("cannot raise readahead (\(path): \(String(cString: strerror(errno))))")
            return
        }
        let value = "\(kilobytes)\n"
        _ = value.withCString { write(fd, $0, strlen($0)) }
        Glibc.close(fd)
    }

    /// Blocks SIGINT, SIGTERM and SIGHUP on the calling thread. Call it on the main thread
    /// before any other thread exists: threads inherit the mask, so the stop signals can
    /// then only be delivered to the thread that calls ``run()``, which unblocks them.
    /// (Delivered to another thread, a signal would stop the loop only at the next
    /// request; and a mask inherited from the parent process could block them entirely.)
    public static func reserveStopSignalsForLoopThread() {
        var signals = stopSignals
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    private static var stopSignals: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        return signals
    }

    /// Serves requests until the filesystem is unmounted (`fusermount3 -u`) or a signal
    /// (SIGINT, SIGTERM, SIGHUP) arrives. Blocks the calling thread.
    /// - Returns: `true` for a normal stop, `false` if the loop failed.
    @discardableResult
    public func run() -> Bool {
        guard let session else { return false }
        var signals = Self.stopSignals
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let result = cfuse_session_loop_mt(session, options.maxThreads)
        // 0: unmounted; positive: the signal number that stopped it. Both are normal.
        if result < 0 {
            logger.error("FUSE loop failed: \(String(cString: strerror(-result)))")
        }
        return result >= 0
    }

    /// Unmounts, then makes sure every request got its answer before freeing the session:
    /// in-flight requests get `grace` seconds to finish, then whatever is still pending
    /// (e.g. a read waiting on a stalled network) is answered `EIO` — a reply sent after
    /// the session is freed would be a use-after-free, and a late result is then dropped.
    public func close(grace: Double = 2) {
        guard let session else { return }
        fuse_session_unmount(session)
        fuse_remove_signal_handlers(session)
        waitForInFlight(seconds: grace)
        let stragglers = pending.withLock { pending in pending.values.compactMap(\.reply) }
        if !stragglers.isEmpty {
            logger.warning("answering \(stragglers.count) pending requests with EIO at shutdown")
            for reply in stragglers { reply.fail(EIO) }
        }
        // Replies being sent right now finish within microseconds.
        waitForInFlight(seconds: 1)
        let left = pendingCount
        if left == 0 {
            fuse_session_destroy(session)
        } else {
            logger.warning("\(left) replies still being sent at shutdown; not freeing the FUSE session")
        }
        self.session = nil
    }

    private func waitForInFlight(seconds: Double) {
        let deadline = monotonicSeconds() + seconds
        while pendingCount > 0 && monotonicSeconds() < deadline {
            usleep(5_000)
        }
    }

    func requestStarted(_ reply: Reply) {
        pending.withLock { $0[ObjectIdentifier(reply)] = WeakReply(reply: reply) }
    }

    func requestFinished(_ reply: Reply) {
        pending.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(reply)) }
    }

    private var pendingCount: Int {
        pending.withLock { $0.count }
    }

    /// Runs `body` in a task and sends its reply; errors become error replies.
    func respond(
        _ request: fuse_req_t?, _ operation: StaticString,
        _ body: @escaping @Sendable (Reply) async throws -> Void
    ) {
        guard let request else { return }
        applyReadAheadOnce()
        let reply = Reply(request, operation: operation, session: self)
        Task {
            do {
                try await body(reply)
            } catch {
                reply.fail(error)
            }
        }
    }

    /// The session that owns a request.
    static func owner(of request: fuse_req_t?) -> FUSESession {
        Unmanaged<FUSESession>.fromOpaque(fuse_req_userdata(request)!).takeUnretainedValue()
    }
}

/// A reply known to the session without keeping it alive (so a reply dropped unanswered
/// still reaches its own safety net).
struct WeakReply: @unchecked Sendable {
    weak var reply: Reply?
}

/// Why a mount failed.
public struct MountError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The contents of a (small, procfs) text file, without Foundation.
func readTextFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
