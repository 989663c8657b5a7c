import Foundation
import Hummingbird

/// The `/v1` endpoints (all GET, JSON) and `GET /_mock/stats` and `/_mock/summary`. The 2026-03-30
/// surface is in ``DatedAPIRoutes``.
/// Authentication and rate limiting happen before, in ``APIGate``.
struct APIRoutes: Sendable {
    let state: MockServerState

    private var index: WorkspaceIndex { state.index }

    func register(on router: Router<some RequestContext>) {
        router.get("/v1/phone-numbers") { request, _ in self.phoneNumbers(request) }
        router.get("/v1/conversations") { request, _ in self.conversations(request) }
        router.get("/v1/calls") { request, _ in self.calls(request) }
        router.get("/v1/calls/:callId") { _, context in self.call(id: context.parameters.get("callId") ?? "") }
        router.get("/v1/call-recordings/:callId") { _, context in
            self.recordings(callId: context.parameters.get("callId") ?? "")
        }
        router.get("/v1/call-voicemails/:callId") { _, context in
            self.voicemail(callId: context.parameters.get("callId") ?? "")
        }
        router.get("/v1/call-transcripts/:callId") { _, context in
            self.callTranscript(callId: context.parameters.get("callId") ?? "")
        }
        router.get("/v1/call-summaries/:callId") { _, context in
            self.callSummary(callId: context.parameters.get("callId") ?? "")
        }
        router.get("/v1/contacts") { request, _ in self.contacts(request) }
        router.get("/_mock/stats") { _, _ in self.stats() }
        router.get("/_mock/summary") { _, _ in self.summary() }
        router.post("/_mock/media-latency") { request, _ in self.setMediaLatency(request) }
        router.post("/_mock/media-bandwidth") { request, _ in self.setMediaBandwidth(request) }
    }

    // MARK: Endpoints

    /// `GET /v1/phone-numbers[?userId=US…]` → `{data:[PhoneNumber]}`.
    func phoneNumbers(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        var numbers = index.workspace.phoneNumbers
        if let userId = query.first("userId") {
            numbers = numbers.filter { $0.users.contains { $0.id == userId } }
        }
        return .json(["data": .array(numbers.map(index.json))])
    }

    /// `GET /v1/conversations?maxResults=N[&phoneNumbers[]=PN…|E.164…][&userId=…][&pageToken=…]`.
    func conversations(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        let maxResults: Int
        switch Self.maxResults(query, default: nil) {
        case .success(let value): maxResults = value
        case .failure(let error): return error.response()
        }
        let filters = query.values("phoneNumbers[]")
        var items = index.conversationsByActivity
        if !filters.isEmpty {
            let ids = Set(filters.compactMap { index.phoneNumber($0)?.id })
            items = items.filter { ids.contains($0.phoneNumberId) }
        }
        if let userId = query.first("userId") {
            let ids = Set(index.workspace.phoneNumbers.filter { $0.users.contains { $0.id == userId } }.map(\.id))
            items = items.filter { ids.contains($0.phoneNumberId) }
        }
        let scope = "conversations|\(filters.sorted())|\(query.first("userId") ?? "")"
        return paginated(items, query: query, maxResults: maxResults, scope: scope, render: index.json)
    }

    /// `GET /v1/calls?phoneNumberId=PN…&participants[]=E.164[&maxResults=N][&userId=…]
    /// [&createdAfter=…][&createdBefore=…][&pageToken=…]`: only the 1:1 calls with exactly
    /// that participant on that number (never a group call, never one without a number).
    func calls(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        guard let phoneNumberId = query.first("phoneNumberId"), !phoneNumberId.isEmpty else {
            return ErrorBody.badParameter("phoneNumberId", "Expected required property", value: nil, type: "string").response()
        }
        guard phoneNumberId.hasPrefix("PN") else {
            return ErrorBody.badParameter(
                "phoneNumberId", "Expected string to match '^PN(.*)$'", value: .string(phoneNumberId), type: "string"
            ).response()
        }
        let participants = query.values("participants[]")
        guard !participants.isEmpty else {
            return ErrorBody.badParameter("participants", "Expected required property", value: nil, type: "array").response()
        }
        guard participants.count == 1 else {
            return ErrorBody.badParameter(
                "participants", "Expected array to contain exactly 1 item (1:1 conversations only)",
                value: JSON(participants), type: "array"
            ).response()
        }
        let maxResults: Int
        switch Self.maxResults(query, default: 10) {
        case .success(let value): maxResults = value
        case .failure(let error): return error.response()
        }
        var bounds: [String: Int64] = [:]
        for name in ["createdAfter", "createdBefore"] {
            guard let text = query.first(name) else { continue }
            guard let millis = Timestamp.milliseconds(iso: text) else {
                return ErrorBody.badParameter(name, "Expected string to match 'date-time' format", value: .string(text), type: "string")
                    .response()
            }
            bounds[name] = millis
        }
        let participant = participants[0]
        let userId = query.first("userId")
        let items = index.callsByCreation.filter { call in
            guard call.phoneNumberId == phoneNumberId, call.participants == [participant] else { return false }
            if let userId, call.userId != userId { return false }
            let created = Timestamp.milliseconds(iso: call.createdAt) ?? 0
            if let after = bounds["createdAfter"], created <= after { return false }
            if let before = bounds["createdBefore"], created >= before { return false }
            return true
        }
        let scope = "calls|\(phoneNumberId)|\(participant)|\(userId ?? "")|\(query.first("createdAfter") ?? "")|\(query.first("createdBefore") ?? "")"
        return paginated(items, query: query, maxResults: maxResults, scope: scope, render: index.json)
    }

    /// `GET /v1/calls/{callId}` → `{data: Call}`.
    func call(id: String) -> Response {
        if let error = Self.validateCallId(id) { return error.response() }
        guard let call = index.callsById[id] else {
            return ErrorBody.notFound("Call \(id) not found").response()
        }
        return .json(["data": index.json(call)])
    }

    /// `GET /v1/call-recordings/{callId}` → `{data:[Recording]}`, oldest segment first.
    func recordings(callId: String) -> Response {
        if let error = Self.validateCallId(callId) { return error.response() }
        guard let call = index.callsById[callId] else {
            return ErrorBody.notFound("Call \(callId) not found").response()
        }
        let baseURL = state.baseURL
        let urlSuffix = state.urlSuffix
        return .json(["data": .array(call.recordings.map { index.json($0, baseURL: baseURL, urlSuffix: urlSuffix) })])
    }

    /// `GET /v1/call-voicemails/{callId}` → `{data: Voicemail}`; 404 when the call has none.
    func voicemail(callId: String) -> Response {
        if let error = Self.validateCallId(callId) { return error.response() }
        guard let call = index.callsById[callId] else {
            return ErrorBody.notFound("Call \(callId) not found").response()
        }
        guard let voicemail = call.voicemail else {
            return ErrorBody.notFound("Voicemail not found").response()
        }
        return .json(["data": index.json(voicemail, baseURL: state.baseURL, urlSuffix: state.urlSuffix)])
    }

    /// `GET /v1/call-transcripts/{id}` → `{data: Transcript}`, one per call, times from
    /// the call's beginning (status `absent` and `dialogue: null` when there is none);
    /// 403 (code `0600403`) when the workspace's plan has no transcripts.
    func callTranscript(callId: String) -> Response {
        if let error = Self.validateCallId(callId) { return error.response() }
        guard let call = index.callsById[callId] else {
            return ErrorBody.notFound("Call \(callId) not found").response()
        }
        guard call.resolvedTranscriptStatus != .planGated else {
            return ErrorBody.forbidden(WorkspaceIndex.transcriptsGatedMessage, code: "0600403").response()
        }
        return .json(["data": index.v1TranscriptJSON(call)])
    }

    /// `GET /v1/call-summaries/{id}` → `{data: Summary}` (status `absent` and nulls when
    /// there is none); 403 (code `0600403`) when the workspace's plan has no summaries.
    func callSummary(callId: String) -> Response {
        if let error = Self.validateCallId(callId) { return error.response() }
        guard let call = index.callsById[callId] else {
            return ErrorBody.notFound("Call \(callId) not found").response()
        }
        guard call.summary?.status != .planGated else {
            return ErrorBody.forbidden(WorkspaceIndex.summariesGatedMessage, code: "0600403").response()
        }
        return .json(["data": index.v1SummaryJSON(call)])
    }

    /// `GET /v1/contacts[?maxResults=1…50][&pageToken=…]` → `{data:[Contact], totalItems,
    /// nextPageToken}`, in workspace order, phone numbers inline.
    func contacts(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        let maxResults: Int
        switch Self.maxResults(query, default: 10, upperBound: 50) {
        case .success(let value): maxResults = value
        case .failure(let error): return error.response()
        }
        return paginated(index.workspace.contacts, query: query, maxResults: maxResults, scope: "contacts", render: index.json)
    }

    /// `GET /_mock/summary` → ``MockWorkspaceSummary`` of the served workspace, as JSON
    /// (benchmarks compute request budgets from it).
    func summary() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(index.workspace.summary)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    /// `GET /_mock/stats` → ``MockStats`` as JSON.
    func stats() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(state.currentStats)) ?? Data("{}".utf8)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: Array(data)))
        )
    }

    /// `POST /_mock/media-latency?ms=N`: the recording host's first-byte latency from
    /// now on (204), for benchmarks that measure several latencies on one mount.
    func setMediaLatency(_ request: Request) -> Response {
        guard let text = QueryString(request.uri.query).first("ms"), let ms = Int(text), ms >= 0, ms <= 60_000 else {
            return Response(status: .badRequest)
        }
        state.mediaLatency = .milliseconds(ms)
        return Response(status: .noContent)
    }

    /// `POST /_mock/media-bandwidth?bytes_per_second=N`: the recording host's bandwidth,
    /// shared by all its transfers, from now on (0: unlimited), 204.
    func setMediaBandwidth(_ request: Request) -> Response {
        guard let text = QueryString(request.uri.query).first("bytes_per_second"), let rate = Int(text), rate >= 0 else {
            return Response(status: .badRequest)
        }
        state.mediaBandwidth = rate
        return Response(status: .noContent)
    }

    // MARK: Helpers

    /// One page of `items`: `{data, totalItems, nextPageToken}` (with
    /// ``MockOptions/repeatCursors``, always the token of the first page's end).
    private func paginated<Item>(
        _ items: [Item], query: QueryString, maxResults: Int, scope: String, render: (Item) -> JSON
    ) -> Response {
        var offset = 0
        if let token = query.first("pageToken"), !token.isEmpty {
            guard let decoded = PageToken.decode(token, scope: scope) else {
                return ErrorBody.badParameter("pageToken", "Invalid page token", value: .string(token), type: "string").response()
            }
            offset = min(decoded, items.count)
        }
        let pageSize = max(1, min(maxResults, state.options.maxPageSize))
        let end = min(items.count, offset + pageSize)
        let next: String? =
            state.options.repeatCursors ? PageToken.encode(offset: min(items.count, pageSize), scope: scope)
            : end < items.count ? PageToken.encode(offset: end, scope: scope) : nil
        return .json([
            "data": .array(items[offset..<end].map(render)),
            "totalItems": .int(items.count),
            "nextPageToken": JSON(next),
        ])
    }

    /// `maxResults`: an integer in 1...`upperBound`; required when `defaultValue` is nil.
    static func maxResults(_ query: QueryString, default defaultValue: Int?, upperBound: Int = 100) -> Result<Int, ErrorBody> {
        guard let text = query.first("maxResults") else {
            if let defaultValue { return .success(defaultValue) }
            return .failure(.badParameter("maxResults", "Expected required property", value: nil, type: "number"))
        }
        guard let value = Int(text) else {
            return .failure(.badParameter("maxResults", "Expected number", value: .string(text), type: "number"))
        }
        guard value >= 1 else {
            return .failure(.badParameter("maxResults", "Expected number to be greater or equal to 1", value: .int(value), type: "number"))
        }
        guard value <= upperBound else {
            return .failure(
                .badParameter("maxResults", "Expected number to be less or equal to \(upperBound)", value: .int(value), type: "number")
            )
        }
        return .success(value)
    }

    /// 400 unless `id` matches `^AC(.*)$`, as the API's path schema says.
    static func validateCallId(_ id: String) -> ErrorBody? {
        guard id.hasPrefix("AC") else {
            return .badParameter("callId", "Expected string to match '^AC(.*)$'", value: .string(id), type: "string")
        }
        return nil
    }
}

extension ErrorBody: Error {}
