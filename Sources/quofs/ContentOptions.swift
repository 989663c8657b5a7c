import ArgumentParser
import QuoFS

/// Which of a call's content besides audio a mount (or `catalog warm`) asks the API for.
struct ContentOptions: ParsableArguments {
    @Flag(help: "Don't ask for transcripts (<segment>.vtt, transcript.txt): saves one request per answered call.")
    var noTranscripts = false

    @Flag(help: "Don't ask for summaries (summary.md): saves one request per answered call with --api-version v1 (2026-03-30 sends them with the calls).")
    var noSummaries = false

    var kinds: Set<CallContentKind> {
        var kinds = Set(CallContentKind.allCases)
        if noTranscripts { kinds.remove(.transcripts) }
        if noSummaries { kinds.remove(.summaries) }
        return kinds
    }
}
