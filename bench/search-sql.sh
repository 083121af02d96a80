# The SQL the gateway runs for `GET /Users?filter=…` on a tenant mapped with
# tenants.d/mappings/chamilo-1.11.yaml and the SQLite dialect. Sourced, not run.
#
# The engine does not log its SQL, so the statements are rebuilt here from its code, piece by
# piece, with the same text and the same `?` placeholders:
#   Sources/Backends/SQL/SQLBackend+Search.swift   searchStatements(): COUNT, then the page of keys
#   Sources/Backends/SQL/SQLBackend+Storage.swift  ResourceSQL.visibilityCondition(), extraFieldExists(),
#                                                  ResourceStore.rows(where:), extraValues(items:)
#   Sources/Backends/SQL/SQLFilterTranslator.swift comparison(): a column, or an extra field EXISTS
#   Sources/Backends/SQL/SQLite/SQLiteDialect.swift caseInsensitiveComparison(): `= ? COLLATE NOCASE`
# A search is one read transaction: BEGIN; COUNT; page of keys; rows of those keys; their extra
# field values; COMMIT. Every value is a bind, so the statements hold no string literal and
# bind_sql can put literals in place of the `?` in order.

# The extra field sub-query for the row `t`, with a condition on `v."value"` (extraFieldExists).
_extra_field_exists() {
    printf '%s' 'EXISTS (SELECT 1 FROM "extra_field_values" v JOIN "extra_field" f ON f."id" = v."field_id" '
    printf '%s' 'WHERE v."item_id" = t."id" AND f."extra_field_type" = ? AND f."variable" = ? AND '"$1"')'
}

# Visibility: not soft-deleted (no scim_deprovisioned = '1' value) and linked to the portal's
# access URL. Binds: 1, 'scim_deprovisioned', '1', accessUrlId.
visibility_sql() {
    printf 'NOT %s AND ' "$(_extra_field_exists 'v."value" = ?')"
    printf '%s' 'EXISTS (SELECT 1 FROM "access_url_rel_user" l WHERE l."user_id" = t."id" AND l."access_url_id" = ?)'
}

# `userName eq …`: the username column, compared without regard to case. Bind: the name.
username_filter_sql() { printf '%s' 't."username" = ? COLLATE NOCASE'; }

# `externalId eq …`: an extra field. Binds: 1, 'scim_external_id', the value.
external_id_filter_sql() { _extra_field_exists 'v."value" = ?'; }

# count_sql FILTER / page_sql FILTER: the two statements of searchStatements().
count_sql() { printf 'SELECT COUNT(*) FROM "user" t WHERE (%s) AND (%s)' "$(visibility_sql)" "$1"; }
page_sql() {
    printf 'SELECT t."id" FROM "user" t WHERE (%s) AND (%s) ORDER BY t."id" ASC LIMIT ? OFFSET ?' \
        "$(visibility_sql)" "$1"
}

# The rows of the page's keys (mainTableColumns; one key here). Bind: the key.
rows_sql() {
    local columns=(id username firstname lastname email phone active status language official_code password
        username_canonical email_canonical enabled registration_date created_at roles salt auth_source locked
        expired credentials_expired expiration_date updated_at user_id)
    local select="" column
    for column in "${columns[@]}"; do select+="${select:+, }t.\"$column\""; done
    printf 'SELECT %s FROM "user" t WHERE t."id" IN (?)' "$select"
}

# The extra fields the users' mapping reads with every row (ResolvedResource.extraFieldNames),
# sorted as the engine sorts them.
USER_EXTRA_FIELDS=()
while IFS= read -r name; do USER_EXTRA_FIELDS+=("$name"); done < <(
    sed -n '/^users:/,/^groups:/p' tenants.d/mappings/chamilo-1.11.yaml |
        grep -oE '(extraField|ExtraField): *[A-Za-z_][A-Za-z0-9_]*' | awk '{ print $2 }' | LC_ALL=C sort -u
)

# The extra field values of those rows. Binds: 1, the field names, the key.
extra_values_sql() {
    local marks
    marks=$(printf ', ?%.0s' "${USER_EXTRA_FIELDS[@]}")
    printf '%s' 'SELECT v."item_id", f."variable", v."value" FROM "extra_field_values" v JOIN "extra_field" f '
    printf '%s' "ON f.\"id\" = v.\"field_id\" WHERE f.\"extra_field_type\" = ? AND f.\"variable\" IN (${marks#, }) "
    printf '%s' 'AND v."item_id" IN (?) ORDER BY v."id" DESC'
}

# The binds of the visibility condition for access URL 1, as SQL literals.
VISIBILITY_BINDS=(1 "'scim_deprovisioned'" "'1'" 1)
# The binds of extra_values_sql before the key.
EXTRA_VALUES_BINDS=(1)
for name in "${USER_EXTRA_FIELDS[@]}"; do EXTRA_VALUES_BINDS+=("'$name'"); done

# bind_sql SQL LITERAL...: the statement with each `?`, in order, replaced by the next literal.
bind_sql() {
    local sql="$1" out="" value
    shift
    for value in "$@"; do
        [[ "$sql" == *\?* ]] || break
        out+="${sql%%\?*}$value"
        sql="${sql#*\?}"
    done
    printf '%s' "$out$sql"
}
