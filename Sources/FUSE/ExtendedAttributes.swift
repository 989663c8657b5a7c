#if canImport(Glibc)
import Glibc
#endif

/// One extended attribute: its full name (`user.…`) and value bytes.
public struct ExtendedAttribute: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }
}

/// The answer to a `getxattr` or `listxattr` of `bytes`, by libfuse's size-probe
/// contract: a caller asking with size 0 learns the size it needs; one whose buffer
/// holds it gets the bytes; a smaller buffer is `ERANGE`. Never more than `size` bytes
/// (the kernel rejects an oversize reply).
public enum ExtendedAttributeReply: Equatable, Sendable {
    /// `fuse_reply_xattr`: the size a buffer must have.
    case size(Int)
    /// `fuse_reply_buf`.
    case bytes([UInt8])
    /// `fuse_reply_err`.
    case error(Int32)

    public init(bytes: [UInt8], bufferSize: Int) {
        if bufferSize == 0 {
            self = .size(bytes.count)
        } else if bufferSize >= bytes.count {
            self = .bytes(bytes)
        } else {
            self = .error(ERANGE)
        }
    }

    /// The `listxattr` payload of these attributes: each name NUL-terminated, in order.
    public static func nameList(_ attributes: [ExtendedAttribute]) -> [UInt8] {
        attributes.flatMap { Array($0.name.utf8) + [0] }
    }
}
