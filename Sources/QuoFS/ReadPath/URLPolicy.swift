import Foundation

/// Which recording URLs quofs will fetch: HTTPS, or plain HTTP to a loopback host (the
/// fake API and tests), or any HTTP when explicitly allowed (`--allow-insecure-http`).
/// Applied to every recording URL the API returns and to every redirect target, so
/// recording bytes never travel in clear over a network unless the user said so.
public struct URLPolicy: Sendable {
    public var allowInsecureHTTP: Bool

    public init(allowInsecureHTTP: Bool = false) {
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    /// Why `url` may not be fetched, or `nil` if it may.
    public func problem(with url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            return "not an absolute URL"
        }
        switch scheme {
        case "https":
            return nil
        case "http" where allowInsecureHTTP || Self.isLoopback(host):
            return nil
        case "http":
            return "plain HTTP to \(host) (use HTTPS, or --allow-insecure-http)"
        default:
            return "unsupported scheme \(scheme)"
        }
    }

    /// `localhost`, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
