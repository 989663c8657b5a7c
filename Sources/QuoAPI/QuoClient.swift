import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import NIOCore
import NIOHTTP1

/// Settings of a ``QuoClient``.
public struct QuoClientConfiguration: Sendable {
    /// `https://api.quo.com` (both versions), `https://api.openphone.com` (v1 only), or a
    /// QuoMock URL.
    public var baseURL: String
    /// Sent as the raw `Authorization` header value, to the API host only.
    public var apiKey: String
    /// Which surface to speak.
    public var version: APIVersion = .default
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

    public init(baseURL: String, apiKey: String, version: APIVersion = .default) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.version = version
    }
}

/// Whether a request is for someone waiting (a FUSE request) or fetched ahead.
public enum RequestPriority: Sendable, Equatable {
    /// Someone waits for the answer: goes first.
    case foreground
    /// Fetched ahead of need: sent only while no foreground request waits for the rate limit.
    case background
}

/// The Quo REST client: typed endpoints of both API versions (``APIVersion``),
/// pagination, the shared rate limit, retries and the API's error messages. Knows
/// nothing of filesystems.
///
/// Each endpoint method returns the same models whichever version it speaks; where a
/// version has no such endpoint the method says what it does instead.
public final class QuoClient: Sendable {
    private let httpClient: HTTPClient
    private let configuration: QuoClientConfiguration
    private let limiter: RequestRateLimiter<ContinuousClock>
    private let logger: Logger
    private let counters = ClientCounters()
    /// 2026-03-30's `GET /calls/{id}` under way, by call: a call listing that needs both
    /// its voicemail and its summary asks for the call once (both come with it).
    private let callsInFlight = Mutex<[String: Task<Call, any Error>]>([:])

    /// The priority of the requests made by the current task (see ``RequestPriority``).
    @TaskLocal public static var priority: RequestPriority = .foreground

    public init(httpClient: HTTPClient, configuration: QuoClientConfiguration, logger: Logger) {
        self.httpClient = httpClient
        self.configuration = configuration
        self.limiter = RequestRateLimiter(
            limit: configuration.rateLimit, window: configuration.rateWindow, clock: ContinuousClock())
        self.logger = logger
    }

    /// The surface this client speaks.
    public var version: APIVersion { configuration.version }

    /// How many HTTP requests this client has sent to the API (retries included).
    public var requestsSent: Int { counters.requestsSent }

    /// Requests sent (in all and in the last minute), 429s and retries so far.
    public var statistics: ClientStatistics { counters.snapshot }

    /// Largest page each version allows.
    private var pageLimit: String { version == .v1 ? "100" : "50" }

    // MARK: Endpoints

    /// The workspace's phone numbers: `GET /v1/phone-numbers` (one request, not
    /// paginated), or `GET /phone-numbers` (pages of 50). `maxRetries` overrides the
    /// configured retry count (e.g. to fail fast when checking a key at mount time).
    public func phoneNumbers(maxRetries: Int? = nil) async throws -> [PhoneNumber] {
        switch version {
        case .v1:
            let response: ListResponse<PhoneNumber> = try await get("/v1/phone-numbers", query: [], maxRetries: maxRetries)
            return response.data
        case .dated20260330:
            return try await allPages("/phone-numbers", query: [("limit", pageLimit)], maxRetries: maxRetries)
        }
    }

    /// The conversations of one workspace number (`PN…`), all pages, newest activity first.
    ///
    /// With `activeAfter`, pages stop once a page ends with a conversation whose last
    /// activity is no later than that time (the list is newest activity first): the
    /// conversations after it are known to have had no activity since.
    public func conversations(phoneNumberID: String, activeAfter: String? = nil) async throws -> [Conversation] {
        var stop: (@Sendable ([Conversation]) -> Bool)?
        if let mark = activeAfter.flatMap(QuoTimestamp.init(iso8601:)) {
            stop = { (page: [Conversation]) -> Bool in
                guard let text = page.last?.lastActivityAt, let last = QuoTimestamp(iso8601: text) else { return false }
                return last <= mark
            }
        }
        switch version {
        case .v1:
            return try await allPages("/v1/conversations", query: [("phoneNumbers[]", phoneNumberID), ("maxResults", pageLimit)], stop: stop)
        case .dated20260330:
            return try await allPages("/conversations", query: [("phoneNumberId", phoneNumberID), ("limit", pageLimit)], stop: stop)
        }
    }

    /// Calls, all pages, newest first.
    ///
    /// `createdAfter` keeps calls created at or after that time: 2026-03-30's inclusive
    /// `createdAt[gte]`, or v1's exclusive `createdAfter` a millisecond earlier.
    /// v1 (`GET /v1/calls`) needs both `phoneNumberID` and exactly one `participant`
    /// (1:1 calls only) and never includes voicemails. 2026-03-30 (`GET /calls`) takes
    /// every filter as optional (none: the whole workspace, group calls included) and
    /// includes voicemails (``Call/voicemailIncluded``).
    public func calls(phoneNumberID: String?, participant: String?, createdAfter: String? = nil) async throws -> [Call] {
        switch version {
        case .v1:
            guard let phoneNumberID, let participant else {
                throw QuoAPIError(kind: .badRequest, status: nil, request: "GET /v1/calls",
                                  message: "API v1 lists calls only for one phone number and one participant")
            }
            var query = [("phoneNumberId", phoneNumberID), ("participants[]", participant), ("maxResults", pageLimit)]
            if let createdAfter {
                let earlier = QuoTimestamp(iso8601: createdAfter).map { $0.millisecondEarlier.iso8601 } ?? createdAfter
                query.append(("createdAfter", earlier))
            }
            return try await allPages("/v1/calls", query: query)
        case .dated20260330:
            var query: [(String, String)] = []
            if let phoneNumberID { query.append(("phoneNumberId", phoneNumberID)) }
            if let participant { query.append(("participant", participant)) }
            if let createdAfter { query.append(("createdAt[gte]", createdAfter)) }
            query += [("include", "summary,voicemail"), ("limit", pageLimit)]
            let calls: [Call] = try await allPages("/calls", query: query)
            return calls.map(Self.withIncludedArtifacts)
        }
    }

    /// One call: `GET /v1/calls/{id}`, or `GET /calls/{id}?include=summary,voicemail`.
    public func call(id: String) async throws -> Call {
        switch version {
        case .v1:
            let response: ItemResponse<Call> = try await get("/v1/calls/\(PercentEncoding.encode(id))", query: [])
            return response.data
        case .dated20260330:
            // Concurrent askers of the same call share one request.
            let task = callsInFlight.withLock { inFlight in
                if let running = inFlight[id] { return running }
                let task = Task {
                    defer { _ = self.callsInFlight.withLock { $0.removeValue(forKey: id) } }
                    let response: ItemResponse<Call> = try await self.get(
                        "/calls/\(PercentEncoding.encode(id))", query: [("include", "summary,voicemail")])
                    return Self.withIncludedArtifacts(response.data)
                }
                inFlight[id] = task
                return task
            }
            return try await task.value
        }
    }

    /// The call's recording segments, oldest first: `GET /v1/call-recordings/{id}` (not
    /// paginated) or `GET /calls/{id}/recordings` (pages of 50).
    public func recordings(callID: String) async throws -> [CallRecording] {
        switch version {
        case .v1:
            let response: ListResponse<CallRecording> =
                try await get("/v1/call-recordings/\(PercentEncoding.encode(callID))", query: [])
            return response.data
        case .dated20260330:
            return try await allPages("/calls/\(PercentEncoding.encode(callID))/recordings", query: [("limit", pageLimit)])
        }
    }

    /// The voicemail left on a call, or nil if none: `GET /v1/call-voicemails/{id}` (a
    /// 404 means none), or the call itself with `include=voicemail`.
    public func voicemail(callID: String) async throws -> Voicemail? {
        switch version {
        case .v1:
            do {
                let response: ItemResponse<Voicemail> =
                    try await get("/v1/call-voicemails/\(PercentEncoding.encode(callID))", query: [])
                return response.data
            } catch let error as QuoAPIError where error.kind == .notFound {
                return nil
            }
        case .dated20260330:
            return try await call(id: callID).voicemail
        }
    }

    /// The call's transcripts: v1's one per call (`GET /v1/call-transcripts/{id}`), or
    /// 2026-03-30's one per segment (`GET /calls/{id}/transcripts`, pages of 50).
    public func transcripts(callID: String) async throws -> [Transcript] {
        switch version {
        case .v1:
            let response: ItemResponse<Transcript> =
                try await get("/v1/call-transcripts/\(PercentEncoding.encode(callID))", query: [])
            return [response.data]
        case .dated20260330:
            return try await allPages("/calls/\(PercentEncoding.encode(callID))/transcripts", query: [("limit", pageLimit)])
        }
    }

    /// The call's summary, or nil if it has none: `GET /v1/call-summaries/{id}` (a 404
    /// means none), or the call itself with `include=summary`.
    public func summary(callID: String) async throws -> CallSummary? {
        switch version {
        case .v1:
            do {
                let response: ItemResponse<CallSummary> =
                    try await get("/v1/call-summaries/\(PercentEncoding.encode(callID))", query: [])
                return response.data
            } catch let error as QuoAPIError where error.kind == .notFound {
                return nil
            }
        case .dated20260330:
            return try await call(id: callID).summary
        }
    }

    /// The workspace's members: `GET /users` (2026-03-30). v1 has no users list: there
    /// they come from the phone numbers' `users`, deduplicated.
    public func users() async throws -> [User] {
        switch version {
        case .v1:
            return User.distinct(in: try await phoneNumbers())
        case .dated20260330:
            return try await allPages("/users", query: [("limit", pageLimit)])
        }
    }

    /// The workspace's contacts: `GET /v1/contacts` (phone numbers inline) or
    /// `GET /contacts` (names only).
    public func contacts() async throws -> [Contact] {
        switch version {
        case .v1: try await allPages("/v1/contacts", query: [("maxResults", "50")])
        case .dated20260330: try await allPages("/contacts", query: [("limit", pageLimit)])
        }
    }

    /// The workspace's contacts with their phone numbers, whichever version this client
    /// speaks: `GET /v1/contacts`, pages of 50. 2026-03-30's `/contacts` carries no
    /// numbers (they cost a request per contact there), and api.quo.com serves the v1
    /// paths beside the dated ones, so a number → name map costs ⌈contacts/50⌉ requests.
    public func contactsWithNumbers() async throws -> [Contact] {
        try await allPages("/v1/contacts", query: [("maxResults", "50")], cursorParameter: "pageToken")
    }

    /// A 2026-03-30 call listed with `include=summary,voicemail`: an absent voicemail
    /// or summary means none.
    private static func withIncludedArtifacts(_ call: Call) -> Call {
        var call = call
        call.voicemailIncluded = true
        call.summaryIncluded = true
        return call
    }

    // MARK: Transport

    /// Every page of a list: v1 pages with `pageToken`/`nextPageToken`, 2026-03-30 with
    /// `after`/`nextCursor`. A cursor handed out twice is an error (it would loop forever).
    private func allPages<Element: Decodable & Sendable>(
        _ path: String, query: [(String, String)], maxRetries: Int? = nil, stop: (@Sendable ([Element]) -> Bool)? = nil,
        cursorParameter: String? = nil
    ) async throws -> [Element] {
        let cursorParameter = cursorParameter ?? (version == .v1 ? "pageToken" : "after")
        let v1Pages = cursorParameter == "pageToken"
        var elements: [Element] = []
        var cursor: String?
        var seenCursors: Set<String> = []
        repeat {
            var pageQuery = query
            if let cursor { pageQuery.append((cursorParameter, cursor)) }
            let page: ListResponse<Element> = try await get(path, query: pageQuery, maxRetries: maxRetries)
            elements += page.data
            if let stop, stop(page.data) { break }
            cursor = (v1Pages ? page.nextPageToken : page.nextCursor).flatMap { $0.isEmpty ? nil : $0 }
            if let cursor, !seenCursors.insert(cursor).inserted {
                throw QuoAPIError(kind: .invalidResponse, status: nil, request: "GET \(path)",
                                  message: "the API repeated a page cursor")
            }
        } while cursor != nil
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
            try await limiter.acquire(priority: Self.priority)
            logger.debug("Quo API request", metadata: ["request": "\(label)", "attempt": "\(attempt + 1)"])
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            request.headers.add(name: "Authorization", value: configuration.apiKey)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "quofs")
            if let version = configuration.version.headerValue {
                request.headers.add(name: "Quo-Api-Version", value: version)
            }

            let failure: QuoAPIError
            var retryAfter: Duration?
            do {
                counters.requestSent()
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
                let errorBody = try? JSONDecoder().decode(ErrorResponse.self, from: Data(body.readableBytesView))
                let message = errorBody?.userMessage ?? HTTPResponseStatus(statusCode: status).reasonPhrase
                var kind = Self.kind(ofStatus: status)
                if status == 400, errorBody?.namesVersionHeader == true { kind = .versionRefused }
                failure = QuoAPIError(kind: kind, status: status, request: label, message: message)
                if status == 429 {
                    counters.rateLimited()
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
            // A 429 says when to come back, not that something is broken: it gets every
            // retry even where the caller asked to fail fast (the key check at startup,
            // which another process using the same key may have crowded out).
            let retries = failure.kind == .rateLimited ? configuration.maxRetries : (maxRetries ?? configuration.maxRetries)
            guard retryable, attempt < retries else { throw failure }
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
            counters.retried()
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
