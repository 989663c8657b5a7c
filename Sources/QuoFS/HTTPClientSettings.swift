import AsyncHTTPClient

extension HTTPClient.Configuration {
    /// The settings quofs's one HTTP client (API and recording host) runs with; tests
    /// build their client from it too, so they exercise the same behaviour.
    public static var quofs: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        // Every connection keeps its own receive buffers (up to ~128 KiB, also while idle
        // in the pool). 16 readers in parallel were as fast with 16 connections as with 32
        // (at 0 and 30 ms first-byte latency), and the daemon peaked ~5 MiB lower.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        // Redirects are followed by hand, and only for recordings, each target checked
        // (RecordingHost): the API key must never follow a redirect to another host.
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(5)
        // A connection that stalls mid-body, or before its first byte, fails after this
        // long (and is retried).
        configuration.timeout.read = .seconds(20)
        return configuration
    }
}
