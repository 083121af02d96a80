# The database client's side of bench/run: what a program talking to the database directly does
# for one create and one read of a Chamilo user, written by hand. Sourced, not run.
#
# A create is one transaction: the user row with the columns the gateway's create writes (a fixed
# bcrypt hash, no hashing), user_id = id, the access_url_rel_user row for access URL 1, and two
# extra_field_values rows (externalId, the version counter, the email's type) in one multi-row INSERT.
# A read is the user row by primary key, then its values of the mapping's extra fields (the same
# field names the gateway asks for), without a transaction.

# A bcrypt hash of cost 4 in PHP's $2y$ form, as the gateway stores one (the client does not hash).
RAW_PASSWORD_HASH='$2y$04$abcdefghijklmnopqrstuu5Oq8Uo9GdwZJQz7q5n0A3sNqXb2X4s6'
RAW_SALT='0123456789abcdef0123456789abcdef'

# The user columns a create writes, and their values, with NAME for the userName (an expression),
# NOW for the current time and K for the counter.
raw_user_columns() { # QUOTE
    local q="$1"
    printf '%s' "${q}username${q}, ${q}username_canonical${q}, ${q}email${q}, ${q}email_canonical${q}, " \
        "${q}firstname${q}, ${q}lastname${q}, ${q}password${q}, ${q}salt${q}, ${q}locked${q}, ${q}enabled${q}, " \
        "${q}expired${q}, ${q}credentials_expired${q}, ${q}expiration_date${q}, ${q}roles${q}, " \
        "${q}auth_source${q}, ${q}status${q}, ${q}active${q}, ${q}language${q}, ${q}registration_date${q}, " \
        "${q}created_at${q}, ${q}updated_at${q}, ${q}phone${q}, ${q}official_code${q}"
}
raw_user_values() { # NAME EMAIL FAMILY-NAME NOW
    printf '%s' "$1, lower($1), $2, lower($2), 'Bench', $3, '$RAW_PASSWORD_HASH', '$RAW_SALT', 0, 1, 0, 0, NULL, " \
        "'a:0:{}', 'platform', 5, 1, 'english', $4, $4, $4, NULL, NULL"
}

# pgbench scripts. Variables: k (counter, -D k=0), tag, ext, ver and type (extra field ids); min, max.
pg_insert_script() {
    local name=":tag::text || '-' || :client_id::text || '-' || :k::text"
    cat <<EOF
\\set k :k + 1
BEGIN;
INSERT INTO "user" ($(raw_user_columns '"')) VALUES ($(raw_user_values "$name" "$name || '@example.org'" "'User ' || :k::text" "localtimestamp(0)")) RETURNING id \\gset
UPDATE "user" SET "user_id" = :id WHERE "id" = :id;
INSERT INTO "access_url_rel_user" ("access_url_id", "user_id") VALUES (1, :id);
INSERT INTO "extra_field_values" ("field_id", "value", "item_id", "created_at", "updated_at") VALUES (:ext, 'ext-' || $name, :id, localtimestamp(0), localtimestamp(0)), (:ver, '1', :id, localtimestamp(0), localtimestamp(0)), (:type, 'work', :id, localtimestamp(0), localtimestamp(0));
END;
EOF
}

pg_select_script() {
    cat <<'EOF'
\set id random(:min, :max)
SELECT "id", "username", "firstname", "lastname", "email", "phone", "active", "status", "language", "official_code", "registration_date", "updated_at" FROM "user" WHERE "id" = :id;
SELECT v."item_id", f."variable", v."value" FROM "extra_field_values" v JOIN "extra_field" f ON f."id" = v."field_id" WHERE f."extra_field_type" = 1 AND f."variable" IN ('scim_deprovisioned', 'scim_email_not_primary', 'scim_email_type', 'scim_external_id', 'scim_phone_not_primary', 'scim_phone_type', 'scim_unassigned', 'scim_version') AND v."item_id" = :id ORDER BY v."id" DESC;
EOF
}

# MariaDB streams for the mariadb client: endless (bounded at ten million) transactions on
# standard output, values written as literals. LAST_INSERT_ID() keeps the user's id until the last
# statement: access_url_rel_user has no AUTO_INCREMENT column, and a multi-row INSERT sees the
# value of the statements before it.
my_insert_stream() { # TAG EXT-FIELD VERSION-FIELD TYPE-FIELD PROCESS
    local name="'@NAME@'"
    awk -v name="$1-$5-" -v template="BEGIN;
INSERT INTO \`user\` ($(raw_user_columns '`')) VALUES ($(raw_user_values "$name" "'@NAME@@example.org'" "'User @K@'" "NOW()"));
UPDATE \`user\` SET \`user_id\` = LAST_INSERT_ID() WHERE \`id\` = LAST_INSERT_ID();
INSERT INTO \`access_url_rel_user\` (\`access_url_id\`, \`user_id\`) VALUES (1, LAST_INSERT_ID());
INSERT INTO \`extra_field_values\` (\`field_id\`, \`value\`, \`item_id\`, \`created_at\`, \`updated_at\`) VALUES ($2, 'ext-@NAME@', LAST_INSERT_ID(), NOW(), NOW()), ($3, '1', LAST_INSERT_ID(), NOW(), NOW()), ($4, 'work', LAST_INSERT_ID(), NOW(), NOW());
COMMIT;" 'BEGIN {
        for (k = 1; k <= 10000000; k++) {
            text = template
            gsub(/@NAME@/, name k, text)
            gsub(/@K@/, k, text)
            print text
        }
    }'
}

my_select_stream() { # IDS-FILE PROCESS
    awk -v seed="$2" 'NF { ids[n++] = $1 }
        END {
            srand(seed)
            for (i = 0; i < 10000000; i++) {
                id = ids[int(rand() * n)]
                printf "SELECT `id`, `username`, `firstname`, `lastname`, `email`, `phone`, `active`, `status`, `language`, `official_code`, `registration_date`, `updated_at` FROM `user` WHERE `id` = %s;\n", id
                printf "SELECT v.`item_id`, f.`variable`, v.`value` FROM `extra_field_values` v JOIN `extra_field` f ON f.`id` = v.`field_id` WHERE f.`extra_field_type` = 1 AND f.`variable` IN (\047scim_deprovisioned\047, \047scim_email_not_primary\047, \047scim_email_type\047, \047scim_external_id\047, \047scim_phone_not_primary\047, \047scim_phone_type\047, \047scim_unassigned\047, \047scim_version\047) AND v.`item_id` = %s ORDER BY v.`id` DESC;\n", id
            }
        }' "$1"
}
export -f my_insert_stream my_select_stream raw_user_columns raw_user_values
export RAW_PASSWORD_HASH RAW_SALT
