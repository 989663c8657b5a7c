import ArgumentParser

/// `quofs`: mount a Quo workspace's call recordings as a read-only filesystem.
@main
struct Quofs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mount a Quo (formerly OpenPhone) workspace's call recordings as a read-only filesystem.",
        discussion: """
            Layout: <mount>/<workspace number>/<participants>/<call>/<segment or voicemail>, e.g.
              /mnt/calls/+15550100001/+15550109001/2025-01-12T09-14-33Z_AC…/2025-01-12T09-14-35Z.mp3
            (participants: the call's other parties, sorted, joined with `,`; calls on no
            workspace number under <mount>/_unassigned/). Beside the audio: <segment>.vtt
            (subtitles), transcript.txt, summary.md, call.json, voicemail.<ext> and
            voicemail.txt; ids and names as extended attributes (getfattr -d).

            The API key is read from QUO_API_KEY or --api-key-file, never from the command line.
            Try it without a key: quofs mount --demo /tmp/calls
            """,
        subcommands: [MountCommand.self, UnmountCommand.self, CatalogCommand.self, DemoServerCommand.self]
    )
}

/// A failure to report to the user as one clear line.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
