import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` (the version from the `VERSION` file and the git commit the
/// build is from) before every build of the target, for `quofs --version`.
///
/// A prebuild command, run with the system's shell: SwiftPM has no other way to hand a
/// build a value from outside its sources, and the script rewrites the file only when
/// the commit changed, so an unchanged tree rebuilds nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        return [
            .prebuildCommand(
                displayName: "Writing quofs build info",
                executable: URL(filePath: "/bin/sh"),
                arguments: [
                    context.package.directoryURL.appending(path: "scripts/build-info.sh").path(),
                    context.package.directoryURL.path(),
                    output.appending(path: "BuildInfo.swift").path(),
                ],
                outputFilesDirectory: output)
        ]
    }
}
