/// What a ``QuoMockServer`` has served since it started or since ``QuoMockServer/resetStats()``.
/// Also served as JSON at `GET /_mock/stats`.
public struct MockStats: Sendable, Codable, Equatable {
    /// API requests of both surfaces, whatever their outcome (400, 401 and 429 included):
    /// ``apiRequestsV1`` + ``apiRequestsDated``.
    public var apiRequests: Int
    /// Requests to `/v1/*`.
    public var apiRequestsV1: Int
    /// Requests to the unprefixed 2026-03-30 paths (`/calls…`, `/phone-numbers`, `/users`,
    /// `/conversations`, `/contacts`), also those answered 404 or 400 for the version.
    public var apiRequestsDated: Int
    /// API requests (either surface) answered 429.
    public var rateLimited: Int
    /// Requests (GET or HEAD) for recording bytes: `/media/*`, and `/files/*` (the same
    /// files under the HTML index).
    public var mediaRequests: Int
    /// Body bytes of the media requests answered without an injected fault (whole or
    /// ranged GETs; HEAD sends none): what a client fetched, for benchmarks.
    public var mediaBodyBytes: Int
    /// Media requests that carried an `Authorization` header (a client leaking the API key).
    public var mediaRequestsWithAuthorization: Int
    /// Every API request as `"GET /v1/calls?<raw query>"` or `"GET /calls?<raw query>"`,
    /// in arrival order.
    public var apiRequestLog: [String]
    /// Requests (GET or HEAD) for the HTML index `/files/` itself.
    public var indexRequests: Int
    /// Faults injected (see ``MockFaults``).
    public var injectedFaults: Int

    /// Creates stats; all zero by default.
    public init(
        apiRequests: Int = 0,
        apiRequestsV1: Int = 0,
        apiRequestsDated: Int = 0,
        rateLimited: Int = 0,
        mediaRequests: Int = 0,
        mediaBodyBytes: Int = 0,
        mediaRequestsWithAuthorization: Int = 0,
        apiRequestLog: [String] = [],
        indexRequests: Int = 0,
        injectedFaults: Int = 0
    ) {
        self.apiRequests = apiRequests
        self.apiRequestsV1 = apiRequestsV1
        self.apiRequestsDated = apiRequestsDated
        self.rateLimited = rateLimited
        self.mediaRequests = mediaRequests
        self.mediaBodyBytes = mediaBodyBytes
        self.mediaRequestsWithAuthorization = mediaRequestsWithAuthorization
        self.apiRequestLog = apiRequestLog
        self.indexRequests = indexRequests
        self.injectedFaults = injectedFaults
    }
}
