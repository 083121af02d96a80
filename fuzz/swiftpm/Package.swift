// swift-tools-version: 6.1
// fuzz/swiftpm: the fuzz targets that need the package's dependencies (Yams, swift-crypto): built by fuzz/run with
// `swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -enable-testing` into
// .build-fuzz/swiftpm, so that every module, the dependencies included, is instrumented. The targets
// use `@testable import` to reach the loader and decoders exactly as the gateway calls them.
import PackageDescription

let package = Package(
    name: "scim-gateway-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "scim-gateway", path: "../..")],
    targets: [
        .executableTarget(
            name: "fuzz-mapping",
            dependencies: [
                .product(name: "Tenants", package: "scim-gateway"),
                .product(name: "Backends", package: "scim-gateway"),
            ]
        ),
        .executableTarget(
            name: "fuzz-token",
            dependencies: [.product(name: "Tenants", package: "scim-gateway")]
        ),
        .executableTarget(
            name: "fuzz-cursor",
            dependencies: [
                .product(name: "Gateway", package: "scim-gateway"),
                .product(name: "Tenants", package: "scim-gateway"),
                .product(name: "SCIM", package: "scim-gateway"),
            ]
        ),
    ]
)
