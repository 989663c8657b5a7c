// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quofs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quofs", targets: ["quofs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // C shim over libfuse3's low-level API (macros Swift cannot import, FUSE_USE_VERSION).
        .systemLibrary(
            name: "CFUSE",
            pkgConfig: "fuse3",
            providers: [.apt(["libfuse3-dev"])]
        ),
        // glibc malloc tuning (<malloc.h> is not in Swift's Glibc module).
        .target(name: "CMalloc"),
        // Swift binding of the libfuse3 low-level API. Knows nothing of Quo.
        .target(
            name: "FUSE",
            dependencies: [
                "CFUSE",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // REST client for the Quo (OpenPhone) API. Knows nothing of FUSE.
        .target(
            name: "QuoAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The filesystem: namespace, naming, attributes, read path, caches.
        .target(
            name: "QuoFS",
            dependencies: [
                "FUSE",
                "QuoAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The catalog: what quofs learned of a workspace, kept across mounts in SQLite
        // (GRDB). Behind QuoFS's `ListingStore`; knows nothing of FUSE or the API client.
        .target(
            name: "QuoCatalog",
            dependencies: [
                "QuoFS",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A fake Quo API and recording host over real HTTP: tests, benchmarks, --demo.
        .target(
            name: "QuoMock",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command: mount, unmount, options.
        // mount(8)'s helper arguments and `-o` options → `quofs mount` arguments.
        .target(name: "MountHelper"),
        .executableTarget(
            name: "quofs",
            dependencies: [
                "CMalloc",
                "MountHelper",
                "FUSE",
                "QuoAPI",
                "QuoCatalog",
                "QuoFS",
                "QuoMock",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BuildInfo"]
        ),
        // Writes the version and commit into quofs before each build (`quofs --version`).
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .testTarget(name: "QuoAPITests", dependencies: [
            "QuoAPI", "QuoMock",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "QuoFSTests", dependencies: [
            "QuoFS", "QuoAPI", "QuoMock", "FUSE",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "QuoCatalogTests", dependencies: [
            "QuoCatalog", "QuoFS", "QuoAPI",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "QuoMockTests", dependencies: [
            "QuoMock",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "MountHelperTests", dependencies: ["MountHelper"]),
        .testTarget(name: "MountTests", dependencies: ["QuoMock", "MountHelper"]),
    ]
)
