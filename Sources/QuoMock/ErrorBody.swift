import Hummingbird

/// The Quo API's error body:
/// `{message, code, status, docs, title, errors?[{path, message, value, schema:{type}}]}`.
struct ErrorBody: Sendable {
    /// One failed validation, listed in `errors` of a 400.
    struct Issue: Sendable {
        /// JSON-pointer-like location, e.g. `/maxResults`.
        var path: String
        /// What is wrong.
        var message: String
        /// The offending value; nil leaves `value` out (a missing parameter).
        var value: JSON?
        /// The expected schema type, e.g. `number`, `string`, `array`.
        var schemaType: String
    }

    var message: String
    var code: String
    var status: Int
    var title: String
    var errors: [Issue]?

    static let docs = "https://openphone.com/docs"

    /// 400 Bad Request, code `0900400`, with the validation issues.
    static func badRequest(_ message: String, errors: [Issue]) -> ErrorBody {
        ErrorBody(message: message, code: "0900400", status: 400, title: "Bad Request", errors: errors)
    }

    /// 400 for one parameter.
    static func badParameter(_ name: String, _ message: String, value: JSON?, type: String) -> ErrorBody {
        badRequest(
            "Invalid parameter \(name): \(message)",
            errors: [Issue(path: "/\(name)", message: message, value: value, schemaType: type)]
        )
    }

    /// 401 Unauthorized, code `0900401`.
    static let unauthorized = ErrorBody(
        message: "Missing or invalid API key: send it in the Authorization header",
        code: "0900401", status: 401, title: "Unauthorized"
    )

    /// 403 Forbidden with `code`, e.g. `0600403` for a transcript the workspace's plan
    /// does not include.
    static func forbidden(_ message: String, code: String) -> ErrorBody {
        ErrorBody(message: message, code: code, status: 403, title: "Forbidden")
    }

    /// 404 Not Found, code `0900404`.
    static func notFound(_ message: String) -> ErrorBody {
        ErrorBody(message: message, code: "0900404", status: 404, title: "Not Found")
    }

    /// 429 Too Many Requests, code `0900429`.
    static let tooManyRequests = ErrorBody(message: "Too many requests", code: "0900429", status: 429, title: "Too Many Requests")

    /// 500, code `0901500`.
    static func unknown(_ message: String) -> ErrorBody {
        ErrorBody(message: message, code: "0901500", status: 500, title: "Unknown")
    }

    /// Another HTTP error status turned into the same shape.
    static func other(status: HTTPResponse.Status) -> ErrorBody {
        if status.code == 404 { return notFound("Not found") }
        if status.code >= 500 { return unknown(status.reasonPhrase) }
        return ErrorBody(message: status.reasonPhrase, code: "0900\(status.code)", status: status.code, title: status.reasonPhrase)
    }

    var json: JSON {
        var members: [(String, JSON)] = [
            ("message", .string(message)),
            ("code", .string(code)),
            ("status", .int(status)),
            ("docs", .string(Self.docs)),
            ("title", .string(title)),
        ]
        if let errors {
            members.append(
                (
                    "errors",
                    .array(
                        errors.map { issue in
                            var fields: [(String, JSON)] = [("path", .string(issue.path)), ("message", .string(issue.message))]
                            if let value = issue.value { fields.append(("value", value)) }
                            fields.append(("schema", ["type": .string(issue.schemaType)]))
                            return .object(fields)
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
