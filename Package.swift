// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode plus the two upcoming
/// features the house style asks for.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Per-frame code (analytics, synthetic rendering, the evaluation that runs both over thousands
/// of frames) is optimised even in debug builds: unoptimised, the test suite would spend minutes
/// rendering and analysing pixels.
let optimisedInDebug: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// What both executables (`citywatch` and `citywatch-bench`) are built on.
let commandDependencies: [Target.Dependency] = [
    "CityWatchAnalytics",
    "CityWatchDetection",
    "CityWatchEvaluation",
    "CityWatchDomain",
    "CityWatchMedia",
    "CityWatchStore",
    "CityWatchApp",
    "CityWatchCommandLine",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
    .product(name: "Vapor", package: "vapor"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
]

let package = Package(
    name: "citywatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "citywatch", targets: ["citywatch"]),
        .executable(name: "citywatch-bench", targets: ["citywatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/davecom/SwiftGraph.git", from: "4.0.0"),
        // The OpenAPI document of the HTTP API. Its default trait (loading external references
        // with Swift concurrency) only slows the build: the document is built in code.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
    ],
    targets: [
        .target(
            name: "CityWatchDomain",
            swiftSettings: strict
        ),
        .target(
            name: "CityWatchAnalytics",
            dependencies: ["CityWatchDomain"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "CCityWatchDetector",
            // Optimised in debug builds too: the letterbox and decoding run on every detector call.
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-std=c++17"]), .unsafeFlags(["-O2"], .when(configuration: .debug))],
            linkerSettings: [.linkedLibrary("opencv_dnn"), .linkedLibrary("opencv_core")]
        ),
        .target(
            name: "CityWatchDetection",
            dependencies: ["CityWatchAnalytics", "CityWatchDomain", "CCityWatchDetector"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "CityWatchEvaluation",
            dependencies: ["CityWatchAnalytics", "CityWatchDetection", "CityWatchMedia", "CityWatchDomain"],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "CityWatchMedia",
            dependencies: [
                "CityWatchDomain",
                .product(name: "Logging", package: "swift-log"),
                // Counters of restarts and gaps, for whatever backend the process bootstraps.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: "CityWatchStore",
            dependencies: [
                "CityWatchDomain",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CityWatchApp",
            dependencies: [
                "CityWatchDetection",
                "CityWatchAnalytics",
                "CityWatchDomain",
                "CityWatchMedia",
                "CityWatchStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CityWatchAPI",
            dependencies: [
                "CityWatchDomain",
                "CityWatchStore",
                "CityWatchApp",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CityWatchCommandLine",
            dependencies: [
                "CityWatchApp",
                "CityWatchAPI",
                "CityWatchStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "citywatch",
            dependencies: commandDependencies + [
                "CityWatchAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        // The benchmarks of BENCHMARKS.md, kept out of the shipped binary with their baselines' libraries.
        .executableTarget(
            name: "citywatch-bench",
            dependencies: commandDependencies + [
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Latency percentiles (geo, cast-net).
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // Only the cast-net benchmark's baseline for shortest paths.
                .product(name: "SwiftGraph", package: "SwiftGraph"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CityWatchTestSupport",
            dependencies: [
                "CityWatchDomain",
                "CityWatchMedia",
                "CityWatchStore",
                "CityWatchApp",
                "CityWatchAPI",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/CityWatchTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchDomainTests",
            dependencies: [
                "CityWatchDomain",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchAnalyticsTests",
            dependencies: [
                "CityWatchAnalytics", "CityWatchMedia",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchDetectionTests",
            dependencies: ["CityWatchDetection", "CityWatchDomain", "CityWatchAnalytics"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchEvaluationTests",
            dependencies: ["CityWatchEvaluation"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchMediaTests",
            dependencies: [
                "CityWatchMedia", "CityWatchTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchStoreTests",
            dependencies: ["CityWatchStore", "CityWatchTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchAppTests",
            dependencies: [
                "CityWatchApp", "CityWatchTestSupport", "CityWatchEvaluation",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CityWatchAPITests",
            dependencies: [
                "CityWatchAPI", "CityWatchTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: strict
        ),
    ]
)
