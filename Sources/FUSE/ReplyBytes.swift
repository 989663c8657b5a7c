/// Bytes a read answers with, lent to the kernel for the reply without being copied into
/// one buffer first: array slices, or a filesystem's own buffers.
public protocol ReplyBytes: Sendable {
    /// The byte count, without touching the bytes.
    var count: Int { get }
    /// Calls `body` with the bytes, valid only for the duration of the call.
    func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R
}

extension ArraySlice: ReplyBytes where Element == UInt8 {
    public func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(body)
    }
}

extension Array: ReplyBytes where Element == UInt8 {
    public func withReplyBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(body)
    }
}
