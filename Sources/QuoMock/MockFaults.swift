/// Faults a ``QuoMockServer`` injects, for fault-tolerance tests. Each probability is
/// per request, drawn from a generator seeded with ``seed`` (deterministic for a given
/// order of requests). Set them at any time with ``QuoMockServer/setFaults(_:)``.
public struct MockFaults: Sendable, Equatable {
    public var seed: UInt64
    /// Recording host: answer 503.
    public var mediaServerErrors: Double
    /// Recording host: close the connection a little into the body.
    public var mediaResets: Double
    /// Recording host: close the connection just before the end of the body (a body
    /// shorter than its Content-Length).
    public var mediaShortBodies: Double
    /// Recording host: answer with the range shifted by one byte (and a Content-Range
    /// saying so).
    public var mediaWrongRanges: Double
    /// Recording host: stop sending half-way for ``stallDuration``.
    public var mediaStalls: Double
    public var stallDuration: Duration
    /// Recording host: wait ``slowFirstByteDelay`` before the response head (on top of
    /// ``MockOptions/mediaLatency``): a very slow first byte.
    public var mediaSlowFirstBytes: Double
    public var slowFirstByteDelay: Duration
    /// Recording host: answer every `/media/…` request with a redirect (see
    /// ``MediaRedirect``) instead of the bytes.
    public var mediaRedirect: MediaRedirect?
    /// Recordings whose content changed since they were listed: served with another ETag.
    public var changedRecordings: Set<String>
    /// API: answer 500 with the documented error body.
    public var apiServerErrors: Double
    /// API: answer 200 with a truncated JSON body.
    public var apiMalformedJSON: Double

    public init(
        seed: UInt64 = 1, mediaServerErrors: Double = 0, mediaResets: Double = 0, mediaShortBodies: Double = 0,
        mediaWrongRanges: Double = 0, mediaStalls: Double = 0, stallDuration: Duration = .seconds(30),
        mediaSlowFirstBytes: Double = 0, slowFirstByteDelay: Duration = .seconds(5), mediaRedirect: MediaRedirect? = nil,
        changedRecordings: Set<String> = [], apiServerErrors: Double = 0, apiMalformedJSON: Double = 0
    ) {
        self.seed = seed
        self.mediaServerErrors = mediaServerErrors
        self.mediaResets = mediaResets
        self.mediaShortBodies = mediaShortBodies
        self.mediaWrongRanges = mediaWrongRanges
        self.mediaStalls = mediaStalls
        self.stallDuration = stallDuration
        self.mediaSlowFirstBytes = mediaSlowFirstBytes
        self.slowFirstByteDelay = slowFirstByteDelay
        self.mediaRedirect = mediaRedirect
        self.changedRecordings = changedRecordings
        self.apiServerErrors = apiServerErrors
        self.apiMalformedJSON = apiMalformedJSON
    }
}

/// Where the recording host redirects `/media/{file}` (`302 Found`, the query kept).
/// The targets under `/moved/media/{file}` serve the bytes and never redirect again.
public enum MediaRedirect: Sendable, Equatable {
    /// `Location: /moved/media/{file}?…`, relative to this host.
    case relative
    /// `Location: {base}/moved/media/{file}?…`, e.g. to another (perhaps refused) host.
    case absolute(base: String)
    /// `Location:` the request's own URL, for ever.
    case loop
}

/// How one media response goes wrong, if it does.
enum MediaFault: Sendable {
    case reset
    case shortBody
    case stall(Duration)
}

/// The error a handler throws to make Hummingbird drop the connection mid-body.
struct InjectedConnectionDrop: Error {}

/// SplitMix64: a small seeded generator, for fault decisions here and for seeded test
/// sequences elsewhere.
public struct SplitMix64: Sendable {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && Double(next() >> 11) / Double(1 << 53) < p
    }
}
