import QuoAPI

/// A call's summary as Markdown:
///
/// ```
/// # Pricing enquiry
///
/// ## Summary
///
/// - You talked about the weather.
///
/// ## Next steps
///
/// - Bring an umbrella.
///
/// ## Lead qualification
///
/// - **Budget**: 5000
/// ```
///
/// Human summaries carry `summary` and `nextSteps`; agent summaries a `title`,
/// `summary` and `jobs` (each a name and `{name, value}` fields). Whatever is present is
/// rendered in that order; each item is put on one line (a line break inside a bullet
/// would end the list item) and blank items, and jobs without a non-blank field, are
/// left out. No Markdown in the values is escaped: they are shown as the API wrote them.
enum SummaryMarkdown {
    /// The file's text (final newline), or nil when there is no summary to show: its
    /// status is not `completed` (or null: v1 omits it for finished ones), or it has no
    /// title, points, next steps or job fields.
    static func render(_ summary: CallSummary) -> String? {
        guard summary.status == nil || summary.status == "completed" else { return nil }
        var sections: [String] = []
        if let title = line(summary.title) {
            sections.append("# \(title)\n")
        }
        if let points = bullets(summary.summary) {
            sections.append("## Summary\n\n" + points)
        }
        if let steps = bullets(summary.nextSteps) {
            sections.append("## Next steps\n\n" + steps)
        }
        for job in summary.jobs {
            var fields = ""
            for field in job.results {
                guard let value = line(field.value) else { continue }
                if let name = line(field.name) {
                    fields += "- **\(name)**: \(value)\n"
                } else {
                    fields += "- \(value)\n"
                }
            }
            guard !fields.isEmpty else { continue }
            sections.append("## \(line(job.name) ?? "Job")\n\n" + fields)
        }
        guard !sections.isEmpty else { return nil }
        return sections.joined(separator: "\n")
    }

    private static func line(_ text: String?) -> String? {
        text.map(ContentText.singleLine).flatMap(ContentText.nonEmpty)
    }

    private static func bullets(_ items: [String]) -> String? {
        let lines = items.compactMap(line).map { "- \($0)\n" }
        return lines.isEmpty ? nil : lines.joined()
    }
}
