import ArgumentParser
import Foundation
import MountHelper

#if canImport(Glibc)
import Glibc
#endif

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
        version: "quofs \(BuildInfo.version) (commit \(BuildInfo.commit))",
        subcommands: [MountCommand.self, UnmountCommand.self, StatusCommand.self, CatalogCommand.self, DemoServerCommand.self]
    )

    /// The arguments quofs runs with (argv[0] first): the command line, or what mount(8)'s
    /// helper form became (``MountHelperArguments``). The background daemon is started
    /// with these.
    nonisolated(unsafe) static var arguments = CommandLine.arguments

    /// Runs as `quofs`, or as mount(8)'s helper.
    static func main() {
        do {
            guard let rewritten = try MountHelperArguments.rewrite(CommandLine.arguments) else { return }
            arguments = rewritten
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Glibc.exit(1)
        }
        main(Array(arguments.dropFirst()))
    }
}

/// A failure to report to the user as one clear line.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
