/// A call's summary (``MockCall/summary``): served inline by the 2026-03-30 surface
/// (`include=summary`, every field) and by `GET /v1/call-summaries/{callId}` (no `type`
/// or `title`).
public struct MockSummary: Sendable, Equatable {
    /// Where it stands; ``MockArtifactStatus/planGated`` answers 403 on v1 and is written
    /// `absent` (every other field null) inline.
    public var status: MockArtifactStatus
    /// `human`, `agent`, or nil.
    public var type: String?
    /// The agent summary's title, or nil (human summaries have none).
    public var title: String?
    /// The summary's points, or nil.
    public var summary: [String]?
    /// Next steps (human summaries), or nil.
    public var nextSteps: [String]?
    /// Jobs the agent ran (agent summaries), or nil.
    public var jobs: [MockSummaryJob]?

    /// Creates a summary.
    public init(
        status: MockArtifactStatus = .completed,
        type: String? = nil,
        title: String? = nil,
        summary: [String]? = nil,
        nextSteps: [String]? = nil,
        jobs: [MockSummaryJob]? = nil
    ) {
        self.status = status
        self.type = type
        self.title = title
        self.summary = summary
        self.nextSteps = nextSteps
        self.jobs = jobs
    }

    /// A completed `human` summary.
    public static func human(_ summary: [String], nextSteps: [String]) -> MockSummary {
        MockSummary(type: "human", summary: summary, nextSteps: nextSteps)
    }

    /// A completed `agent` summary.
    public static func agent(title: String, summary: [String]? = nil, jobs: [MockSummaryJob]) -> MockSummary {
        MockSummary(type: "agent", title: title, summary: summary, jobs: jobs)
    }

    /// A summary the workspace's plan does not include.
    public static let planGated = MockSummary(status: .planGated)
}

/// An agent job's outcome in a summary: `{icon, name, result: {data: [{name, value}]}}`.
public struct MockSummaryJob: Sendable, Equatable {
    /// The job's icon, or nil.
    public var icon: String?
    /// The job's name.
    public var name: String
    /// The fields of its result, in order.
    public var results: [MockSummaryField]

    /// Creates a job.
    public init(icon: String? = nil, name: String, results: [MockSummaryField]) {
        self.icon = icon
        self.name = name
        self.results = results
    }
}

/// One `{name, value}` of a job's result.
public struct MockSummaryField: Sendable, Equatable {
    /// The field's name.
    public var name: String
    /// Its value.
    public var value: MockSummaryValue

    /// Creates a field.
    public init(name: String, value: MockSummaryValue) {
        self.name = name
        self.value = value
    }
}

/// A job result's value: a string, a number or a boolean.
public enum MockSummaryValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    /// A JSON string.
    case string(String)
    /// A JSON integer.
    case int(Int)
    /// A JSON number with a fraction.
    case double(Double)
    /// A JSON boolean.
    case bool(Bool)

    /// `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `.int(value)`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `.double(value)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `.bool(value)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
