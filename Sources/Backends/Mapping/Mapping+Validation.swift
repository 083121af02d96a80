import SCIM

extension Mapping {
    /// Checks names and references: every table and column is an identifier matching
    /// `^[A-Za-z_][A-Za-z0-9_]{0,63}$`, every attribute path names an attribute of the standard
    /// schemas, every computed value references a mapped attribute. Throws a
    /// ``BackendConfigurationError`` naming the resource, the attribute and what is wrong.
    public func validate() throws {
        var problems: [String] = []
        if let extraFields {
            problems += extraFields.problems(mapping: name)
        }
        problems += users.problems(mapping: name, resource: "users", kind: .user, hasExtraFields: extraFields != nil)
        if let groups {
            problems += groups.problems(
                mapping: name,
                resource: "groups",
                kind: .group,
                hasExtraFields: extraFields != nil
            )
            if groups.members == nil {
                problems.append("mapping \(name), groups: 'members' (the membership table) is required")
            }
        }
        if users.id != nil && groups != nil {
            problems.append(
                "mapping \(name), groups: Groups need users whose SCIM id is their key (users.id is set)"
            )
        }
        if let ownership {
            problems += ownership.problems(mapping: name, users: users)
        }
        if users.attribute("userName")?.column == nil {
            problems.append("mapping \(name), users, attribute userName: must be stored in a column")
        }
        if !problems.isEmpty {
            throw BackendConfigurationError(problems.joined(separator: "; "))
        }
    }

    /// Whether `name` is a table or column name the gateway accepts.
    public static func isValidIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
        }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}

extension ExtraFieldStore {
    func problems(mapping: String) -> [String] {
        let names = [
            fieldTable, fieldKey, fieldName, fieldItemType, valueTable, valueKey, valueField, valueItem, valueColumn,
        ]
        var problems =
            names
            .filter { !Mapping.isValidIdentifier($0) }
            .map { "mapping \(mapping), extraFields: '\($0)' is not a valid table or column name" }
        for column in Array(onCreateField.keys) + Array(onCreateValue.keys) + Array(onUpdateValue.keys)
        where !Mapping.isValidIdentifier(column) {
            problems.append("mapping \(mapping), extraFields: '\(column)' is not a valid column name")
        }
        return problems
    }
}

extension ResourceMapping {
    func problems(mapping: String, resource: String, kind: ResourceKind, hasExtraFields: Bool) -> [String] {
        var problems: [String] = []
        func check(_ name: String, _ what: String) {
            if !Mapping.isValidIdentifier(name) {
                problems.append(
                    "mapping \(mapping), \(resource), \(what): '\(name)' is not a valid table or column name "
                        + "(expected [A-Za-z_][A-Za-z0-9_]{0,63})"
                )
            }
        }
        check(table, "table")
        check(key, "key")
        if let id { check(id.column, "id column") }
        problems += elementKeyProblems(mapping: mapping, resource: resource, kind: kind)
        for (path, attribute) in attributes.sorted(by: { $0.key < $1.key }) {
            let place = "\(resource), attribute \(path)"
            if !path.contains("["), SchemaCatalog.definition(of: path, kind: kind) == nil {
                problems.append("mapping \(mapping), \(place): not an attribute of the \(kind.rawValue) schemas")
            }
            switch (attribute.column, attribute.extraField) {
            case (let column?, nil): check(column, "attribute \(path) column")
            case (nil, .some):
                if !hasExtraFields {
                    problems.append(
                        "mapping \(mapping), \(place): uses an extra field but 'extraFields' is not configured"
                    )
                }
                if extraFieldItemType == nil {
                    problems.append(
                        "mapping \(mapping), \(place): uses an extra field but 'extraFieldItemType' is missing"
                    )
                }
            case (.some, .some):
                problems.append("mapping \(mapping), \(place): set either 'column' or 'extraField', not both")
            case (nil, nil):
                problems.append("mapping \(mapping), \(place): needs a 'column' or an 'extraField'")
            }
            if let maxLength = attribute.maxLength, maxLength < 1 {
                problems.append("mapping \(mapping), \(place): maxLength must be positive")
            }
            if attribute.onUnknown == .useDefault && attribute.defaultValue == nil {
                problems.append("mapping \(mapping), \(place): onUnknown useDefault needs a 'default'")
            }
            if attribute.typeExtraField != nil && !hasExtraFields {
                problems.append("mapping \(mapping), \(place): typeExtraField needs 'extraFields' configured")
            }
            if attribute.sentValueExtraField != nil && (!hasExtraFields || attribute.values == nil) {
                problems.append(
                    "mapping \(mapping), \(place): sentValueExtraField needs a value map ('values') and 'extraFields'"
                )
            }
            if attribute.primaryExtraField != nil && !hasExtraFields {
                problems.append("mapping \(mapping), \(place): primaryExtraField needs 'extraFields' configured")
            }
            if let salt = attribute.hash?.saltColumn { check(salt, "attribute \(path) saltColumn") }
            if let hash = attribute.hash, let allowed = hash.allowed, !allowed.contains(hash.defaultAlgorithm) {
                problems.append(
                    "mapping \(mapping), \(place): the default \(hash.defaultAlgorithm.rawValue) is not one of 'allowed'"
                )
            }
            if let hash = attribute.hash {
                let highest = hash.allowExpensiveBcrypt ? 31 : PasswordHashing.ordinaryBcryptCostLimit
                if !(4...highest).contains(hash.bcryptCost) {
                    problems.append(
                        "mapping \(mapping), \(place): bcryptCost must be between 4 and \(highest)"
                            + (hash.allowExpensiveBcrypt
                                ? ""
                                : " (set allowExpensiveBcrypt: true to allow up to 31: each hash then costs seconds)")
                    )
                }
            }
            if attribute.hash != nil && path.lowercased() != "password" {
                problems.append("mapping \(mapping), \(place): only password can be hashed")
            }
        }
        let sourceGroups: [(String, [String: ValueSource])] = [
            ("derived", derived), ("onCreate", onCreate), ("onWrite", onWrite),
            ("softDelete.set", softDelete?.set ?? [:]),
        ]
        for (section, sources) in sourceGroups {
            for (column, source) in sources.sorted(by: { $0.key < $1.key }) {
                check(column, "\(section) column")
                if let path = source.referencedAttribute, attribute(path) == nil {
                    problems.append(
                        "mapping \(mapping), \(resource), \(section) \(column): references \(path), which is not mapped"
                    )
                }
                if case .fieldName = source {
                    problems.append(
                        "mapping \(mapping), \(resource), \(section) \(column): fieldName is only for extraFields"
                    )
                }
            }
        }
        for column in copyKeyTo { check(column, "copyKeyTo") }
        for row in linkedRows {
            check(row.table, "linkedRows table")
            check(row.keyColumn, "linkedRows keyColumn")
            for column in row.columns.keys { check(column, "linkedRows \(row.table) column") }
        }
        for reference in deleteAlso {
            check(reference.table, "deleteAlso table")
            check(reference.column, "deleteAlso column")
        }
        if case .column(let column, _)? = softDelete?.marker { check(column, "softDelete marker column") }
        if case .extraField? = softDelete?.marker, !hasExtraFields || extraFieldItemType == nil {
            problems.append("mapping \(mapping), \(resource), softDelete: an extra field marker needs extraFields")
        }
        if version != nil && (!hasExtraFields || extraFieldItemType == nil) {
            problems.append("mapping \(mapping), \(resource), version: an extra field counter needs extraFields")
        }
        if let roles { problems += roles.problems(mapping: mapping, resource: self) }
        for row in createdRows { problems += row.problems(mapping: mapping, resource: self) }
        for reference in refuseDeleteWhileReferenced {
            check(reference.table, "refuseDeleteWhileReferenced table")
            check(reference.column, "refuseDeleteWhileReferenced column")
            if let matches = reference.matches { check(matches, "refuseDeleteWhileReferenced matches") }
        }
        for reference in deleteAlso where reference.matches != nil {
            problems.append(
                "mapping \(mapping), \(resource), deleteAlso \(reference.table): 'matches' is only for refuseDeleteWhileReferenced"
            )
        }
        if kind == .group && (roles != nil || !createdRows.isEmpty) {
            problems.append("mapping \(mapping), \(resource): roles and createdRows are for users only")
        }
        if let created { check(created, "created") }
        if let lastModified { check(lastModified, "lastModified") }
        if let members {
            check(members.table, "members table")
            check(members.groupColumn, "members groupColumn")
            check(members.memberColumn, "members memberColumn")
            for column in members.columns.keys { check(column, "members column") }
        }
        return problems
    }
}
