/// How a ``QuoMockServer`` behaves.
public struct MockOptions: Sendable, Equatable {
    /// The only API key accepted in `Authorization` (raw, no `Bearer`).
    public var apiKey: String
    /// Requests allowed per API key (both surfaces together) within any sliding ``rateLimitWindow``
    /// (one second unless widened); excess requests get 429. nil = unlimited.
    public var requestsPerSecond: Int?
    /// The sliding window ``requestsPerSecond`` counts over: one second, as the real
    /// API. Tests widen it so that "quick requests" does not depend on machine speed.
    public var rateLimitWindow: Duration
    /// When set, 429 responses carry `Retry-After: N`.
    public var retryAfterSeconds: Int?
    /// Largest page the server returns, below `maxResults` (v1) or `limit` (2026-03-30)
    /// when smaller (to exercise pagination).
    public var maxPageSize: Int
    /// Delay before the response head of every recording-host request (`/media/…` and
    /// `/files/…`, GET and HEAD): a first-byte latency standing in for a real object store.
    /// `.zero` (the default) answers at once.
    public var mediaLatency: Duration
    /// Delay before answering every API request, on both surfaces (after counting it and
    /// after the rate-limit decision), standing in for a slow API. `.zero` by default.
    public var apiLatency: Duration
    /// Whether the unprefixed 2026-03-30 paths (`/calls`, `/phone-numbers`, …) are served;
    /// when false they answer 404 with the v1 error body, as `api.openphone.com` does.
    public var servesDatedVersion: Bool
    /// The `Quo-Api-Version` header values accepted on the unprefixed paths; any other
    /// value, or none, is a 400 (checked before the API key).
    public var supportedVersions: [String]
    /// When true, every paginated response of both surfaces (`nextPageToken`,
    /// `nextCursor`) hands out the same non-null cursor, for ever: for testing that a
    /// client notices a repeated cursor instead of looping.
    public var repeatCursors: Bool

    /// Creates options; the defaults match the real API (10 requests/s, pages up to 100).
    public init(
        apiKey: String = "demo-key",
        requestsPerSecond: Int? = 10,
        rateLimitWindow: Duration = .seconds(1),
        retryAfterSeconds: Int? = nil,
        maxPageSize: Int = 100,
        mediaLatency: Duration = .zero,
        apiLatency: Duration = .zero,
        servesDatedVersion: Bool = true,
        supportedVersions: [String] = ["2026-03-30"],
        repeatCursors: Bool = false
    ) {
        self.apiKey = apiKey
        self.requestsPerSecond = requestsPerSecond
        self.rateLimitWindow = rateLimitWindow
        self.retryAfterSeconds = retryAfterSeconds
        self.maxPageSize = maxPageSize
        self.mediaLatency = mediaLatency
        self.apiLatency = apiLatency
        self.servesDatedVersion = servesDatedVersion
        self.supportedVersions = supportedVersions
        self.repeatCursors = repeatCursors
    }
}
