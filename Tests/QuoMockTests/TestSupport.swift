import AsyncHTTPClient
import Foundation
import QuoMock

/// A finished HTTP exchange, body collected.
struct Fetched {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body parsed as a JSON object.
    var object: [String: Any] {
        get throws {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw TestFailure("body is not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }
    }

    /// `data` of the body, as an array of objects.
    var dataArray: [[String: Any]] {
        get throws {
            guard let data = try object["data"] as? [[String: Any]] else { throw TestFailure("no data array") }
            return data
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Performs one request with the shared client.
func fetch(
    _ url: String, method: String = "GET", headers: [String: String] = [:], timeoutSeconds: Int64 = 120
) async throws -> Fetched {
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    for (name, value) in headers {
        request.headers.add(name: name, value: value)
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
    let body = try await response.body.collect(upTo: 128 << 20)
    return Fetched(
        status: Int(response.status.code),
        headers: response.headers.map { (name: $0.name, value: $0.value) },
        body: Array(body.readableBytesView)
    )
}

/// Performs an authenticated API request (`path` starts with `/v1`).
func api(_ server: QuoMockServer, _ path: String) async throws -> Fetched {
    try await fetch(server.baseURL + path, headers: ["Authorization": server.options.apiKey])
}

/// Performs an authenticated request on the 2026-03-30 surface (`path` unprefixed), with
/// `Quo-Api-Version: version` (nil: no header).
func dated(_ server: QuoMockServer, _ path: String, version: String? = "2026-03-30") async throws -> Fetched {
    var headers = ["Authorization": server.options.apiKey]
    if let version { headers["Quo-Api-Version"] = version }
    return try await fetch(server.baseURL + path, headers: headers)
}

/// Runs `body` against a fresh demo server (unlimited rate unless `options` say otherwise), then stops it.
func withServer<T>(
    options: MockOptions = MockOptions(requestsPerSecond: nil),
    _ body: (QuoMockServer) async throws -> T
) async throws -> T {
    let server = try await QuoMockServer.start(options: options)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Whether `value` is JSON null.
func isNull(_ value: Any?) -> Bool {
    value is NSNull
}
