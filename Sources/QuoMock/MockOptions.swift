/// How a ``QuoMockServer`` behaves.
public struct MockOptions: Sendable, Equatable {
    /// The only API key accepted in `Authorization` (raw, no `Bearer`).
    public var apiKey: String
    /// Requests allowed per API key on `/v1` within any sliding ``rateLimitWindow``
    /// (one second unless widened); excess requests get 429. nil = unlimited.
    public var requestsPerSecond: Int?
    /// The sliding window ``requestsPerSecond`` counts over: one second, as the real
    /// API. Tests widen it so that "quick requests" does not depend on machine speed.
    public var rateLimitWindow: Duration
    /// When set, 429 responses carry `Retry-After: N`.
    public var retryAfterSeconds: Int?
    /// Largest page the server returns, below `maxResults` when smaller (to exercise pagination).
    public var maxPageSize: Int
    /// Delay before the response head of every recording-host request (`/media/…` and
    /// `/files/…`, GET and HEAD): a first-byte latency standing in for a real object store.
    /// `.zero` (the default) answers at once.
    public var mediaLatency: Duration

    /// Creates options; the defaults match the real API (10 requests/s, pages up to 100).
    public init(
        apiKey: String = "demo-key",
        requestsPerSecond: Int? = 10,
        rateLimitWindow: Duration = .seconds(1),
        retryAfterSeconds: Int? = nil,
        maxPageSize: Int = 100,
        mediaLatency: Duration = .zero
    ) {
        self.apiKey = apiKey
        self.requestsPerSecond = requestsPerSecond
        self.rateLimitWindow = rateLimitWindow
        self.retryAfterSeconds = retryAfterSeconds
        self.maxPageSize = maxPageSize
        self.mediaLatency = mediaLatency
    }
}
