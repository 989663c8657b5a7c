/// `{ "data": [...] }`, with the pagination fields of paginated endpoints.
struct ListResponse<Element: Decodable & Sendable>: Decodable, Sendable {
    var data: [Element]
    var nextPageToken: String?
    var totalItems: Int?
}

/// `{ "data": {...} }`
struct ItemResponse<Element: Decodable & Sendable>: Decodable, Sendable {
    var data: Element
}

/// The documented error body: `{message, code, status, docs, title, trace?, errors?}`.
struct ErrorResponse: Decodable, Sendable {
    struct FieldError: Decodable, Sendable {
        var path: String?
        var message: String?
    }

    var message: String?
    var code: String?
    var title: String?
    var errors: [FieldError]?

    /// The message to show a user: `message`, then each field error.
    var userMessage: String? {
        var parts: [String] = []
        if let message, !message.isEmpty { parts.append(message) }
        for error in errors ?? [] {
            if let message = error.message {
                parts.append(error.path.map { "\($0): \(message)" } ?? message)
            }
        }
        return parts.isEmpty ? title : parts.joined(separator: "; ")
    }
}
