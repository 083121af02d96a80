# Throwaway PostgreSQL and MariaDB servers on loopback for the test suite. Sourced by scripts/test.
# start_databases starts three pairs and exports their settings:
#   POSTGRES_* and MYSQL_*                  the shared servers every integration suite uses;
#   POSTGRES_RESTART_* and MYSQL_RESTART_*  a second pair, of the same shape, that only the driver
#                                           restart tests (BackendsTests) stop and start again, so that
#                                           suites running in parallel never see the shared servers go away;
#   POSTGRES_SCENARIO_RESTART_* and MYSQL_SCENARIO_RESTART_*  a third pair for the gateway's restart
#                                           scenarios (GatewayTests), which run at the same time as the
#                                           driver tests and must not see their restarts.
# stop_databases stops all six (call it from a trap).

DB_ROOT=""
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

start_databases() {
    DB_ROOT="$(mktemp -d /tmp/scim-gateway-db.XXXXXX)"
    chmod 755 "$DB_ROOT"
    start_postgres pg POSTGRES
    start_postgres pg-restart POSTGRES_RESTART
    start_postgres pg-scenario-restart POSTGRES_SCENARIO_RESTART
    start_mariadb mariadb MYSQL
    start_mariadb mariadb-restart MYSQL_RESTART
    start_mariadb mariadb-scenario-restart MYSQL_SCENARIO_RESTART
}

# start_postgres NAME PREFIX: a server in $DB_ROOT/NAME, described by PREFIX_HOSTNAME, _PORT, _USER,
# _PASSWORD, _DB, _DATA_DIR and _BIN.
start_postgres() {
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (package postgresql)"
    local name="$1" prefix="$2" dir port
    dir="$DB_ROOT/$name"
    port="$(free_port)"
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres >"$DB_ROOT/$name-init.log" 2>&1 \
        || { cat "$DB_ROOT/$name-init.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; die "PostgreSQL ($name) did not start"; }
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE scim LOGIN PASSWORD 'scim-test'" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE scim_test OWNER scim" >/dev/null
    export "${prefix}_HOSTNAME=127.0.0.1" "${prefix}_PORT=$port" "${prefix}_USER=scim"
    export "${prefix}_PASSWORD=scim-test" "${prefix}_DB=scim_test" "${prefix}_DATA_DIR=$dir/data"
    export "${prefix}_BIN=$PG_BIN"
    say "PostgreSQL ($name) on 127.0.0.1:$port"
}

# start_mariadb NAME PREFIX: a server in $DB_ROOT/NAME, described by PREFIX_HOSTNAME, _PORT, _USER,
# _PASSWORD, _DATABASE, _DATA_DIR and _SOCKET.
start_mariadb() {
    local name="$1" prefix="$2" dir port i
    dir="$DB_ROOT/$name"
    port="$(free_port)"
    mkdir -p "$dir"
    mariadb-install-db --no-defaults --user=root --datadir="$dir/data" --skip-test-db >"$DB_ROOT/$name-init.log" 2>&1 \
        || { cat "$DB_ROOT/$name-init.log" >&2; die "mariadb-install-db failed"; }
    mariadbd --no-defaults --user=root --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
        --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --innodb-flush-log-at-trx-commit=0 \
        --max-connections=300 >"$dir/server.log" 2>&1 &
    for i in $(seq 1 100); do
        mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
        sleep 0.2
    done
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 \
        || { cat "$dir/server.log" >&2; die "MariaDB ($name) did not start"; }
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
        CREATE DATABASE scim_test CHARACTER SET utf8 COLLATE utf8_unicode_ci;
        CREATE USER 'scim'@'127.0.0.1' IDENTIFIED BY 'scim-test';
        GRANT ALL ON *.* TO 'scim'@'127.0.0.1';"
    export "${prefix}_HOSTNAME=127.0.0.1" "${prefix}_PORT=$port" "${prefix}_USER=scim"
    export "${prefix}_PASSWORD=scim-test" "${prefix}_DATABASE=scim_test" "${prefix}_DATA_DIR=$dir/data"
    export "${prefix}_SOCKET=$dir/mysqld.sock"
    say "MariaDB ($name) on 127.0.0.1:$port"
}

stop_databases() {
    [ -n "$DB_ROOT" ] || return 0
    local name
    for name in pg pg-restart pg-scenario-restart; do
        if [ -d "$DB_ROOT/$name/data" ]; then
            runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DB_ROOT/$name/data" -m immediate stop >/dev/null 2>&1 || true
        fi
    done
    for name in mariadb mariadb-restart mariadb-scenario-restart; do
        if [ -f "$DB_ROOT/$name/mysqld.pid" ]; then
            kill "$(cat "$DB_ROOT/$name/mysqld.pid")" 2>/dev/null || true
        fi
    done
    sleep 0.5
    rm -rf "$DB_ROOT"
    DB_ROOT=""
}
