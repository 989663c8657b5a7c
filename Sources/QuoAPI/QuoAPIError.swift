/// A failed Quo API request, with the API's own message when it sent one.
///
/// The description never contains the API key: requests carry it only in a header, and
/// only the method, path and the API's message are reported.
public struct QuoAPIError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: Sendable, Equatable {
        /// 401: the key is missing or wrong.
        case unauthorized
        /// 403: the key may not do this (e.g. a plan without transcripts).
        case forbidden
        /// 404
        case notFound
        /// 400 and other 4xx the client cannot fix by retrying.
        case badRequest
        /// The server does not serve the requested API version (a 400 naming the
        /// `Quo-Api-Version` header).
        case versionRefused
        /// 429 after all retries.
        case rateLimited
        /// 5xx after all retries.
        case server
        /// The host could not be reached or the connection failed, after all retries.
        case transport
        /// A 2xx response whose body was not the documented JSON.
        case invalidResponse
    }

    public var kind: Kind
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// `GET /v1/…` (no query string).
    public var request: String
    /// The API's message, or a description of the failure.
    public var message: String

    public init(kind: Kind, status: Int?, request: String, message: String) {
        self.kind = kind
        self.status = status
        self.request = request
        self.message = message
    }

    public var description: String {
        if let status {
            return "Quo API \(request) failed with HTTP \(status): \(message)"
        }
        return "Quo API \(request) failed: \(message)"
    }
}
