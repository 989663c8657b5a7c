import Hummingbird

/// The 2026-03-30 surface's error body:
/// `{title, message, docs, trace, errors?[{path, message, value, schema}]}` — no `code`,
/// no `status` (the HTTP status says it).
struct DatedErrorBody: Sendable {
    /// One failed validation, listed in `errors` of a 400.
    struct Issue: Sendable {
        /// Where: `/query/limit`, `/callId`, …
        var path: String
        /// What is wrong, e.g. `must be <= 50`.
        var message: String
        /// The offending value (an integer when it parses as one).
        var value: JSON
        /// The expected schema, e.g. `{"type":"integer"}`.
        var schema: JSON
    }

    var status: Int
    var title: String
    var message: String
    var errors: [Issue]?

    static let docs = "https://quo.com/docs"

    /// 400 for a missing `Quo-Api-Version` header or an unsupported value.
    static func unsupportedVersion(supported: [String]) -> DatedErrorBody {
        DatedErrorBody(
            status: 400, title: "Bad Request",
            message: "Unsupported or missing Quo-Api-Version header. Supported versions: \(supported.joined(separator: ", "))"
        )
    }

    /// 400 for one invalid query parameter (`path` `/query/<name>`).
    static func badQuery(_ name: String, _ message: String, value: String, schema: JSON) -> DatedErrorBody {
        DatedErrorBody(
            status: 400, title: "Bad Request", message: "Validation failed for 1 field.",
            errors: [Issue(path: "/query/\(name)", message: message, value: Self.value(value), schema: schema)]
        )
    }

    /// 400 for a call id not matching `^AC(.*)$`.
    static func badCallId(_ id: String) -> DatedErrorBody {
        DatedErrorBody(
            status: 400, title: "Bad Request", message: "The input was invalid",
            errors: [
                Issue(
                    path: "/callId", message: "Expected string to match '^AC(.*)$'", value: .string(id),
                    schema: ["type": "TemplateLiteral", "pattern": "^AC(.*)$"]
                )
            ]
        )
    }

    /// 401.
    static let unauthorized = DatedErrorBody(status: 401, title: "Unauthorized", message: "Unauthorized")

    /// 403 with `message`, e.g. `Transcripts require Business or Scale`.
    static func forbidden(_ message: String) -> DatedErrorBody {
        DatedErrorBody(status: 403, title: "Forbidden", message: message)
    }

    /// 404 with `message`, e.g. `Call not found`.
    static func notFound(_ message: String) -> DatedErrorBody {
        DatedErrorBody(status: 404, title: "Not Found", message: message)
    }

    /// 429.
    static let tooManyRequests = DatedErrorBody(status: 429, title: "Too Many Requests", message: "Too many requests")

    /// 500.
    static let unknown = DatedErrorBody(status: 500, title: "Unknown", message: "We have encountered an unknown error")

    /// Another HTTP error status turned into the same shape.
    static func other(status: HTTPResponse.Status) -> DatedErrorBody {
        if status.code == 404 { return notFound("Not found") }
        if status.code >= 500 { return unknown }
        return DatedErrorBody(status: status.code, title: status.reasonPhrase, message: status.reasonPhrase)
    }

    /// A query value as written in `errors[].value`: an integer when it is one.
    static func value(_ text: String) -> JSON {
        Int(text).map(JSON.int) ?? .string(text)
    }

    /// The body, with a fresh `trace`.
    var json: JSON {
        var members: [(String, JSON)] = [
            ("title", .string(title)),
            ("message", .string(message)),
            ("docs", .string(Self.docs)),
            ("trace", .string(String(UInt64.random(in: 1_000_000_000_000_000_000...9_999_999_999_999_999_999)))),
        ]
        if let errors {
            members.append(
                (
                    "errors",
                    .array(
                        errors.map { issue in
                            [
                                "path": .string(issue.path), "message": .string(issue.message),
                                "value": issue.value, "schema": issue.schema,
                            ]
                        }
                    )
                )
            )
        }
        return .object(members)
    }

    /// The response carrying this body with its status.
    func response(headers: HTTPFields = [:]) -> Response {
        .json(json, status: HTTPResponse.Status(code: status), headers: headers)
    }
}

extension DatedErrorBody: Error {}
