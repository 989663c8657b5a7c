import AsyncHTTPClient

extension HTTPClient.Configuration {
    /// The settings quofs's one HTTP client (API and recording host) runs with; tests
    /// build their client from it too, so they exercise the same behaviour.
    public static var quofs: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
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
