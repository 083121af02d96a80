import SCIM
import TestSupport
import Testing

@testable import Backends

@Suite struct ChamiloRESTBackendTests {
    @Test func createReadsBackEveryMappedAttribute() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(
                .user,
                attributes: chamiloUser(
                    "ada",
                    externalID: "ext-1",
                    userType: "Teacher",
                    locale: "fr-FR",
                    phone: "+33 1 23",
                    password: "S3cret!pw"
                )
            )
            let attributes = created.attributes
            #expect(attributes["userName"] == .string("ada"))
            #expect(attributes["name"]?.objectValue?["givenName"] == .string("Ada"))
            #expect(attributes["name"]?.objectValue?["familyName"] == .string("Lovelace"))
            #expect(attributes["emails"]?.arrayValue?.first?.objectValue?["value"] == .string("ada@example.org"))
            #expect(attributes["phoneNumbers"]?.arrayValue?.first?.objectValue?["value"] == .string("+33 1 23"))
            #expect(attributes["externalId"] == .string("ext-1"))
            #expect(attributes["userType"] == .string("Teacher"))
            #expect(attributes["locale"] == .string("fr-FR"))
            #expect(attributes["active"] == .bool(true))

            let stored = try #require(await fixture.state.user(named: "ada"))
            #expect(String(stored.id) == created.id)
            #expect(stored.status == 1)
            #expect(stored.language == "french")
            #expect(stored.phone == "+33 1 23")
            #expect(stored.password == "S3cret!pw")

            let read = try await fixture.backend.get(.user, id: created.id)
            #expect(read == created)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func createWithoutPasswordSendsAStrongRandomOne() async throws {
        try await ChamiloRESTFixture.with { fixture in
            _ = try await fixture.backend.create(.user, attributes: chamiloUser("nopass"))
            let stored = try #require(await fixture.state.user(named: "nopass"))
            #expect(stored.password.count == 24)
            #expect(stored.password.contains { $0.isUppercase } && stored.password.contains { $0.isNumber })
            #expect(stored.status == 5)
        }
    }

    @Test func inactiveCreateIsDeactivatedAfterSaveUser() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("sleepy", active: false))
            #expect(created.attributes["active"] == .bool(false))
            #expect(await fixture.state.user(named: "sleepy")?.active == 0)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func duplicateUserNameIsUniquenessConflict() async throws {
        try await ChamiloRESTFixture.with { fixture in
            _ = try await fixture.backend.create(.user, attributes: chamiloUser("grace"))
            let error = await scimError {
                _ = try await fixture.backend.create(.user, attributes: chamiloUser("GRACE"))
            }
            #expect(error?.status == 409)
            #expect(error?.scimType == .uniqueness)
        }
    }

    @Test func filtersAnswerUserNameExternalIDAndID() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let ada = try await fixture.backend.create(.user, attributes: chamiloUser("ada", externalID: "e-ada"))
            _ = try await fixture.backend.create(
                .user,
                attributes: chamiloUser("bob", given: "Bob", externalID: "e-bob")
            )

            let byName = try await fixture.backend.search(.user, query: eq("userName", "ADA"))
            #expect(byName.totalResults == 1)
            #expect(byName.resources.first?.id == ada.id)

            let byExternal = try await fixture.backend.search(.user, query: eq("externalId", "e-ada"))
            #expect(byExternal.resources.map(\.id) == [ada.id])
            #expect(try await fixture.backend.search(.user, query: eq("externalId", "E-ADA")).totalResults == 0)
            #expect(try await fixture.backend.search(.user, query: eq("externalId", "none")).totalResults == 0)

            let byID = try await fixture.backend.search(.user, query: eq("id", ada.id))
            #expect(byID.resources.map(\.id) == [ada.id])
            #expect(try await fixture.backend.search(.user, query: eq("id", "999")).totalResults == 0)
            #expect(try await fixture.backend.search(.user, query: eq("userName", "nobody")).totalResults == 0)

            let all = try await fixture.backend.search(.user, query: SearchQuery(startIndex: 2, count: 1))
            #expect(all.totalResults == 3)  // the portal's admin, ada and bob
            #expect(all.resources.count == 1)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func otherFiltersAreInvalidFilter() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let filters: [FilterExpression] = [
                .comparison(AttributePath(name: "userName"), .sw, .string("a")),
                .comparison(AttributePath(name: "emails", subAttribute: "value"), .eq, .string("a@b")),
                .present(AttributePath(name: "externalId")),
                .and(
                    .comparison(AttributePath(name: "userName"), .eq, .string("a")),
                    .comparison(AttributePath(name: "id"), .eq, .string("1"))
                ),
            ]
            for filter in filters {
                let error = await scimError {
                    _ = try await fixture.backend.search(.user, query: SearchQuery(filter: filter))
                }
                #expect(error?.scimType == .invalidFilter)
                #expect(error?.detail.contains("userName") == true)
            }
        }
    }

    @Test func replaceAndModifySendOnlyAcceptedFields() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("ada", externalID: "e1"))
            let replaced = try await fixture.backend.replace(
                .user,
                id: created.id,
                attributes: chamiloUser("ada", given: "Augusta", externalID: "e2", userType: "Teacher", locale: "es"),
                ifMatch: created.version
            )
            #expect(replaced.attributes["name"]?.objectValue?["givenName"] == .string("Augusta"))
            #expect(replaced.attributes["externalId"] == .string("e2"))
            #expect(replaced.version != created.version)
            #expect(await fixture.state.user(named: "ada")?.status == 1)
            #expect(await fixture.state.user(named: "ada")?.language == "spanish")

            let modified = try await fixture.backend.modify(.user, id: created.id, ifMatch: nil) { current in
                var attributes = current.attributes
                attributes["active"] = .bool(false)
                return attributes
            }
            #expect(modified.attributes["active"] == .bool(false))
            #expect(await fixture.state.user(named: "ada")?.active == 0)

            let forbidden: Set<String> = ["password", "username_canonical", "locked", "expires_at"]
            for request in await fixture.state.requests("update_user_from_username") {
                #expect(Set(request.names).isDisjoint(with: forbidden))
            }
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func passwordAndUserNameChangesAreRefusedBeforeAnyUpdate() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("ada"))
            let password = await scimError {
                _ = try await fixture.backend.replace(
                    .user,
                    id: created.id,
                    attributes: chamiloUser("ada", password: "N3w!pass"),
                    ifMatch: nil
                )
            }
            #expect(password?.scimType == .invalidValue)
            #expect(password?.detail.contains("cannot change passwords") == true)

            let rename = await scimError {
                _ = try await fixture.backend.modify(.user, id: created.id, ifMatch: nil) { current in
                    var attributes = current.attributes
                    attributes["userName"] = .string("ada2")
                    return attributes
                }
            }
            #expect(rename?.scimType == .invalidValue)
            #expect(await fixture.state.requests("update_user_from_username").isEmpty)
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func staleVersionIsPreconditionFailed() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let created = try await fixture.backend.create(.user, attributes: chamiloUser("ada"))
            let error = await scimError {
                _ = try await fixture.backend.replace(
                    .user,
                    id: created.id,
                    attributes: chamiloUser("ada"),
                    ifMatch: "old"
                )
            }
            #expect(error?.status == 412)
        }
    }

    @Test func deleteDeactivatesOrDeletesByMode() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let kept = try await fixture.backend.create(.user, attributes: chamiloUser("kept"))
            try await fixture.backend.delete(.user, id: kept.id, mode: .deactivate, ifMatch: nil)
            #expect(try await fixture.backend.get(.user, id: kept.id).attributes["active"] == .bool(false))
            #expect(await fixture.state.requests("delete_user").isEmpty)

            let gone = try await fixture.backend.create(.user, attributes: chamiloUser("gone"))
            try await fixture.backend.delete(.user, id: gone.id, mode: .delete, ifMatch: nil)
            #expect(await scimError { _ = try await fixture.backend.get(.user, id: gone.id) }?.status == 404)
            #expect(
                await scimError { try await fixture.backend.delete(.user, id: gone.id, mode: .delete, ifMatch: nil) }?
                    .status == 404
            )
            #expect(await fixture.state.violations.isEmpty)
        }
    }

    @Test func unknownIDIsNotFound() async throws {
        try await ChamiloRESTFixture.with { fixture in
            #expect(await scimError { _ = try await fixture.backend.get(.user, id: "4242") }?.status == 404)
            #expect(await scimError { _ = try await fixture.backend.get(.user, id: "not-a-number") }?.status == 404)
        }
    }

    @Test func capabilitiesAndSchemasSayWhatTheAPIRoundTrips() throws {
        let backend = try ChamiloRESTBackend(
            configuration: BackendConfiguration(
                tenantID: "t",
                kind: "chamilo-rest",
                url: "https://portal.example/main/webservices/api/v2.php",
                username: "admin",
                password: "x",
                mapping: Mapping(
                    name: "chamilo-rest",
                    users: ResourceMapping(table: "user", key: "id", attributes: [:])
                )
            )
        )
        #expect(backend.capabilities.changePassword == false)
        #expect(backend.capabilities.passwordOnCreate)
        #expect(backend.capabilities.sorting == false)
        #expect(backend.capabilities.filterOperators == [.eq])
        #expect(backend.capabilities.resourceKinds == [.user])
        let user = try #require(backend.schemas(for: .user).first { $0.id == SCIMSchemaURI.user })
        #expect(
            Set(user.attributes.map(\.name)) == [
                "userName", "name", "emails", "phoneNumbers", "addresses", "active", "userType", "locale", "password",
                "externalId", "displayName", "nickName", "title", "preferredLanguage", "timezone",
            ]
        )
        #expect(Set(user.attribute(named: "phoneNumbers")?.subAttributes.map(\.name) ?? []) == ["value", "type"])
        #expect(
            user.attribute(named: "phoneNumbers")?.subAttribute(named: "type")?.canonicalValues == [
                "work", "mobile", "fax", "home",
            ]
        )
        let enterprise = try #require(backend.schemas(for: .user).first { $0.id == SCIMSchemaURI.enterpriseUser })
        #expect(
            Set(enterprise.attributes.map(\.name)) == [
                "employeeNumber", "costCenter", "organization", "division", "department", "manager",
            ]
        )
        #expect(
            Set(enterprise.attribute(named: "manager")?.subAttributes.map(\.name) ?? []) == ["value", "displayName"]
        )
        #expect(backend.schemas(for: .group).isEmpty)
    }

    @Test func configurationErrorsNameWhatIsMissing() {
        let noPassword = BackendConfiguration(
            tenantID: "t",
            kind: "chamilo-rest",
            url: "https://p.example/v2.php",
            username: "admin",
            mapping: Mapping(name: "m", users: ResourceMapping(table: "user", key: "id", attributes: [:]))
        )
        #expect(throws: BackendConfigurationError.self) { try BackendRegistry.chamiloRESTFactory(noPassword) }
        let badURL = BackendConfiguration(
            tenantID: "t",
            kind: "chamilo-rest",
            url: "ftp://p.example/v2.php",
            username: "admin",
            password: "x",
            mapping: Mapping(name: "m", users: ResourceMapping(table: "user", key: "id", attributes: [:]))
        )
        #expect(throws: BackendConfigurationError.self) { try ChamiloRESTBackend(configuration: badURL) }
    }
}

/// What the Chamilo API lets the gateway see of a shared install: its own administrator account and
/// system accounts are read-only (403 naming why); the portal's other users stay writable.
@Suite struct ChamiloRESTOwnershipTests {
    @Test func theAPIAccountAndSystemAccountsAreReadOnly() async throws {
        try await ChamiloRESTFixture.with { fixture in
            let admin = try #require(await fixture.state.user(named: "admin"))
            let anonymous = try await fixture.backend.create(.user, attributes: chamiloUser("anon"))
            await fixture.state.setStatus(6, of: "anon")
            let writes: [(String, String)] = [
                (String(admin.id), "platform administrator"), (anonymous.id, "system account"),
            ]
            for (id, reason) in writes {
                let attempts: [@Sendable () async throws -> Void] = [
                    { _ = try await fixture.backend.modify(.user, id: id, ifMatch: nil) { $0.attributes } },
                    {
                        _ = try await fixture.backend.replace(.user, id: id, attributes: chamiloUser("x"), ifMatch: nil)
                    },
                    { try await fixture.backend.delete(.user, id: id, mode: .deactivate, ifMatch: nil) },
                    { try await fixture.backend.delete(.user, id: id, mode: .delete, ifMatch: nil) },
                ]
                for attempt in attempts {
                    let error = await scimError { try await attempt() }
                    #expect(error?.status == 403)
                    #expect(error?.detail.contains(reason) == true, "\(error?.detail ?? "")")
                }
            }
            #expect(await fixture.state.requests("update_user_from_username").isEmpty)
            #expect(await fixture.state.requests("delete_user").isEmpty)
            let own = try await fixture.backend.create(.user, attributes: chamiloUser("own"))
            try await fixture.backend.delete(.user, id: own.id, mode: .delete, ifMatch: nil)
            #expect(await fixture.state.user(named: "own") == nil)
        }
    }
}
