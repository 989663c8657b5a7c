/// A call's summary: inline on a 2026-03-30 call with `include=summary`, or
/// `GET /v1/call-summaries/{callId}` (v1, no `type` or `title`). Both decode here.
public struct CallSummary: Codable, Sendable, Equatable {
    /// `absent` (never generated), `in-progress`, `completed`, `failed` (kept as text).
    public var status: String?
    /// `human`, `agent`, or nil.
    public var type: String?
    /// Agent summaries only.
    public var title: String?
    public var summary: [String]
    /// Human summaries only.
    public var nextSteps: [String]
    /// Agent summaries only.
    public var jobs: [Job]

    public init(status: String? = nil, type: String? = nil, title: String? = nil, summary: [String] = [],
                nextSteps: [String] = [], jobs: [Job] = []) {
        self.status = status
        self.type = type
        self.title = title
        self.summary = summary
        self.nextSteps = nextSteps
        self.jobs = jobs
    }

    private enum CodingKeys: String, CodingKey { case status, type, title, summary, nextSteps, jobs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        summary = try container.decodeIfPresent([String].self, forKey: .summary) ?? []
        nextSteps = try container.decodeIfPresent([String].self, forKey: .nextSteps) ?? []
        jobs = try container.decodeIfPresent([Job].self, forKey: .jobs) ?? []
    }

    /// Whether it may still change (generation under way).
    public var isPending: Bool { status == "in-progress" }

    /// An agent job's outcome: `{icon, name, result: {data: [{name, value}]}}`.
    public struct Job: Codable, Sendable, Equatable {
        public var icon: String?
        public var name: String?
        /// The result's fields; a value is a string, number or boolean, kept as text.
        public var results: [Field]

        public init(icon: String? = nil, name: String? = nil, results: [Field] = []) {
            self.icon = icon
            self.name = name
            self.results = results
        }

        private enum CodingKeys: String, CodingKey { case icon, name, result, results }
        private struct Result: Decodable { var data: [Field]? }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            icon = try container.decodeIfPresent(String.self, forKey: .icon)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            if let stored = try container.decodeIfPresent([Field].self, forKey: .results) {
                results = stored
            } else {
                results = try container.decodeIfPresent(Result.self, forKey: .result)?.data ?? []
            }
        }

        /// Written flat (`results`), as the catalog reads it back.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(icon, forKey: .icon)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(results, forKey: .results)
        }
    }

    /// One `{name, value}` of a job's result.
    public struct Field: Codable, Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        private enum CodingKeys: String, CodingKey { case name, value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            if let text = try? container.decode(String.self, forKey: .value) {
                value = text
            } else if let flag = try? container.decode(Bool.self, forKey: .value) {
                value = flag ? "true" : "false"
            } else if let whole = try? container.decode(Int.self, forKey: .value) {
                value = String(whole)
            } else if let number = try? container.decode(Double.self, forKey: .value) {
                value = String(number)
            } else {
                value = ""
            }
        }
    }
}
