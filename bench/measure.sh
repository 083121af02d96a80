# shellcheck shell=bash disable=SC2153  # the globals (TOKEN, USERS, …) come from bench/run
# The measurements of bench/run that are more than one wrk run: statements per create, Bulk, group
# membership, perf profiles, the raw database clients, and the helpers for one wrk run, one curl
# request and the checks of a tenant. Sourced by bench/run, not run; the functions
# use its globals (WORK, BASE, TOKEN, DURATION, the database settings and helpers).

# ---------------------------------------------------------------------------------------------
# One wrk run, one curl request, the checks of a tenant
# measure KEY CONNECTIONS MODE TOKEN USERS [BASE] [PREFIX]: one wrk run, its RESULT line recorded.
measure() {
    local key="$1" connections="$2" mode="$3" token="$4" users="$5" base="${6:-$BASE}" prefix="${7:-/scim/v2}"
    local threads=2 line
    [ "$connections" -ge 2 ] || threads=1
    [ "$mode" != sync ] || threads="$connections" # the sync's steps are kept per thread
    say "$key: wrk $mode, $connections connection(s), ${DURATION}s"
    line=$(wrk -t "$threads" -c "$connections" -d "${DURATION}s" --timeout 10s -s bench/scim.lua "$base" \
        -- "$mode" "$token" "$prefix" "$users" "${key//\//-}" | grep '^RESULT ') || die "wrk $key failed"
    line="${line#RESULT } conn=$connections"
    record "$key" "$line"
    [[ "$line" == *" other=0 "* ]] || say "warning: $key had answers other than 2xx: $line"
}

# scim METHOD PATH TOKEN [BODY]: one request with curl; prints the body, then the status on its own line.
scim() {
    curl -sS -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/scim+json' \
        ${4:+--data-binary "$4"} -w '\n%{http_code}' "$BASE/scim/v2$2"
}
expect_status() { # EXPECTED ANSWER CONTEXT
    [ "$(tail -1 <<<"$2")" = "$1" ] || die "$3: expected $1, got: $(tail -c 400 <<<"$2")"
}
probe_body() { # NAME
    printf '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","externalId":"ext-%s",' "$1" "$1"
    printf '"name":{"givenName":"Probe","familyName":"User"},"emails":[{"value":"%s@example.org","type":"work",' "$1"
    printf '"primary":true}],"active":true,"password":"Probe-pass-1"}'
}

# check_tenant TENANT USERS: the seeded data reads back through the gateway (user 500 by id, userName
# and externalId; the total), and one create answers 201 (this also warms the pool up).
check_tenant() {
    local tenant="$1" users="$2" token="${TOKEN[$1]}" answer n=$((($2 + 1) / 2))
    answer=$(scim GET "/Users/$n" "$token")
    expect_status 200 "$answer" "$tenant GET /Users/$n"
    [ "$(sed '$d' <<<"$answer" | jq -r .userName)" = "$( ((n % 10 == 0)) && echo User || echo user)$n" ] ||
        die "$tenant: user $n reads back as $answer"
    answer=$(scim GET "/Users?filter=userName+eq+%22user$n%22" "$token")
    [ "$(sed '$d' <<<"$answer" | jq -r '.totalResults')" = 1 ] || die "$tenant: userName eq user$n: $answer"
    answer=$(scim GET "/Users?filter=externalId+eq+%22$(printf '%08x-0000-4000-8000-%012x' "$n" "$n")%22" "$token")
    [ "$(sed '$d' <<<"$answer" | jq -r '.Resources[0].id')" = "$n" ] || die "$tenant: externalId of $n: $answer"
    answer=$(scim GET "/Users?count=0" "$token")
    [ "$(sed '$d' <<<"$answer" | jq -r '.totalResults')" = "$users" ] || die "$tenant: count=0: $answer"
    answer=$(scim POST /Users "$token" "$(probe_body "warm-$tenant")")
    expect_status 201 "$answer" "$tenant probe create"
}

# ---------------------------------------------------------------------------------------------
# Statements per create, from the servers' statement logs (PostgreSQL log_statement, MariaDB
# general log), split by marker queries; in $WORK/statements-ENGINE-{create,get}.sql.
statements_of() { # ENGINE < LOG
    if [ "$1" = postgres ]; then
        sed -n 's/.*LOG:  \(statement\|execute [^:]*\): //p'
    else
        awk -F'\t' '/ (Query|Execute)\t/ {
            for (i = 1; i <= NF; i++) if ($i ~ /^ *[0-9]+ (Query|Execute)$/) { print $(i + 1); break }
        }'
    fi
}
capture_statements() { # ENGINE TENANT
    local engine="$1" tenant="$2" log start answer id
    if [ "$engine" = postgres ]; then
        log="$PG_LOG"
        start=$(stat -c %s "$log")
        pg_admin -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
        mark() { pg_admin -c "SELECT '$1'" >/dev/null; }
    else
        log="$WORK/logs/mariadb-general.log"
        start=0
        my_admin -e "SET GLOBAL general_log_file = '$log'; SET GLOBAL general_log = 1"
        mark() { my_admin -e "SELECT '$1'" >/dev/null; }
    fi
    sleep 0.5
    mark scim-bench-mark-create
    answer=$(scim POST /Users "${TOKEN[$tenant]}" "$(probe_body "probe-$tenant")")
    expect_status 201 "$answer" "$tenant statement probe"
    id=$(sed '$d' <<<"$answer" | jq -r .id)
    mark scim-bench-mark-get
    answer=$(scim GET "/Users/$id" "${TOKEN[$tenant]}")
    expect_status 200 "$answer" "$tenant statement probe read"
    mark scim-bench-mark-filter
    answer=$(scim GET "/Users?filter=userName+eq+%22user7%22" "${TOKEN[$tenant]}")
    expect_status 200 "$answer" "$tenant statement probe filter"
    mark scim-bench-mark-end
    if [ "$engine" = postgres ]; then
        pg_admin -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
    else
        my_admin -e "SET GLOBAL general_log = 0"
    fi
    sleep 0.3
    tail -c +$((start + 1)) "$log" | statements_of "$engine" | awk -v create="$WORK/statements-$engine-create.sql" \
        -v get="$WORK/statements-$engine-get.sql" -v filter="$WORK/statements-$engine-filter.sql" '
        /scim-bench-mark-create/ { part = create; next }
        /scim-bench-mark-get/ { part = get; next }
        /scim-bench-mark-filter/ { part = filter; next }
        /scim-bench-mark-end/ { exit }
        part != "" { print > part }'
    [ -s "$WORK/statements-$engine-create.sql" ] || die "$engine: no statements in the server's log"
    record "statements/$engine" "create=$(wc -l <"$WORK/statements-$engine-create.sql") get=$(wc -l <"$WORK/statements-$engine-get.sql") filter=$(wc -l <"$WORK/statements-$engine-filter.sql")"
}

# ---------------------------------------------------------------------------------------------
# Bulk: 1,000 creates in one request, BULK_RUNS times (2; 1 with --quick); the time of each.
bulk_body() { # TAG
    jq -cn --arg tag "$1" '{schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [range(1; 1001) | {method: "POST", path: "/Users", bulkId: "b\(.)",
            data: {schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "\($tag)-\(.)",
                externalId: "ext-\($tag)-\(.)", name: {givenName: "Bulk", familyName: "User \(.)"},
                emails: [{value: "\($tag)-\(.)@example.org", type: "work", primary: true}], active: true,
                password: "Bulk-pass-\(.)"}}]}'
}
measure_bulk() { # TENANT
    local tenant="$1" run seconds status created times=""
    for run in $(seq 1 "$BULK_RUNS"); do
        bulk_body "bulk-$tenant-$run" >"$WORK/bulk.json"
        read -r status seconds < <(curl -sS -o "$WORK/bulk-answer.json" -w '%{http_code} %{time_total}\n' \
            -X POST -H "Authorization: Bearer ${TOKEN[$tenant]}" -H 'Content-Type: application/scim+json' \
            --data-binary "@$WORK/bulk.json" "$BASE/scim/v2/Bulk")
        [ "$status" = 200 ] || die "$tenant Bulk answered $status: $(head -c 400 "$WORK/bulk-answer.json")"
        created=$(jq '[.Operations[] | select(.status == "201")] | length' "$WORK/bulk-answer.json")
        [ "$created" = 1000 ] || die "$tenant Bulk created $created of 1000: $(jq -c '[.Operations[].status] | group_by(.) | map({(.[0]): length}) | add' "$WORK/bulk-answer.json")"
        times+="$seconds,"
    done
    record "bulk/$tenant" "seconds=${times%,}"
}

# ---------------------------------------------------------------------------------------------
# Group membership on a large group (SQLite): add one member and remove it again, seven times.
measure_groups() {
    local answer group run status seconds next add="" remove="" db="$WORK/data/lite.sqlite"
    answer=$(scim POST /Groups "${TOKEN[lite]}" '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}')
    expect_status 201 "$answer" "group create"
    group=$(sed '$d' <<<"$answer" | jq -r .id)
    sqlite3 "$db" "INSERT INTO usergroup_rel_user (usergroup_id, user_id, relation_type)
        SELECT $group, id, 0 FROM user WHERE id <= $GROUP_MEMBERS; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    next=$((GROUP_MEMBERS + 1))
    for run in 1 2 3 4 5 6 7; do
        read -r status seconds < <(curl -sS -o "$WORK/group-answer.json" -w '%{http_code} %{time_total}\n' -X PATCH \
            -H "Authorization: Bearer ${TOKEN[lite]}" -H 'Content-Type: application/scim+json' --data-binary \
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$next\"}]}]}" \
            "$BASE/scim/v2/Groups/$group")
        [[ "$status" =~ ^20[04]$ ]] || die "group add: $status $(head -c 300 "$WORK/group-answer.json")"
        add+="$seconds,"
        read -r status seconds < <(curl -sS -o "$WORK/group-answer.json" -w '%{http_code} %{time_total}\n' -X PATCH \
            -H "Authorization: Bearer ${TOKEN[lite]}" -H 'Content-Type: application/scim+json' --data-binary \
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$next\\\"]\"}]}" \
            "$BASE/scim/v2/Groups/$group")
        [[ "$status" =~ ^20[04]$ ]] || die "group remove: $status $(head -c 300 "$WORK/group-answer.json")"
        remove+="$seconds,"
        next=$((next + 1))
    done
    local batch=""
    for run in 1 2 3 4 5 6 7; do
        read -r status seconds < <(curl -sS -o "$WORK/group-answer.json" -w '%{http_code} %{time_total}\n' -X PATCH \
            -H "Authorization: Bearer ${TOKEN[lite]}" -H 'Content-Type: application/scim+json' --data-binary \
            "$(jq -cn --argjson first "$next" '{schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                Operations: [{op: "add", path: "members", value: [range($first; $first + 256) | {value: tostring}]}]}')" \
            "$BASE/scim/v2/Groups/$group")
        [[ "$status" =~ ^20[04]$ ]] || die "group add 256: $status $(head -c 300 "$WORK/group-answer.json")"
        batch+="$seconds,"
        next=$((next + 256))
    done
    [ "$(sqlite3 "$db" "SELECT count(*) FROM usergroup_rel_user WHERE usergroup_id = $group")" = $((GROUP_MEMBERS + 7 * 256)) ] ||
        die "the group does not end with $((GROUP_MEMBERS + 7 * 256)) members"
    record "group/add1" "members=$GROUP_MEMBERS seconds=${add%,}"
    record "group/remove1" "members=$GROUP_MEMBERS seconds=${remove%,}"
    record "group/add256" "members=$GROUP_MEMBERS seconds=${batch%,}"
}

# ---------------------------------------------------------------------------------------------
# Profile: perf (software clock, call graphs from frame pointers) on the gateway while wrk runs.
profile() { # NAME CONNECTIONS MODE TENANT
    local name="$1" data="$WORK/perf-$1.data"
    say "profile $name: perf record on the gateway under wrk $3 ($2 connections)"
    wrk -t 2 -c "$2" -d "$((DURATION + 2))s" --timeout 10s -s bench/scim.lua "$BASE" \
        -- "$3" "${TOKEN[$4]}" /scim/v2 "$USERS" "prof-$name" >"$WORK/logs/wrk-profile-$name.log" 2>&1 &
    WRK_PID=$!
    sleep 1
    perf record -e cpu-clock -F 499 -g -p "$GATEWAY_PID" -o "$data" -- sleep "$DURATION" \
        >"$WORK/logs/perf-$name.log" 2>&1 || { cat "$WORK/logs/perf-$name.log" >&2; die "perf record failed"; }
    wait "$WRK_PID" || true
    WRK_PID=""
    perf report -i "$data" --stdio --no-children --sort symbol --percent-limit 0.5 2>/dev/null |
        awk '/^ +[0-9.]+%/ && ++n <= 25' | swift demangle --simplified >"$WORK/profile-$name-self.txt"
    perf report -i "$data" --stdio --children --sort symbol -g none 2>/dev/null |
        awk '/^ +[0-9.]+%/' | swift demangle --simplified >"$WORK/profile-$name-children.txt"
    record "profile/$name" "samples=$(perf report -i "$data" --stdio --sort symbol 2>/dev/null | awk '/^# Samples:/ && !n++ { print $3 }')"
}

# ---------------------------------------------------------------------------------------------
# The raw clients, 8 connections: the transaction a create needs and the two SELECTs a read needs
# (bench/db-sql.sh). PostgreSQL: pgbench, extended protocol. MariaDB: 8 mariadb client processes
# reading endless streams; the server's counters count what completed (a create is a COMMIT, a
# read two SELECTs).
pgbench_raw() { # NAME SCRIPT VARIABLES…
    local name="$1" script="$2" log="$WORK/logs/pgbench-$1.log"
    shift 2
    say "raw/postgres/$name/8: pgbench, 8 connections, ${DURATION}s"
    PGPASSWORD="$POSTGRES_PASSWORD" "$PGBENCH" -h 127.0.0.1 -p "$POSTGRES_PORT" -U scim -n -M extended -c 8 -j 2 \
        -T "$DURATION" -f "$script" "$@" bench >"$log" 2>&1 || { cat "$log" >&2; die "pgbench $name failed"; }
    record "raw/postgres/$name/8" "tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$log") latency_ms=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$log") failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")"
}
mariadb_raw() { # NAME COUNTER PER GENERATOR
    local name="$1" counter="$2" per="$3" generator="$4" before after started elapsed p clients=()
    say "raw/mysql/$name/8: 8 mariadb client processes, ${DURATION}s"
    before=$(my_admin -e "SHOW GLOBAL STATUS LIKE '$counter'" | cut -f2)
    started=$(now_ms)
    for p in 1 2 3 4 5 6 7 8; do
        timeout "$DURATION" bash -c "$generator $p | mariadb --no-defaults -h 127.0.0.1 -P $MYSQL_PORT -u scim \
            -p$MYSQL_PASSWORD -N -B bench >/dev/null 2>$WORK/logs/raw-mysql-$name-$p.err" &
        clients+=($!)
    done
    for p in "${clients[@]}"; do wait "$p" || true; done
    elapsed=$(elapsed_since "$started")
    after=$(my_admin -e "SHOW GLOBAL STATUS LIKE '$counter'" | cut -f2)
    if grep -qv '^$' "$WORK"/logs/raw-mysql-"$name"-*.err; then
        cat "$WORK"/logs/raw-mysql-"$name"-*.err >&2
        die "the mariadb clients reported errors"
    fi
    record "raw/mysql/$name/8" "tps=$(echo "scale=1; ($after - $before) / $per * 1000 / $elapsed" | bc) transactions=$(((after - before) / per))"
}
field_ids() { # SQL-FUNCTION: the ids of the externalId, version and email type fields
    local variable
    for variable in scim_external_id scim_version scim_email_type; do
        "$@" "SELECT min(id) FROM extra_field WHERE extra_field_type = 1 AND variable = '$variable'"
    done | paste -sd ' '
}
