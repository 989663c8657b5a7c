import Hummingbird

/// The recording host: `GET`/`HEAD /media/{id}{ext}` with byte ranges,
/// no authentication and no rate limit, for recordings (`CR…`) and voicemails (`VM…`)
/// alike (same expiring `?sig=N`, latency and faults). Large bodies are generated and
/// streamed chunk by chunk.
///
/// The same recordings (not voicemails) are also listed as a plain HTML index at `/files/` and served
/// at `/files/{name}` (same bytes, headers and ranges), which is what generic
/// HTTP-directory clients (rclone's http backend, httpdirfs) mount; benchmarks use
/// it to compare them with quofs against the same host.
///
/// Every file request (not the index) waits ``MockOptions/mediaLatency`` (changed at run
/// time by `POST /_mock/media-latency?ms=N`), and with a bandwidth set (`POST
/// /_mock/media-bandwidth?bytes_per_second=N`) its turn on the host's shared link, before
/// answering, to stand in for an object store's first-byte latency.
struct MediaRoutes: Sendable {
    let state: MockServerState

    /// Bodies up to this size go out as one buffer; larger ones are streamed.
    static let streamingThreshold = 256 * 1024
    /// Size of each streamed chunk.
    static let chunkSize = 64 * 1024
    /// `Last-Modified` of recordings without a start time.
    static let fixedLastModified = "Wed, 01 Jan 2025 00:00:00 GMT"

    func register(on router: Router<some RequestContext>) {
        router.get("/media/:file") { request, context in
            try await self.serve(request, recording: self.state.index.mediaByFileName[context.parameters.get("file") ?? ""], includeBody: true)
        }
        router.head("/media/:file") { request, context in
            try await self.serve(request, recording: self.state.index.mediaByFileName[context.parameters.get("file") ?? ""], includeBody: false)
        }
        router.get("/moved/media/:file") { request, context in
            try await self.serve(request, recording: self.state.index.mediaByFileName[context.parameters.get("file") ?? ""], includeBody: true)
        }
        router.get("/files") { _, _ in self.index(includeBody: true) }
        router.head("/files") { _, _ in self.index(includeBody: false) }
        router.get("/files/:file") { request, context in
            try await self.serve(request, recording: self.state.index.filesByName[context.parameters.get("file") ?? ""], includeBody: true)
        }
        router.head("/files/:file") { request, context in
            try await self.serve(request, recording: self.state.index.filesByName[context.parameters.get("file") ?? ""], includeBody: false)
        }
    }

    /// Answers a request for `recording`'s bytes (nil: 404), after the configured latency.
    func serve(_ request: Request, recording: MockRecording?, includeBody: Bool) async throws -> Response {
        state.recordMediaRequest(withAuthorization: request.headers[.authorization] != nil)
        let faults = state.faults
        var latency = state.mediaLatency
        if state.chance(faults.mediaSlowFirstBytes) {
            latency += faults.slowFirstByteDelay
        }
        if latency > .zero {
            try await Task.sleep(for: latency)
        }
        let path = request.uri.path
        if let redirect = faults.mediaRedirect, path.hasPrefix("/media/") {
            state.recordInjectedFault()
            let query = request.uri.query.map { "?" + $0 } ?? ""
            let location = switch redirect {
            case .relative: "/moved" + path + query
            case .absolute(let base): base + "/moved" + path + query
            case .loop: path + query
            }
            return Response(status: .found, headers: [.location: location, .contentLength: "0"])
        }
        guard let recording, let content = recording.content else {
            return Response(
                status: .notFound,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "Not Found\n"))
            )
        }
        // Expired signed URLs: once URLs were expired, only the current generation works.
        let generation = state.urlGeneration
        if generation > 0, path.hasPrefix("/media/") || path.hasPrefix("/moved/media/"),
           Self.signature(request.uri.query) != String(generation) {
            return Response(status: .forbidden, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "Request has expired\n")))
        }
        if state.chance(faults.mediaServerErrors) {
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "Slow down\n")))
        }
        let size = content.size
        let version = faults.changedRecordings.contains(recording.id) ? "-v2" : ""
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: recording.type ?? "application/octet-stream",
            .eTag: "\"\(recording.id)-\(size)\(version)\"",
            .lastModified: recording.startTime.flatMap(Timestamp.milliseconds(iso:)).map(Timestamp.httpDate(milliseconds:))
                ?? Self.fixedLastModified,
        ]
        let status: HTTPResponse.Status
        let range: Range<Int>
        switch ByteRange.parse(request.headers[.range], size: size) {
        case .whole:
            status = .ok
            range = 0..<size
        case .partial(var bytes):
            status = .partialContent
            if bytes.count < size, state.chance(faults.mediaWrongRanges) {
                // The wrong stretch, honestly labelled: a client must notice and not use it.
                let shift = bytes.upperBound < size ? 1 : -1
                bytes = (bytes.lowerBound + shift)..<(bytes.upperBound + shift)
            }
            range = bytes
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(size)"
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
        guard includeBody else {
            headers[.contentLength] = String(range.count)
            return Response(status: status, headers: headers)
        }
        let fault: MediaFault? =
            state.chance(faults.mediaResets) ? .reset
            : state.chance(faults.mediaShortBodies) ? .shortBody
            : state.chance(faults.mediaStalls) ? .stall(faults.stallDuration)
            : nil
        if let fault, range.count > 1 {
            return Response(status: status, headers: headers, body: Self.faultyBody(content, range: range, fault: fault))
        }
        state.recordMediaBytes(range.count)
        // A limited bandwidth: the body goes once its turn on the host's link is over
        // (store and forward: benchmarks time whole small files, not first bytes).
        try await state.transmit(range.count)
        return Response(status: status, headers: headers, body: Self.body(content, range: range))
    }

    /// The `sig` parameter of a raw query string.
    static func signature(_ query: String?) -> String? {
        query?.split(separator: "&").first { $0.hasPrefix("sig=") }.map { String($0.dropFirst(4)) }
    }

    /// A body that goes wrong part-way: the connection drops (`reset` early, `shortBody`
    /// just before the end), or stalls half-way for a while.
    static func faultyBody(_ content: RecordingContent, range: Range<Int>, fault: MediaFault) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            let cut: Int
            switch fault {
            case .reset: cut = range.lowerBound + range.count / 8
            case .shortBody: cut = range.upperBound - max(1, range.count / 64)
            case .stall: cut = range.lowerBound + range.count / 2
            }
            try await write(content, range.lowerBound..<cut, to: &writer)
            switch fault {
            case .reset, .shortBody:
                throw InjectedConnectionDrop()
            case .stall(let duration):
                try await Task.sleep(for: duration)
            }
            try await write(content, cut..<range.upperBound, to: &writer)
            try await writer.finish(nil)
        }
    }

    /// `GET`/`HEAD /files/`: a plain HTML page linking every servable recording by its
    /// index name (`<a href="CRx.wav">CRx.wav</a>`), as a web server's directory listing.
    func index(includeBody: Bool) -> Response {
        state.recordIndexRequest()
        let page = Self.indexPage(state.index.fileNames)
        let bytes = ByteBuffer(string: page)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        guard includeBody else {
            headers[.contentLength] = String(bytes.readableBytes)
            return Response(status: .ok, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// The HTML of the index page for `names`.
    static func indexPage(_ names: [String]) -> String {
        var page = "<!DOCTYPE html>\n<html>\n<head><title>Index of /files/</title></head>\n<body>\n<h1>Index of /files/</h1>\n<pre>\n"
        for name in names {
            let escaped = htmlEscaped(name)
            page += "<a href=\"\(escaped)\">\(escaped)</a>\n"
        }
        page += "</pre>\n</body>\n</html>\n"
        return page
    }

    /// `text` with `&`, `<`, `>` and `"` escaped for HTML text and attribute values.
    static func htmlEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The bytes of `range`: one buffer when small, else generated while streaming.
    static func body(_ content: RecordingContent, range: Range<Int>) -> ResponseBody {
        guard range.count > streamingThreshold else {
            return ResponseBody(byteBuffer: buffer(content, range: range))
        }
        return ResponseBody(contentLength: range.count) { writer in
            try await write(content, range, to: &writer)
            try await writer.finish(nil)
        }
    }

    /// Writes the bytes of `range`, generated chunk by chunk.
    static func write(_ content: RecordingContent, _ range: Range<Int>, to writer: inout some ResponseBodyWriter) async throws {
        var position = range.lowerBound
        while position < range.upperBound {
            let end = min(range.upperBound, position + chunkSize)
            try await writer.write(buffer(content, range: position..<end))
            position = end
        }
    }

    /// A buffer holding the bytes of `range`, generated in place.
    static func buffer(_ content: RecordingContent, range: Range<Int>) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: range.count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: range.count) { destination in
            content.copyBytes(in: range, into: destination)
            return range.count
        }
        return buffer
    }
}
