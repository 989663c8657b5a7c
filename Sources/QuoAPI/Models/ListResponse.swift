/// `{ "data": [...] }`, with the pagination fields of either version: v1's
/// `nextPageToken` (and unreliable `totalItems`), 2026-03-30's `nextCursor`.
struct ListResponse<Element: Decodable & Sendable>: Decodable, Sendable {
    var data: [Element]
    var nextPageToken: String?
    var nextCursor: String?
    var totalItems: Int?
}

/// `{ "data": {...} }`
struct ItemResponse<Element: Decodable & Sendable>: Decodable, Sendable {
    var data: Element
}

/// An error body. v1 documents `{message, code, status, docs, title, trace?, errors?}`
/// (and is seen live wrapped as `{"error": {message, key, trace}}`); 2026-03-30 sends
/// `{title, message, docs, trace?, errors?}` without a `code`. All decode here.
struct ErrorResponse: Decodable, Sendable {
    struct FieldError: Decodable, Sendable {
        var path: String?
        var message: String?
    }

    struct Wrapped: Decodable, Sendable {
        var message: String?
    }

    var message: String?
    var code: String?
    var title: String?
    var errors: [FieldError]?
    var error: Wrapped?

    /// The message to show a user: `message`, then each field error.
    var userMessage: String? {
        var parts: [String] = []
        if let message = message ?? error?.message, !message.isEmpty { parts.append(message) }
        for error in errors ?? [] {
            if let message = error.message {
                parts.append(error.path.map { "\($0): \(message)" } ?? message)
            }
        }
        return parts.isEmpty ? title : parts.joined(separator: "; ")
    }

    /// Whether the error is about the `Quo-Api-Version` header.
    var namesVersionHeader: Bool {
        let text = ([message, title] + (errors ?? []).flatMap { [$0.path, $0.message] }).compactMap { $0 }.joined(separator: " ")
        return text.lowercased().contains("quo-api-version")
    }
}
