import CFUSE
import Logging
import Synchronization

/// A libfuse request handle that may cross threads. libfuse allows replying from any
/// thread, once.
struct RequestHandle: @unchecked Sendable {
    let raw: fuse_req_t
}

/// The one reply owed to a kernel request.
///
/// Each request must be answered exactly once or the caller's syscall hangs forever. A
/// `Reply` sends at most one answer, and if it is dropped without answering (a bug), it
/// answers `EIO` and logs, so the caller never hangs.
final class Reply: Sendable {
    private let request: RequestHandle
    private let operation: StaticString
    private let session: FUSESession
    private let answered = Atomic<Bool>(false)

    init(_ request: fuse_req_t, operation: StaticString, session: FUSESession) {
        self.request = RequestHandle(raw: request)
        self.operation = operation
        self.session = session
        session.requestStarted(self)
    }

    deinit {
        if !answered.load(ordering: .acquiring) {
            session.logger.error("request dropped without a reply; answering EIO", metadata: ["op": "\(operation)"])
            fuse_reply_err(request.raw, EIO)
            session.requestFinished(self)
        }
    }

    /// Sends the reply produced by `body` (a `fuse_reply_*` call), unless one was sent.
    func send(_ body: (fuse_req_t) -> Int32) {
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let result = body(request.raw)
        if result != 0 {
            // The kernel side went away (interrupted or unmounted): nothing to do.
            session.logger.debug("reply not delivered", metadata: ["op": "\(operation)", "errno": "\(-result)"])
        }
        session.requestFinished(self)
    }

    /// Answers a `getxattr`/`listxattr`.
    func send(_ answer: ExtendedAttributeReply) {
        switch answer {
        case .size(let size): send { fuse_reply_xattr($0, size) }
        case .bytes(let bytes): send { request in bytes.withUnsafeBufferPointer { fuse_reply_buf(request, $0.baseAddress, $0.count) } }
        case .error(let errno): fail(errno)
        }
    }

    /// Answers with an error number.
    func fail(_ errno: Int32) {
        send { fuse_reply_err($0, errno) }
    }

    /// Answers with the errno of `error`: a ``FUSEError``'s own, `EIO` for anything else.
    func fail(_ error: any Error) {
        if let fuseError = error as? FUSEError {
            fail(fuseError.errno)
        } else {
            session.logger.warning("\(operation) failed: \(error)")
            fail(EIO)
        }
    }
}
