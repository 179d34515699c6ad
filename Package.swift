// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SecretomeRecommender",
    products: [
        .library(name: "EvidenceModel", targets: ["EvidenceModel"]),
        .library(name: "RuleEngine", targets: ["RuleEngine"]),
        .executable(name: "recommend", targets: ["recommend"]),
    ],
    targets: [
        .target(name: "EvidenceModel", swiftSettings: strictSettings),
        .target(name: "RuleEngine", dependencies: ["EvidenceModel"], swiftSettings: strictSettings),
        .executableTarget(
            name: "recommend", dependencies: ["RuleEngine", "EvidenceModel"], swiftSettings: strictSettings),
        // The benchmark and its synthetic knowledge-base generator: `swift run -c release recommend-bench`.
        .executableTarget(
            name: "recommend-bench", dependencies: ["RuleEngine", "EvidenceModel"], swiftSettings: strictSettings),
        .testTarget(
            name: "RuleEngineTests",
            dependencies: ["RuleEngine", "EvidenceModel", "recommend"],
            exclude: ["Golden"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)
