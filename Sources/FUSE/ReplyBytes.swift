/// Bytes a read answers with, lent to the kernel for the reply without being copied into
/// one buffer first: the filesystem's own buffers (quofs: slices of cached blocks).
public protocol ReplyBytes: Sendable {
    /// The byte count, without touching the bytes.
    var count: Int { get }
    /// Calls `body` with the bytes, valid only for the duration of the call.
    func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
}

/// Bytes the filesystem holds in an array (small files built in memory).
extension ArraySlice<UInt8>: ReplyBytes {
    public func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(body)
    }
}
