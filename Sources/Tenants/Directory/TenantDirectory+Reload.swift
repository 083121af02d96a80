import Backends
import Foundation
import Logging
import SCIM
import Synchronization

extension TenantDirectory {
    /// Loads and validates the whole configuration directory and applies what changed; returns the
    /// problems found, one line each (empty when everything is valid).
    ///
    /// A tenant whose file (or mapping, password or backend) is broken keeps its last good
    /// configuration; other tenants are unaffected. A removed file removes the tenant and its
    /// tokens. A tenant whose backend inputs are unchanged keeps its backend instance; replaced
    /// and removed backends are shut down.
    @discardableResult
    public func reload() async -> [String] {
        await reloads.enqueue { [self] in await performReload() }.value
    }

    /// Validates everything as ``reload()`` would, without changing what is served: builds every
    /// tenant's backend fresh, asks it to ``Backend/verify(connect:)``, and shuts it down.
    public func loadProblemsOnly(connect: Bool) async -> [String] {
        let assembly = await assemble(from: DirectoryState(), connect: connect)
        for backend in assembly.state.uniqueBackends() {
            await backend.shutdown()
        }
        return assembly.problems
    }

    /// Shuts every backend down and forgets every tenant (the service's last act).
    func shutdownAll() async {
        let retired = state.withLock { state -> [any Backend] in
            let backends = state.uniqueBackends()
            state = DirectoryState()
            return backends
        }
        for backend in retired {
            await backend.shutdown()
        }
    }

    private func performReload() async -> [String] {
        let fingerprint = DirectoryFingerprint.take(of: files.paths)
        let current = state.withLock { $0 }
        var assembly = await assemble(from: current, connect: false)
        assembly.state.fingerprint = fingerprint
        assembly.state.hasLoaded = true
        let next = assembly.state
        let kept = Set(next.entries.values.map(\.generation))
        let retired = current.entries.values.filter { !kept.contains($0.generation) }
        state.withLock { $0 = next }

        for id in Set(current.entries.keys).subtracting(next.entries.keys).sorted() {
            logger.info("tenant removed", metadata: ["tenant": "\(id)"])
        }
        for problem in assembly.problems {
            logger.error("configuration problem", metadata: ["problem": "\(problem)"])
        }
        // Requests that started on a retired backend finish on it (up to a grace period); then it
        // closes. The reload itself does not wait: new requests already see the next state.
        let drainTimeout = retiredBackendGrace
        for generation in Set(retired.map(\.generation)) {
            let entries = retired.filter { $0.generation == generation }
            guard let backend = entries.first?.tenant.backend else { continue }
            let usages = entries.map(\.tenant.usage)
            guard usages.contains(where: { $0.inFlight > 0 }) else {
                await backend.shutdown()
                continue
            }
            Task {
                for usage in usages {
                    await usage.drained(timeout: drainTimeout)
                }
                await backend.shutdown()
            }
        }
        return assembly.problems
    }

    /// Builds the next state from `current`: reuses unchanged backends, builds changed ones, keeps
    /// the last good entry of a broken tenant. Backends built here and then discarded are shut down.
    func assemble(from current: DirectoryState, connect: Bool) async -> Assembly {
        var next = DirectoryState()
        next.nextGeneration = current.nextGeneration
        next.fingerprint = current.fingerprint
        next.hasLoaded = current.hasLoaded
        var problems: [String] = []

        let listing: (ids: [String], problems: [ConfigurationError])
        do {
            listing = try files.tenantIDs()
        } catch {
            // An unreadable directory changes nothing: every tenant keeps its configuration.
            return Assembly(state: current, problems: [error.description])
        }
        problems += listing.problems.map(\.description)

        var mappings: [String: Result<LoadedMapping, ConfigurationError>] = [:]
        for id in listing.ids {
            let previous = current.entries[id]
            let source: TenantSource
            do {
                source = try files.source(id: id, knownKinds: registry.kinds, mappings: &mappings)
            } catch {
                problems.append(error.description)
                next.entries[id] = previous
                continue
            }
            if let previous, previous.key == source.key, !connect {
                var entry = previous
                entry.tenant = Tenant(configuration: source.configuration, backend: previous.tenant.backend)
                next.entries[id] = entry
                continue
            }
            let display = files.paths.display("\(id).yaml")
            let backend: any Backend
            do {
                backend = try registry.makeBackend(source.backend)
            } catch {
                problems.append(ConfigurationError(file: display, key: "backend", message: "\(error)").description)
                next.entries[id] = previous
                continue
            }
            let verification = await backend.verify(connect: connect)
            if connect {
                problems += verification.filter(VerificationNote.isNote).map {
                    ConfigurationError(file: display, message: $0).description
                }
            }
            let backendProblems = verification.filter { !VerificationNote.isNote($0) }
            if !backendProblems.isEmpty {
                problems += backendProblems.map { ConfigurationError(file: display, message: $0).description }
                if !connect {
                    await backend.shutdown()
                    next.entries[id] = previous
                    continue
                }
            }
            if previous != nil {
                logger.info("tenant reconfigured", metadata: ["tenant": "\(id)"])
            } else if current.hasLoaded {
                logger.info("tenant added", metadata: ["tenant": "\(id)"])
            }
            next.entries[id] = TenantEntry(
                tenant: Tenant(configuration: source.configuration, backend: backend),
                key: source.key,
                generation: next.nextGeneration
            )
            next.nextGeneration += 1
        }

        for id in next.entries.keys {
            do {
                next.tokens[id] = try files.tokens(.tenant(id))
            } catch {
                problems.append(error.description)
                next.tokens[id] = current.tokens[id] ?? []
            }
        }
        next.rebuildTokenIndex()
        problems += loadCredentials(into: &next, current: current)

        do {
            next.adminRecords = try files.tokens(.admin)
        } catch {
            problems.append(error.description)
            next.adminRecords = current.adminRecords
        }
        next.adminTokens = next.adminRecords.compactMap { record in
            guard record.revoked == nil, let digest = TokenSecret.digestBytes(fromHex: record.sha256) else {
                return nil
            }
            return AdminToken(digest: digest, record: record)
        }
        let variable = Self.adminTokenEnvironmentVariable
        if let value = files.environment[variable] {
            let digests = value.split(whereSeparator: { $0 == "," || $0.isWhitespace })
            for text in digests {
                if let digest = TokenSecret.digestBytes(fromHex: String(text)) {
                    next.adminTokens.append(AdminToken(digest: digest, record: nil))
                } else {
                    problems.append("\(variable): expected the SHA-256 of a token as 64 hexadecimal digits")
                }
            }
        }
        return Assembly(state: next, problems: problems)
    }
}

/// The result of assembling a state: the state and the problems found.
struct Assembly: Sendable {
    var state: DirectoryState
    var problems: [String]
}

extension DirectoryState {
    /// Each backend once (entries never share one today, but generations say so if they ever do).
    func uniqueBackends() -> [any Backend] {
        var seen = Set<UInt64>()
        return entries.values.sorted { $0.tenant.id < $1.tenant.id }.compactMap { entry in
            seen.insert(entry.generation).inserted ? entry.tenant.backend : nil
        }
    }
}

/// Runs reloads one after another, in the order they were asked for.
actor ReloadQueue {
    private var tail: Task<[String], Never>?

    func enqueue(_ operation: @escaping @Sendable () async -> [String]) -> Task<[String], Never> {
        let previous = tail
        let task = Task {
            _ = await previous?.value
            return await operation()
        }
        tail = task
        return task
    }
}
