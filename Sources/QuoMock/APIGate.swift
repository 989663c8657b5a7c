import Hummingbird

/// Router middleware in front of every `/v1` request: logs and counts it,
/// checks the API key (401), applies the rate limit (429), and turns routing
/// errors (unknown path → 404) into Quo error bodies. Other paths pass through.
struct APIGate<Context: RequestContext>: RouterMiddleware {
    let state: MockServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/v1" || path.hasPrefix("/v1/") else {
            return try await next(request, context)
        }
        let query = request.uri.query.map { "?\($0)" } ?? ""
        state.recordAPIRequest("\(request.method.rawValue) \(path)\(query)")

        let apiKey = state.options.apiKey
        guard request.headers[.authorization] == apiKey else {
            return ErrorBody.unauthorized.response()
        }
        guard state.rateLimiter.admit(key: apiKey) else {
            state.recordRateLimited()
            var headers: HTTPFields = [:]
            if let seconds = state.options.retryAfterSeconds {
                headers[.retryAfter] = String(seconds)
            }
            return ErrorBody.tooManyRequests.response(headers: headers)
        }
        let faults = state.faults
        if state.chance(faults.apiServerErrors) {
            return ErrorBody.unknown("Injected failure").response()
        }
        if state.chance(faults.apiMalformedJSON) {
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"data\":[{\"id\":")))
        }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return ErrorBody.other(status: error.status).response()
        } catch {
            return ErrorBody.unknown("Internal error").response()
        }
    }
}
