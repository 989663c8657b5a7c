import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Settings of a ``QuoClient``.
public struct QuoClientConfiguration: Sendable {
    /// `https://api.openphone.com` (or `https://api.quo.com`, or a QuoMock URL).
    public var baseURL: String
    /// Sent as the raw `Authorization` header value, to the API host only.
    public var apiKey: String
    /// Requests allowed per `rateWindow` (the API allows 10 per second per key).
    public var rateLimit: Int = 10
    /// The window of ``rateLimit``, counted from each response's arrival (see
    /// ``RequestRateLimiter``).
    public var rateWindow: Duration = .seconds(1)
    /// How often a request is retried after a 429, a 5xx or a connection failure.
    public var maxRetries: Int = 5
    /// First backoff delay; doubles per retry (with jitter), capped at ``maxBackoff``.
    public var initialBackoff: Duration = .milliseconds(250)
    public var maxBackoff: Duration = .seconds(8)
    /// Deadline of one HTTP request.
    public var requestTimeout: Duration = .seconds(30)

    public init(baseURL: String, apiKey: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
    }
}

/// The Quo REST client: typed endpoints, pagination, the shared rate limit, retries and
/// the API's error messages. Knows nothing of filesystems.
public final class QuoClient: Sendable {
    private let httpClient: HTTPClient
    private let configuration: QuoClientConfiguration
    private let limiter: RequestRateLimiter<ContinuousClock>
    private let logger: Logger
    private let counter = ManagedAtomicCounter()

    public init(httpClient: HTTPClient, configuration: QuoClientConfiguration, logger: Logger) {
        self.httpClient = httpClient
        self.configuration = configuration
        self.limiter = RequestRateLimiter(
            limit: configuration.rateLimit, window: configuration.rateWindow, clock: ContinuousClock())
        self.logger = logger
    }

    /// How many HTTP requests this client has sent to the API (retries included).
    public var requestsSent: Int { counter.load() }

    // MARK: Endpoints

    /// `GET /v1/phone-numbers`: the workspace's phone numbers. `maxRetries` overrides
    /// the configured retry count (e.g. to fail fast when checking a key at mount time).
    public func phoneNumbers(maxRetries: Int? = nil) async throws -> [PhoneNumber] {
        let response: ListResponse<PhoneNumber> = try await get("/v1/phone-numbers", query: [], maxRetries: maxRetries)
        return response.data
    }

    /// `GET /v1/conversations` for one phone number (PN id or E.164), all pages.
    public func conversations(phoneNumber: String) async throws -> [Conversation] {
        try await allPages("/v1/conversations", query: [("phoneNumbers[]", phoneNumber), ("maxResults", "100")])
    }

    /// `GET /v1/calls` between a workspace number and one participant (E.164), all pages,
    /// newest first.
    public func calls(phoneNumberID: String, participant: String) async throws -> [Call] {
        try await allPages("/v1/calls", query: [
            ("phoneNumberId", phoneNumberID), ("participants[]", participant), ("maxResults", "100"),
        ])
    }

    /// `GET /v1/call-recordings/{callId}`: the call's segments, oldest first.
    public func recordings(callID: String) async throws -> [CallRecording] {
        let response: ListResponse<CallRecording> =
            try await get("/v1/call-recordings/\(PercentEncoding.encode(callID))", query: [])
        return response.data
    }

    // MARK: Transport

    private func allPages<Element: Decodable & Sendable>(
        _ path: String, query: [(String, String)]
    ) async throws -> [Element] {
        var elements: [Element] = []
        var token: String?
        var seenTokens: Set<String> = []
        repeat {
            var pageQuery = query
            if let token { pageQuery.append(("pageToken", token)) }
            let page: ListResponse<Element> = try await get(path, query: pageQuery)
            elements += page.data
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seenTokens.insert(token).inserted {
                // A server handing out the same token twice would loop forever.
                throw QuoAPIError(kind: .invalidResponse, status: nil, request: "GET \(path)",
                                  message: "the API repeated a page token")
            }
        } while token != nil
        return elements
    }

    private func get<Response: Decodable>(
        _ path: String, query: [(String, String)], maxRetries: Int? = nil
    ) async throws -> Response {
        let label = "GET \(path)"
        var url = configuration.baseURL + path
        if !query.isEmpty { url += "?" + PercentEncoding.query(query) }

        var attempt = 0
        while true {
            try await limiter.acquire()
            logger.debug("Quo API request", metadata: ["request": "\(label)", "attempt": "\(attempt + 1)"])
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "Authorization", value: configuration.apiKey)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "quofs")

            let failure: QuoAPIError
            var retryAfter: Duration?
            do {
                counter.add()
                let exchange: Result<(HTTPClientResponse, ByteBuffer), any Error>
                do {
                    let response = try await httpClient.execute(request, timeout: .init(configuration.requestTimeout))
                    exchange = .success((response, try await response.body.collect(upTo: 32 << 20)))
                } catch {
                    exchange = .failure(error)
                }
                await limiter.release()
                let (response, body) = try exchange.get()
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    do {
                        return try JSONDecoder().decode(Response.self, from: Data(body.readableBytesView))
                    } catch {
                        throw QuoAPIError(kind: .invalidResponse, status: status, request: label,
                                          message: "unexpected JSON: \(error)")
                    }
                }
                let message = (try? JSONDecoder().decode(ErrorResponse.self, from: Data(body.readableBytesView)))?.userMessage
                    ?? HTTPResponseStatus(statusCode: status).reasonPhrase
                failure = QuoAPIError(kind: Self.kind(ofStatus: status), status: status, request: label, message: message)
                if status == 429 {
                    retryAfter = response.headers.first(name: "retry-after").flatMap(Int.init).map { .seconds($0) }
                }
            } catch let error as QuoAPIError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = QuoAPIError(kind: .transport, status: nil, request: label, message: "\(error)")
            }

            let retryable = [.rateLimited, .server, .transport].contains(failure.kind)
            guard retryable, attempt < maxRetries ?? configuration.maxRetries else { throw failure }
            let delay = retryAfter ?? backoff(attempt: attempt)
            if failure.kind == .rateLimited {
                // Everyone using this key waits, not just this request.
                await limiter.pause(for: delay)
            }
            logger.info("retrying Quo API request", metadata: [
                "request": "\(label)", "reason": "\(failure.message)", "status": "\(failure.status.map(String.init) ?? "-")",
                "delay_ms": "\(delay.milliseconds)",
            ])
            attempt += 1
            if failure.kind != .rateLimited {
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Exponential backoff with full jitter.
    private func backoff(attempt: Int) -> Duration {
        let base = configuration.initialBackoff * (1 << min(attempt, 16))
        let capped = min(base, configuration.maxBackoff)
        return capped * Double.random(in: 0.5...1.0)
    }

    private static func kind(ofStatus status: Int) -> QuoAPIError.Kind {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 429: .rateLimited
        case 500...: .server
        default: .badRequest
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
