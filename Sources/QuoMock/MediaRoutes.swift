import Hummingbird

/// The recording host: `GET`/`HEAD /media/{id}{ext}` with byte ranges,
/// no authentication and no rate limit. Large bodies are generated and
/// streamed chunk by chunk.
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
            self.serve(request, fileName: context.parameters.get("file") ?? "", includeBody: true)
        }
        router.head("/media/:file") { request, context in
            self.serve(request, fileName: context.parameters.get("file") ?? "", includeBody: false)
        }
    }

    func serve(_ request: Request, fileName: String, includeBody: Bool) -> Response {
        state.recordMediaRequest(withAuthorization: request.headers[.authorization] != nil)
        guard let recording = state.index.mediaByFileName[fileName], let content = recording.content else {
            return Response(
                status: .notFound,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "Not Found\n"))
            )
        }
        let size = content.size
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: recording.type ?? "application/octet-stream",
            .eTag: "\"\(recording.id)-\(size)\"",
            .lastModified: recording.startTime.flatMap(Timestamp.milliseconds(iso:)).map(Timestamp.httpDate(milliseconds:))
                ?? Self.fixedLastModified,
        ]
        let status: HTTPResponse.Status
        let range: Range<Int>
        switch ByteRange.parse(request.headers[.range], size: size) {
        case .whole:
            status = .ok
            range = 0..<size
        case .partial(let bytes):
            status = .partialContent
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
        return Response(status: status, headers: headers, body: Self.body(content, range: range))
    }

    /// The bytes of `range`: one buffer when small, else generated while streaming.
    static func body(_ content: RecordingContent, range: Range<Int>) -> ResponseBody {
        guard range.count > streamingThreshold else {
            return ResponseBody(byteBuffer: buffer(content, range: range))
        }
        return ResponseBody(contentLength: range.count) { writer in
            var position = range.lowerBound
            while position < range.upperBound {
                let end = min(range.upperBound, position + chunkSize)
                try await writer.write(buffer(content, range: position..<end))
                position = end
            }
            try await writer.finish(nil)
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
