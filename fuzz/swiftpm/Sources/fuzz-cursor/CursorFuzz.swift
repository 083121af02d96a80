// RFC 9865 cursors. Any text sent as `cursor=` decodes or is refused with 400 invalidCursor or
// expiredCursor, without a crash; what decodes is exactly the text this server writes for it. A
// cursor made of the input (tenant, filter, direction, position, issue time) decodes back to itself
// within its timeout, is refused as expired after it, and the same text with any one byte changed is
// refused.
import Foundation
import SCIM

@testable import Gateway

private let now = Date(timeIntervalSince1970: 1_700_000_000)
private let digest = SCIMCursor.queryDigest(kind: .user, filter: nil, ascending: true)

private func refusal(_ error: any Error) -> SCIMError.SCIMType? {
    guard let error = error as? SCIMError, error.status == 400,
        error.scimType == .invalidCursor || error.scimType == .expiredCursor
    else { fatalError("a cursor was refused with something other than a 400 cursor error: \(error)") }
    return error.scimType
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCursor(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: input, as: UTF8.self)
    // Presented as it is.
    do {
        let cursor = try SCIMCursor.decode(text, tenant: "acme", query: digest, now: now)
        if cursor.encoded() != text { fatalError("accepted a cursor in a spelling this server never writes: \(text)") }
    } catch {
        _ = refusal(error)
    }
    // Made from the input: 8 bytes of issue time, 1 of direction and kind, then tenant, filter and
    // position separated by NUL.
    guard input.count >= 11 else { return 0 }
    let issued = input[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    let fields = String(decoding: input[11...], as: UTF8.self).split(
        separator: "\u{0}",
        omittingEmptySubsequences: false
    )
    .map(String.init)
    func field(_ index: Int) -> String { index < fields.count ? fields[index] : "" }
    let kind: ResourceKind = input[8] & 2 == 0 ? .user : .group
    let filter = try? FilterParser.parse(field(1))
    let query = SCIMCursor.queryDigest(kind: kind, filter: filter, ascending: input[8] & 1 == 0)
    let cursor = SCIMCursor(tenant: field(0), query: query, position: field(2), issued: issued)
    let encoded = cursor.encoded()
    guard encoded.utf8.count <= SCIMCursor.maxLength else { return 0 }
    let timeout = SCIMCursor.timeout.components.seconds
    let nowSeconds = Int64(now.timeIntervalSince1970)
    let (age, overflow) = nowSeconds.subtractingReportingOverflow(issued)
    do {
        let decoded = try SCIMCursor.decode(encoded, tenant: cursor.tenant, query: query, now: now)
        if decoded != cursor { fatalError("decoding changed the cursor: \(cursor) → \(decoded)") }
        if overflow || age > timeout { fatalError("accepted a cursor issued at \(issued), now \(nowSeconds)") }
    } catch {
        if refusal(error) != .expiredCursor || !(overflow || age > timeout) {
            fatalError("refused a cursor it issued (\(cursor)): \(error)")
        }
    }
    var changed = Array(encoded.utf8)
    let position = (Int(input[9]) << 8 | Int(input[10])) % changed.count
    changed[position] = input[input.count - 1] == changed[position] ? changed[position] ^ 1 : input[input.count - 1]
    do {
        let accepted = try SCIMCursor.decode(
            String(decoding: changed, as: UTF8.self),
            tenant: cursor.tenant,
            query: query,
            now: now
        )
        fatalError("accepted the cursor with byte \(position) changed: \(encoded) → \(accepted)")
    } catch {
        _ = refusal(error)
    }
    return 0
}

/// `FUZZ_WRITE_SEEDS=DIR fuzz-cursor` writes cursors as the gateway emits them, then exits.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] else { return 0 }
    let filters = [nil, try? FilterParser.parse("userName sw \"a\" and active eq true")]
    for (index, filter) in filters.enumerated() {
        for (position, issued) in [("42", 1_699_999_000), ("1000017", 1_700_000_000), ("7", 1_690_000_000)] {
            let query = SCIMCursor.queryDigest(kind: .user, filter: filter, ascending: true)
            let cursor = SCIMCursor(tenant: "acme", query: query, position: position, issued: Int64(issued))
            FileManager.default.createFile(
                atPath: "\(directory)/seed-\(index)-\(position)",
                contents: Data(cursor.encoded().utf8)
            )
        }
    }
    // The structured form: issue time, flags, change position, then tenant NUL filter NUL position.
    var made: [UInt8] = withUnsafeBytes(of: Int64(1_699_999_000).bigEndian, Array.init) + [0, 0, 7]
    made += Array("acme\u{0}userName eq \"ada\"\u{0}42\u{0}".utf8)
    FileManager.default.createFile(atPath: "\(directory)/seed-structured", contents: Data(made))
    exit(0)
}
