import Foundation

/// Opaque pagination tokens: base64url of the next offset plus a check that
/// ties the token to the list (endpoint and filters) it was issued for.
enum PageToken {
    /// A token for resuming the list identified by `scope` at `offset`.
    static func encode(offset: Int, scope: String) -> String {
        let plain = "qm1.\(offset).\(check(offset: offset, scope: scope))"
        return Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The offset carried by `token`, or nil if it is malformed or was issued for another list.
    static func decode(_ token: String, scope: String) -> Int? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "qm1", let offset = Int(parts[1]), offset >= 0,
            parts[2] == Substring(check(offset: offset, scope: scope))
        else { return nil }
        return offset
    }

    /// FNV-1a of scope and offset, in hex.
    private static func check(offset: Int, scope: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(scope)#\(offset)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
