import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What the recording host says a recording is: its exact size and version.
struct RemoteObject: Sendable, Equatable {
    var size: UInt64
    /// The `ETag`, when the host sends one; used to refuse mixing two versions.
    var etag: String?

    /// Identifies the bytes: the ETag, or the size when there is none.
    var version: String { etag ?? "size:\(size)" }
}

/// Why a request to the recording host failed.
enum RecordingHostError: Error, CustomStringConvertible {
    /// 401, 403, 404 or 410: the (signed) URL no longer works; a fresh one may.
    case expired(status: Int)
    /// 5xx, 429, a connection failure or a timeout: retrying may help.
    case unavailable(String)
    /// The answer cannot be right for the request (wrong range, length or version):
    /// retrying would not help, and the bytes must not be served.
    case invalid(String)

    var description: String {
        switch self {
        case .expired(let status): "recording URL answered HTTP \(status) (expired?)"
        case .unavailable(let reason): "recording host unavailable: \(reason)"
        case .invalid(let reason): "recording host sent an invalid answer: \(reason)"
        }
    }
}

/// HTTP range requests against recording URLs. Every answer is checked: status, the
/// `Content-Range` against the range asked for, the body length and the version, so a
/// wrong answer becomes an error, never wrong bytes. Recording URLs point at storage
/// outside the API host: no API key is ever sent here.
struct RecordingHost: Sendable {
    let httpClient: HTTPClient
    let timeout: TimeAmount
    let policy: URLPolicy
    /// Body bytes received and requests sent (shared by every copy of this host).
    let counters = RecordingHostCounters()
    /// Redirects followed per request (each checked against ``policy``).
    static let maxRedirects = 5

    /// The size and version of the recording at `url`, and its first `length` bytes (all
    /// of it if shorter; none for a 1-byte probe), from one ranged GET (signed storage
    /// URLs are often valid for GET only, so no HEAD): a readahead that does not know the size yet
    /// learns it from the same request that brings the bytes, so a small file costs one
    /// request instead of a probe and a read. The answer is checked like a read's: 206,
    /// a `Content-Range` from 0 of exactly the bytes expected, and that many bytes.
    func probe(url: String, readingUpTo length: UInt64) async throws -> (object: RemoteObject, head: [UInt8]) {
        precondition(length > 0)
        let response = try await send(url: url, range: "bytes=0-\(length - 1)")
        let etag = response.headers.first(name: "etag")
        switch response.status.code {
        case 206:
            guard let range = ContentRange(response.headers.first(name: "content-range")),
                  let total = range.total, range.first == 0, let last = range.last,
                  last == min(length, total) - 1
            else {
                // As for reads: perhaps a passing fault, worth another try.
                _ = try? await collect(response.body, upTo: Int(length))
                throw RecordingHostError.unavailable("missing or wrong Content-Range on a size probe")
            }
            let head = try await collect(response.body, upTo: Int(last + 1))
            guard head.count == Int(last + 1) else {
                throw RecordingHostError.unavailable("size probe body ended early: \(head.count) of \(last + 1) bytes")
            }
            return (RemoteObject(size: total, etag: etag), length == 1 ? [] : head)
        case 416:
            // Only an empty file cannot satisfy a range from byte 0.
            _ = try await collect(response.body, upTo: 1 << 16)
            guard let range = ContentRange(response.headers.first(name: "content-range")), range.total == 0 else {
                throw RecordingHostError.invalid("HTTP 416 for bytes=0-\(length - 1)")
            }
            return (RemoteObject(size: 0, etag: etag), [])
        case 200:
            throw RecordingHostError.invalid("the host ignores Range requests (HTTP 200 for bytes=0-\(length - 1))")
        default:
            throw try await failure(response)
        }
    }

    /// Streams `range` of the recording described by `object` into `sink`, following
    /// redirects (each target checked against the URL policy). The response head must
    /// check out: status 206, a `Content-Range` of exactly that range, the same total size
    /// and the same `ETag`; the body must be exactly `range.count` bytes. Returns once the
    /// sink has had every byte; on any failure the sink may have had some of them.
    func streamRange(url: String, range: Range<UInt64>, object: RemoteObject, into sink: some RangeSink) async throws {
        precondition(!range.isEmpty)
        try await followingRedirects(from: url) { (current: String) -> Hop<Void> in
            let request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(url: current, method: .GET, headers: [
                    "Range": "bytes=\(range.lowerBound)-\(range.upperBound - 1)", "User-Agent": "quofs",
                ])
            } catch {
                throw RecordingHostError.invalid("unusable recording URL: \(error)")
            }
            counters.requests.add()
            let task = httpClient.execute(request: request, delegate: RangeResponseDelegate(range: range, object: object, sink: sink, counters: counters))
            do {
                let outcome = try await withTaskCancellationHandler {
                    try await task.get()
                } onCancel: {
                    task.cancel()
                }
                switch outcome {
                case .complete: return .done(())
                case .redirect(let location): return .redirect(location)
                }
            } catch let error as RecordingHostError {
                throw error
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw RecordingHostError.unavailable("\(error)")
            }
        }
    }

    /// One hop of a request: its result, or where the host redirected it.
    private enum Hop<Result> {
        case done(Result)
        case redirect(String)
    }

    /// Runs `send` on `url`, then on each redirect target in turn: the HTTP client is set
    /// not to follow redirects, so every target is checked against the URL policy here,
    /// before any connection to it. No `Authorization` header is ever sent to a recording
    /// host: recording URLs carry their own access.
    private func followingRedirects<Result>(
        from url: String, _ send: (String) async throws -> Hop<Result>
    ) async throws -> Result {
        var current = url
        for _ in 0...Self.maxRedirects {
            if let problem = policy.problem(with: current) {
                throw RecordingHostError.invalid("refusing recording URL: \(problem)")
            }
            switch try await send(current) {
            case .done(let result):
                return result
            case .redirect(let location):
                guard let target = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    throw RecordingHostError.invalid("redirect to an unusable Location")
                }
                current = target
            }
        }
        throw RecordingHostError.invalid("more than \(Self.maxRedirects) redirects")
    }

    static let redirectStatuses: Set<UInt> = [301, 302, 303, 307, 308]

    /// What is wrong with the head of an answer to a GET of `range`, if anything.
    static func problem(status: Int, headers: HTTPHeaders, range: Range<UInt64>, object: RemoteObject) -> RecordingHostError? {
        guard status == 206 else { return failure(status: status) }
        guard let contentRange = ContentRange(headers.first(name: "content-range")),
              contentRange.first == range.lowerBound, contentRange.last == range.upperBound - 1
        else {
            // Not bytes to serve, but perhaps a passing fault (a confused proxy or
            // server): worth another try.
            return .unavailable("wrong Content-Range \(headers.first(name: "content-range") ?? "none") for \(range)")
        }
        if let total = contentRange.total, total != object.size {
            return .invalid("recording size changed from \(object.size) to \(total)")
        }
        if let expected = object.etag, let etag = headers.first(name: "etag"), etag != expected {
            return .invalid("recording changed (ETag \(expected) → \(etag))")
        }
        return nil
    }

    /// The error an unsuccessful status means.
    static func failure(status: Int) -> RecordingHostError {
        switch status {
        case 401, 403, 404, 410: .expired(status: status)
        case 429, 500...: .unavailable("HTTP \(status)")
        default: .invalid("HTTP \(status)")
        }
    }

    /// Sends a ranged GET through ``followingRedirects(from:_:)`` (a redirect's own body
    /// is drained, so its connection can be reused).
    private func send(url: String, range: String) async throws -> HTTPClientResponse {
        try await followingRedirects(from: url) { current in
            var request = HTTPClientRequest(url: current)
            request.method = .GET
            request.headers.add(name: "Range", value: range)
            request.headers.add(name: "User-Agent", value: "quofs")
            let response: HTTPClientResponse
            counters.requests.add()
            do {
                response = try await httpClient.execute(request, timeout: timeout)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw RecordingHostError.unavailable("\(error)")
            }
            guard Self.redirectStatuses.contains(response.status.code) else { return .done(response) }
            _ = try? await collect(response.body, upTo: 1 << 16)
            guard let location = response.headers.first(name: "location") else {
                throw RecordingHostError.invalid("HTTP \(response.status.code) without a Location")
            }
            return .redirect(location)
        }
    }

    private func collect(_ body: HTTPClientResponse.Body, upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(limit)
        do {
            for try await chunk in body {
                guard bytes.count + chunk.readableBytes <= limit else {
                    throw RecordingHostError.invalid("body longer than the \(limit) bytes asked for")
                }
                bytes.append(contentsOf: chunk.readableBytesView)
                counters.bytesReceived.add(chunk.readableBytes)
            }
        } catch let error as RecordingHostError {
            throw error
        } catch {
            throw RecordingHostError.unavailable("body interrupted: \(error)")
        }
        return bytes
    }

    private func failure(_ response: HTTPClientResponse) async throws -> RecordingHostError {
        _ = try? await collect(response.body, upTo: 1 << 16)
        return Self.failure(status: Int(response.status.code))
    }
}

/// A parsed `Content-Range: bytes first-last/total` (`total` may be `*`), or
/// `bytes */total`.
struct ContentRange: Equatable {
    var first: UInt64?
    var last: UInt64?
    var total: UInt64?

    init?(_ header: String?) {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst(6)
        let parts = spec.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        total = parts[1] == "*" ? nil : UInt64(parts[1])
        if parts[1] != "*" && total == nil { return nil }
        if parts[0] == "*" {
            first = nil
            last = nil
        } else {
            let bounds = parts[0].split(separator: "-", maxSplits: 1)
            guard bounds.count == 2, let first = UInt64(bounds[0]), let last = UInt64(bounds[1]), first <= last else {
                return nil
            }
            self.first = first
            self.last = last
        }
    }
}
