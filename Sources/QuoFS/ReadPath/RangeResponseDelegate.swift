import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Receives the body of a ranged GET piece by piece, on the HTTP client's event loop.
protocol RangeSink: Sendable {
    /// The next bytes of the range, in order. Throwing ends the request with that error.
    func receive(_ bytes: ByteBuffer) throws
}

/// How a streamed range request ended (when it did not fail).
enum RangeOutcome: Sendable {
    /// Every byte of the range went to the sink.
    case complete
    /// The host redirected: nothing went to the sink.
    case redirect(location: String)
}

/// The HTTP client's delegate for one streamed range request: checks the response head
/// (``RecordingHost/problem(status:headers:range:object:)``) and the body's length, and
/// hands the body to a ``RangeSink`` on the event loop as it arrives. Unlike the async body sequence, this
/// costs no hop between threads per chunk of the body (two wake-ups per 64 KiB there),
/// which on a loaded machine is much of the cost of a read.
///
/// Every method is called on the request's event loop, one at a time: the mutable state
/// is confined to it (hence `@unchecked Sendable`).
final class RangeResponseDelegate<Sink: RangeSink>: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = RangeOutcome

    let range: Range<UInt64>
    let object: RemoteObject
    let sink: Sink
    /// Where body bytes received are counted, if anywhere.
    let counters: RecordingHostCounters?
    private var redirect: String?
    private var received: UInt64 = 0

    init(range: Range<UInt64>, object: RemoteObject, sink: Sink, counters: RecordingHostCounters? = nil) {
        self.range = range
        self.object = object
        self.sink = sink
        self.counters = counters
    }

    func didReceiveHead(task: HTTPClient.Task<RangeOutcome>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let loop = task.eventLoop
        if RecordingHost.redirectStatuses.contains(head.status.code) {
            guard let location = head.headers.first(name: "location") else {
                return loop.makeFailedFuture(RecordingHostError.invalid("HTTP \(head.status.code) without a Location"))
            }
            redirect = location
            return loop.makeSucceededVoidFuture()
        }
        if let problem = RecordingHost.problem(status: Int(head.status.code), headers: head.headers, range: range, object: object) {
            return loop.makeFailedFuture(problem)
        }
        return loop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<RangeOutcome>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let loop = task.eventLoop
        guard redirect == nil else { return loop.makeSucceededVoidFuture() }
        received += UInt64(buffer.readableBytes)
        counters?.bytesReceived.add(buffer.readableBytes)
        guard received <= UInt64(range.count) else {
            return loop.makeFailedFuture(RecordingHostError.unavailable("body longer than the range asked for"))
        }
        do {
            try sink.receive(buffer)
        } catch {
            return loop.makeFailedFuture(error)
        }
        return loop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<RangeOutcome>) throws -> RangeOutcome {
        if let redirect { return .redirect(location: redirect) }
        guard received == UInt64(range.count) else {
            throw RecordingHostError.unavailable("body ended early: \(received) of \(range.count) bytes")
        }
        return .complete
    }
}
