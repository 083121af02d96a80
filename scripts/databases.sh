# Throwaway PostgreSQL and MariaDB servers on loopback for the test suite. Sourced by scripts/test.
# start_databases exports POSTGRES_* and MYSQL_*; stop_databases stops both (call it from a trap).

DB_ROOT=""
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

start_databases() {
    DB_ROOT="$(mktemp -d /tmp/scim-gateway-db.XXXXXX)"
    chmod 755 "$DB_ROOT"
    start_postgres
    start_mariadb
}

start_postgres() {
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (package postgresql)"
    local dir="$DB_ROOT/pg" port
    port="$(free_port)"
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres >"$DB_ROOT/pg-init.log" 2>&1 \
        || { cat "$DB_ROOT/pg-init.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE ROLE scim LOGIN PASSWORD 'scim-test'" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE scim_test OWNER scim" >/dev/null
    export POSTGRES_HOSTNAME=127.0.0.1 POSTGRES_PORT="$port" POSTGRES_USER=scim POSTGRES_PASSWORD=scim-test
    export POSTGRES_DB=scim_test POSTGRES_DATA_DIR="$dir/data" POSTGRES_BIN="$PG_BIN"
    say "PostgreSQL on 127.0.0.1:$port"
}

start_mariadb() {
    local dir="$DB_ROOT/mariadb" port i
    port="$(free_port)"
    mkdir -p "$dir"
    mariadb-install-db --no-defaults --user=root --datadir="$dir/data" --skip-test-db >"$DB_ROOT/mariadb-init.log" 2>&1 \
        || { cat "$DB_ROOT/mariadb-init.log" >&2; die "mariadb-install-db failed"; }
    mariadbd --no-defaults --user=root --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
        --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --innodb-flush-log-at-trx-commit=0 \
        --max-connections=300 >"$dir/server.log" 2>&1 &
    for i in $(seq 1 100); do
        mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
        sleep 0.2
    done
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 \
        || { cat "$dir/server.log" >&2; die "MariaDB did not start"; }
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
        CREATE DATABASE scim_test CHARACTER SET utf8 COLLATE utf8_unicode_ci;
        CREATE USER 'scim'@'127.0.0.1' IDENTIFIED BY 'scim-test';
        GRANT ALL ON *.* TO 'scim'@'127.0.0.1';"
    export MYSQL_HOSTNAME=127.0.0.1 MYSQL_PORT="$port" MYSQL_USER=scim MYSQL_PASSWORD=scim-test
    export MYSQL_DATABASE=scim_test MYSQL_DATA_DIR="$dir/data" MYSQL_SOCKET="$dir/mysqld.sock"
    say "MariaDB on 127.0.0.1:$port"
}

stop_databases() {
    [ -n "$DB_ROOT" ] || return 0
    if [ -n "${POSTGRES_DATA_DIR:-}" ] && [ -d "$POSTGRES_DATA_DIR" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$POSTGRES_DATA_DIR" -m immediate stop >/dev/null 2>&1 || true
    fi
    if [ -f "$DB_ROOT/mariadb/mysqld.pid" ]; then
        kill "$(cat "$DB_ROOT/mariadb/mysqld.pid")" 2>/dev/null || true
        sleep 0.5
    fi
    rm -rf "$DB_ROOT"
    DB_ROOT=""
}
