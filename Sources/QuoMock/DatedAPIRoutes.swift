import Hummingbird

/// The 2026-03-30 endpoints on unprefixed paths (all GET, JSON, cursor-paginated lists
/// `{data, nextCursor}` with `limit` 1…50 and `after`). The version header, the key,
/// the rate limit and the latency are handled before, in ``APIGate``.
struct DatedAPIRoutes: Sendable {
    let state: MockServerState

    private var index: WorkspaceIndex { state.index }

    /// Largest `limit` accepted.
    static let maxLimit = 50
    /// `limit` when absent.
    static let defaultLimit = 10

    func register(on router: Router<some RequestContext>) {
        router.get("/phone-numbers") { request, _ in self.phoneNumbers(request) }
        router.get("/calls") { request, _ in self.calls(request) }
        router.get("/calls/:callId") { request, context in self.call(request, id: context.parameters.get("callId") ?? "") }
        router.get("/calls/:callId/recordings") { request, context in
            self.recordings(request, callId: context.parameters.get("callId") ?? "")
        }
        router.get("/calls/:callId/transcripts") { request, context in
            self.transcripts(request, callId: context.parameters.get("callId") ?? "")
        }
        router.get("/users") { request, _ in self.users(request) }
        router.get("/conversations") { request, _ in self.conversations(request) }
        router.get("/contacts") { request, _ in self.contacts(request) }
    }

    // MARK: Endpoints

    /// `GET /phone-numbers`.
    func phoneNumbers(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        return page(index.workspace.phoneNumbers, query: query, scope: "dated-phone-numbers", render: index.datedJSON)
    }

    /// `GET /calls[?phoneNumberId=PN…][&participant=…][&actorId=US…][&direction=…][&status=…]
    /// [&createdAt[gte]=…][&createdAt[lte]=…][&include=summary,voicemail][&limit=N][&after=…]`:
    /// the whole workspace, newest first, group calls included.
    func calls(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        let includes: WorkspaceIndex.CallIncludes
        switch Self.includes(query) {
        case .success(let value): includes = value
        case .failure(let error): return error.response()
        }
        var bounds: [String: Int64] = [:]
        for name in ["createdAt[gte]", "createdAt[lte]"] {
            guard let text = query.first(name) else { continue }
            guard let millis = Timestamp.milliseconds(iso: text) else {
                return DatedErrorBody.badQuery(
                    name, "Expected string to match 'date-time' format", value: text, schema: ["type": "string", "format": "date-time"]
                ).response()
            }
            bounds[name] = millis
        }
        let phoneNumberId = query.first("phoneNumberId")
        let participant = query.first("participant")
        let actorId = query.first("actorId")
        let direction = query.first("direction")
        let status = query.first("status")
        let items = index.callsByCreation.filter { call in
            if let phoneNumberId, call.phoneNumberId != phoneNumberId { return false }
            if let participant, !call.participants.contains(participant) { return false }
            if let actorId, call.userId != actorId { return false }
            if let direction, call.direction != direction { return false }
            if let status, call.status != status { return false }
            if !bounds.isEmpty {
                let created = Timestamp.milliseconds(iso: call.createdAt) ?? 0
                if let lower = bounds["createdAt[gte]"], created < lower { return false }
                if let upper = bounds["createdAt[lte]"], created > upper { return false }
            }
            return true
        }
        let filters = [phoneNumberId, participant, actorId, direction, status, query.first("createdAt[gte]"), query.first("createdAt[lte]")]
        let scope = "dated-calls|" + filters.map { $0 ?? "" }.joined(separator: "|")
        let (baseURL, urlSuffix) = (state.baseURL, state.urlSuffix)
        return page(items, query: query, scope: scope) {
            index.datedJSON($0, includes: includes, baseURL: baseURL, urlSuffix: urlSuffix)
        }
    }

    /// `GET /calls/{callId}[?include=…]` → `{data: Call}`.
    func call(_ request: Request, id: String) -> Response {
        let query = QueryString(request.uri.query)
        let call: MockCall
        switch lookUp(id) {
        case .success(let value): call = value
        case .failure(let error): return error.response()
        }
        let includes: WorkspaceIndex.CallIncludes
        switch Self.includes(query) {
        case .success(let value): includes = value
        case .failure(let error): return error.response()
        }
        return .json(["data": index.datedJSON(call, includes: includes, baseURL: state.baseURL, urlSuffix: state.urlSuffix)])
    }

    /// `GET /calls/{callId}/recordings[?limit=N][&after=…]`, oldest segment first.
    func recordings(_ request: Request, callId: String) -> Response {
        let call: MockCall
        switch lookUp(callId) {
        case .success(let value): call = value
        case .failure(let error): return error.response()
        }
        let (baseURL, urlSuffix) = (state.baseURL, state.urlSuffix)
        return page(call.recordings, query: QueryString(request.uri.query), scope: "dated-recordings|\(callId)") {
            index.datedJSON($0, baseURL: baseURL, urlSuffix: urlSuffix)
        }
    }

    /// `GET /calls/{callId}/transcripts[?limit=N][&after=…]`: one per segment with a
    /// transcript, oldest `startTime` first, times from the segment's start; 403 when the
    /// workspace's plan has no transcripts.
    func transcripts(_ request: Request, callId: String) -> Response {
        let call: MockCall
        switch lookUp(callId) {
        case .success(let value): call = value
        case .failure(let error): return error.response()
        }
        guard call.resolvedTranscriptStatus != .planGated else {
            return DatedErrorBody.forbidden(WorkspaceIndex.transcriptsGatedMessage).response()
        }
        let segments = index.datedTranscriptSegments(call)
        return page(segments, query: QueryString(request.uri.query), scope: "dated-transcripts|\(callId)") {
            index.datedTranscriptJSON($0, of: call)
        }
    }

    /// `GET /users`: the workspace's members.
    func users(_ request: Request) -> Response {
        page(index.workspace.users, query: QueryString(request.uri.query), scope: "dated-users", render: index.datedJSON)
    }

    /// `GET /conversations[?phoneNumberId=PN…]`, newest activity first.
    func conversations(_ request: Request) -> Response {
        let query = QueryString(request.uri.query)
        var items = index.conversationsByActivity
        let phoneNumberId = query.first("phoneNumberId")
        if let phoneNumberId {
            items = items.filter { $0.phoneNumberId == phoneNumberId }
        }
        return page(items, query: query, scope: "dated-conversations|\(phoneNumberId ?? "")", render: index.datedJSON)
    }

    /// `GET /contacts`, in workspace order.
    func contacts(_ request: Request) -> Response {
        page(index.workspace.contacts, query: QueryString(request.uri.query), scope: "dated-contacts", render: index.datedJSON)
    }

    // MARK: Helpers

    /// The call `id` names: 400 unless it matches `^AC(.*)$`, 404 when unknown.
    private func lookUp(_ id: String) -> Result<MockCall, DatedErrorBody> {
        guard id.hasPrefix("AC") else { return .failure(.badCallId(id)) }
        guard let call = index.callsById[id] else { return .failure(.notFound("Call not found")) }
        return .success(call)
    }

    /// One page of `items`: `{data, nextCursor}`. `limit` 1…50 (default 10, capped by
    /// ``MockOptions/maxPageSize``), `after` a cursor handed out for the same list. With
    /// ``MockOptions/repeatCursors``, `nextCursor` is always the cursor of the first page's end.
    private func page<Item>(_ items: [Item], query: QueryString, scope: String, render: (Item) -> JSON) -> Response {
        let limit: Int
        switch Self.limit(query) {
        case .success(let value): limit = value
        case .failure(let error): return error.response()
        }
        var offset = 0
        if let cursor = query.first("after"), !cursor.isEmpty {
            guard let decoded = PageToken.decode(cursor, scope: scope) else {
                return DatedErrorBody.badQuery("after", "Invalid cursor", value: cursor, schema: ["type": "string"]).response()
            }
            offset = min(decoded, items.count)
        }
        let pageSize = max(1, min(limit, state.options.maxPageSize))
        let end = min(items.count, offset + pageSize)
        let next: String? =
            state.options.repeatCursors ? PageToken.encode(offset: min(items.count, pageSize), scope: scope)
            : end < items.count ? PageToken.encode(offset: end, scope: scope) : nil
        return .json(["data": .array(items[offset..<end].map(render)), "nextCursor": JSON(next)])
    }

    /// `limit`: an integer in 1…50, 10 when absent.
    static func limit(_ query: QueryString) -> Result<Int, DatedErrorBody> {
        guard let text = query.first("limit") else { return .success(defaultLimit) }
        let schema: JSON = ["type": "integer"]
        guard let value = Int(text) else {
            return .failure(.badQuery("limit", "must be integer", value: text, schema: schema))
        }
        guard value >= 1 else { return .failure(.badQuery("limit", "must be >= 1", value: text, schema: schema)) }
        guard value <= maxLimit else {
            return .failure(.badQuery("limit", "must be <= \(maxLimit)", value: text, schema: schema))
        }
        return .success(value)
    }

    /// `include`: comma-separated `summary` and `voicemail`, at most two, no duplicates.
    static func includes(_ query: QueryString) -> Result<WorkspaceIndex.CallIncludes, DatedErrorBody> {
        var includes = WorkspaceIndex.CallIncludes()
        let values = query.values("include")
        guard !values.isEmpty else { return .success(includes) }
        let text = values.joined(separator: ",")
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let schema: JSON = ["type": "array", "items": ["enum": ["summary", "voicemail"]], "maxItems": 2, "uniqueItems": true]
        guard items.count <= 2 else {
            return .failure(.badQuery("include", "must NOT have more than 2 items", value: text, schema: schema))
        }
        guard Set(items).count == items.count else {
            return .failure(.badQuery("include", "must NOT have duplicate items", value: text, schema: schema))
        }
        for item in items {
            switch item {
            case "summary": includes.summary = true
            case "voicemail": includes.voicemail = true
            default: return .failure(.badQuery("include", "Value must be one of: summary, voicemail", value: text, schema: schema))
            }
        }
        return .success(includes)
    }
}
