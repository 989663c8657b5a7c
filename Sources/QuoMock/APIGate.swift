import Hummingbird

/// Router middleware in front of every API request, of both surfaces: `/v1/*`, and the
/// unprefixed 2026-03-30 paths (``datedPrefixes``). It logs and counts the request; on the
/// 2026-03-30 surface answers 404 (v1 body) unless ``MockOptions/servesDatedVersion``,
/// then checks `Quo-Api-Version` (400) before the key; checks the API key (401), applies
/// the rate limit shared by both surfaces (429), injects API faults, waits
/// ``MockOptions/apiLatency``, and turns routing errors (unknown path → 404) into the
/// surface's error bodies. Other paths pass through.
struct APIGate<Context: RequestContext>: RouterMiddleware {
    let state: MockServerState

    /// The first path segments of the 2026-03-30 surface's endpoints.
    static var datedPrefixes: [String] { ["/phone-numbers", "/calls", "/users", "/conversations", "/contacts"] }

    /// Which surface `path` belongs to, if any.
    static func surface(of path: String) -> Surface? {
        if path == "/v1" || path.hasPrefix("/v1/") { return .v1 }
        if datedPrefixes.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return .dated }
        return nil
    }

    /// The two API surfaces.
    enum Surface {
        /// `/v1/…`, no version header.
        case v1
        /// Unprefixed paths, `Quo-Api-Version: 2026-03-30`.
        case dated
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let surface = Self.surface(of: path) else {
            return try await next(request, context)
        }
        let dated = surface == .dated
        let query = request.uri.query.map { "?\($0)" } ?? ""
        state.recordAPIRequest("\(request.method.rawValue) \(path)\(query)", dated: dated)

        if dated {
            guard state.options.servesDatedVersion else {
                return try await delayed(ErrorBody.notFound("Not found").response())
            }
            guard let version = Self.versionHeader(request.headers), state.options.supportedVersions.contains(version) else {
                return try await delayed(DatedErrorBody.unsupportedVersion(supported: state.options.supportedVersions).response())
            }
        }
        let apiKey = state.options.apiKey
        guard request.headers[.authorization] == apiKey else {
            return try await delayed(dated ? DatedErrorBody.unauthorized.response() : ErrorBody.unauthorized.response())
        }
        guard state.rateLimiter.admit(key: apiKey) else {
            state.recordRateLimited()
            var headers: HTTPFields = [:]
            if let seconds = state.options.retryAfterSeconds {
                headers[.retryAfter] = String(seconds)
            }
            return try await delayed(
                dated ? DatedErrorBody.tooManyRequests.response(headers: headers) : ErrorBody.tooManyRequests.response(headers: headers)
            )
        }
        let faults = state.faults
        if state.chance(faults.apiServerErrors) {
            return try await delayed(dated ? DatedErrorBody.unknown.response() : ErrorBody.unknown("Injected failure").response())
        }
        if state.chance(faults.apiMalformedJSON) {
            return try await delayed(
                Response(status: .ok, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(string: "{\"data\":[{\"id\":")))
            )
        }
        try await sleepLatency()
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return dated ? DatedErrorBody.other(status: error.status).response() : ErrorBody.other(status: error.status).response()
        } catch {
            return dated ? DatedErrorBody.unknown.response() : ErrorBody.unknown("Internal error").response()
        }
    }

    /// The `Quo-Api-Version` header's value, if sent.
    static func versionHeader(_ headers: HTTPFields) -> String? {
        headers.first { $0.name.canonicalName == "quo-api-version" }?.value
    }

    /// `response`, after ``MockOptions/apiLatency``.
    private func delayed(_ response: Response) async throws -> Response {
        try await sleepLatency()
        return response
    }

    private func sleepLatency() async throws {
        let latency = state.options.apiLatency
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
    }
}
