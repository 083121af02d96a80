"""Writes BENCHMARKS.md from what bench/run measured.

    python3 bench/report.py WORK-DIR NOTES.md > BENCHMARKS.md

WORK-DIR holds results.txt (one `KEY k=v k=v …` line per figure), meta.txt (`KEY<TAB>VALUE`),
statements-*.sql and profile-*.txt; NOTES.md is the hand-written part, included at the end.
"""

import os
import re
import statistics
import sys

work, notes_path = sys.argv[1], sys.argv[2]


def parse_line(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


results: dict[str, dict[str, str]] = {}
with open(os.path.join(work, "results.txt")) as f:
    for line in f:
        key, _, rest = line.strip().partition(" ")
        if key:
            results[key] = parse_line(rest)
meta: dict[str, str] = {}
with open(os.path.join(work, "meta.txt")) as f:
    for line in f:
        key, _, value = line.rstrip("\n").partition("\t")
        meta[key] = value


def num(key: str, field: str) -> float | None:
    try:
        return float(results[key][field])
    except (KeyError, ValueError):
        return None


# The log runs, measured twice each: the better run stands for the pair.
for prefix in ("log-off/pg/sync/16", "log-off/lite/sync/16", "log-on/pg/sync/16", "log-on/lite/sync/16"):
    runs = [results[f"{prefix}/{n}"] for n in (1, 2) if f"{prefix}/{n}" in results]
    if runs:
        results[prefix] = max(runs, key=lambda r: float(r.get("users_per_s", "0") or 0))


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None, digits: int = 2) -> str:
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.{digits}f}×"


def read(name: str) -> str:
    path = os.path.join(work, name)
    return open(path).read().rstrip("\n") if os.path.exists(path) else ""


out: list[str] = []
emit = out.append

ENGINES = [("lite", "SQLite"), ("pg", f"PostgreSQL {meta.get('postgres', '')}"),
           ("my", f"MariaDB {meta.get('mariadb', '').split('-')[0]}")]
OPERATIONS = [
    ("get", "`GET /Users/{id}`"),
    ("username", "`filter=userName+eq+\"user<N>\"`"),
    ("external", "`filter=externalId+eq+\"<guid>\"`"),
    ("list", "`GET /Users?startIndex=N&count=100`"),
    ("create", "`POST /Users` with a password"),
    ("create-nopw", "`POST /Users` without a password"),
    ("patch", "`PATCH /Users/{id}` (replace name.givenName)"),
    ("sync", "Entra-like initial sync: 4 requests per user"),
    ("external-indexed", "`filter=externalId+eq+\"<guid>\"`, with the value index"),
    ("sync-indexed", "Entra-like initial sync, with the value index"),
]
PEER_OF = {"get": "get", "username": "username", "create": "create", "create-nopw": "create"}

settings = parse_line(meta.get("settings", ""))
users = int(settings.get("users", "0"))
big_users = int(settings.get("big_users", "0"))
tenants = int(settings.get("tenants", "0"))

emit("# Benchmarks")
emit("")
emit("Written by `bench/run` (the whole file: edit `bench/notes.md` for the prose at the end, then run it")
emit("again). One command from a fresh clone, as root on Debian with Swift installed:")
emit("")
emit("```")
emit("bench/run            # installs, builds (release), seeds, measures, writes this file (under 25 minutes)")
emit("bench/run --quick    # small data, 3 s per run, prints the report only: for working on the script")
emit("```")
emit("")
emit(f"- Machine: {meta.get('machine', '?')}; everything (wrk, gateway, databases, scim2-server) shares it.")
emit(f"- Date: {meta.get('date', '?')}; commit {meta.get('commit', '?')}; wall time of the run "
     f"{int(meta.get('wall_seconds', '0')) // 60} min {int(meta.get('wall_seconds', '0')) % 60} s"
     f"{' (quick mode: small data, short runs)' if settings.get('quick') == '1' else ''}.")
emit(f"- Tools: {meta.get('swift', '?')}; {meta.get('wrk', '?')}; PostgreSQL {meta.get('postgres', '?')} (fsync off); "
     f"MariaDB {meta.get('mariadb', '?')} (innodb_flush_log_at_trx_commit=0); SQLite {meta.get('sqlite', '?')}; "
     f"scim2-server {meta.get('scim2_server', '?')} (PyPI); {meta.get('perf', '?')}.")
emit(f"- Data: {users:,} users per engine; {big_users:,} in the big SQLite and PostgreSQL tenants; "
     f"{tenants:,} tenants for the start-up figure; scim2-server loaded with {int(settings.get('peer_users', '0')):,} "
     f"of the same users ({meta.get('peer_load', '?')}). wrk runs {settings.get('seconds', '?')} s each.")
seeds = [f"{k.split('/', 1)[1]} {fmt(num(k, 'ms') / 1000 if num(k, 'ms') else None)} s"
         for k in results if k.startswith("seed/")]
emit(f"- Seeding (bulk SQL, not the API): {', '.join(seeds)}.")
emit("")

# -------------------------------------------------------------------------------------------------
healthz16 = num("healthz/16", "rps")
healthz1 = num("healthz/1", "rps")


def target_row(name: str, measured: str, target: str, met: bool | None, by: str) -> None:
    verdict = "n/a" if met is None else ("met" if met else "**missed**")
    emit(f"| {name} | {measured} | {target} | {verdict}{(' ' + by) if by else ''} |")


def relative_miss(value: float | None, limit: float, higher_is_better: bool) -> tuple[bool | None, str]:
    if value is None:
        return None, ""
    if higher_is_better:
        return (value >= limit, "" if value >= limit else f"by {100 * (1 - value / limit):.0f} % (needs {limit / value:.1f}× more)")
    return (value < limit, "" if value < limit else f"by {100 * (value / limit - 1):.0f} % ({value / limit:.1f}× the limit)")


emit("## Summary against the targets")
emit("")
emit("| target | measured | target | verdict |")
emit("|---|---|---|---|")
get16 = num("lite/get/16", "rps")
peer_get16 = num("peer/get/16", "rps")
if get16 and healthz16:
    met, by = relative_miss(get16 / healthz16, 0.5, True)
    target_row("GET /Users/{id}, SQLite, 16 conn. ÷ /healthz", f"{fmt(get16, 0)} ÷ {fmt(healthz16, 0)} = {get16 / healthz16:.3f}", "≥ 0.5", met, by)
if get16 and peer_get16:
    met, by = relative_miss(get16 / peer_get16, 20, True)
    target_row("GET /Users/{id}, SQLite, 16 conn. ÷ scim2-server", f"{fmt(get16, 0)} ÷ {fmt(peer_get16, 0)} = {get16 / peer_get16:.2f}", "≥ 20", met, by)
for engine, label, raw in (("pg", "PostgreSQL", "raw/postgres/create/8"), ("my", "MariaDB", "raw/mysql/create/8")):
    post8, raw8 = num(f"{engine}/create/8", "rps"), num(raw, "tps")
    if post8 and raw8:
        met, by = relative_miss(post8 / raw8, 0.5, True)
        target_row(f"POST /Users, {label}, 8 conn. ÷ raw client", f"{fmt(post8, 0)} ÷ {fmt(raw8, 0)} = {post8 / raw8:.3f}", "≥ 0.5", met, by)
for engine, label in (("postgres", "PostgreSQL"), ("mysql", "MariaDB")):
    count = num(f"statements/{engine}", "create")
    if count is not None:
        met, by = relative_miss(count, 7.5, False)
        target_row(f"statements per create, {label}", f"{count:.0f}", "≤ 7", met, "" if met else f"by {count - 7:.0f} statements")
for key, label in (("lite-big/username/1", "SQLite"), ("pg-big/username/1", "PostgreSQL")):
    p99 = num(key, "p99_ms")
    met, by = relative_miss(p99, 5, False)
    target_row(f"`userName eq` among {big_users:,}, {label}, 1 conn., p99", f"{fmt(p99, 2)} ms", "< 5 ms", met, by)
sync = max([v for v in (num("pg/sync/1", "users_per_s"), num("pg/sync/16", "users_per_s")) if v is not None], default=None)
met, by = relative_miss(sync, 200, True)
target_row("Entra-like initial sync, PostgreSQL tenant (best of 1 and 16 conn.)", f"{fmt(sync)} users/s", "≥ 200 users/s", met, by)
indexed = num("pg/sync-indexed/16", "users_per_s")
if indexed is not None:
    met, by = relative_miss(indexed, 200, True)
    target_row("Entra-like initial sync, PostgreSQL, 16 conn., with an index on the extra field values",
               f"{fmt(indexed)} users/s", "≥ 200 users/s", met, by)
many = results.get("many", {})
if many.get("not_ready"):
    waited = int(many.get("waited_ms", "0")) / 1000
    target_row(f"{tenants:,} tenants: start to /readyz 200",
               f"not ready after {waited:.0f} s ({int(many.get('threads', '0')):,} threads; wait ended by: {many.get('stop', 'time')})",
               "< 2 s", False, "")
    target_row(f"{tenants:,} tenants: RSS", f"{int(many['rss_ready_kb']) / 1024:.0f} MiB when stopped, not yet ready",
               "< 300 MB", None if int(many["rss_ready_kb"]) / 1024 < 300 else False, "")
elif many:
    ready = float(many["ready_ms"]) / 1000
    first = float(many["first_ms"]) / 1000
    met, by = relative_miss(max(ready, first), 2, False)
    target_row(f"{tenants:,} tenants: start to /readyz 200 (first request 200)", f"{ready:.2f} s ({first:.2f} s)", "< 2 s", met, by)
    rss = float(many["rss_peak_kb"]) / 1024
    met, by = relative_miss(rss, 300, False)
    target_row(f"{tenants:,} tenants: RSS (peak, after the GET run)", f"{rss:.0f} MiB (at ready {float(many['rss_ready_kb']) / 1024:.0f} MiB)", "< 300 MB", met, by)
for label, engine in (("PostgreSQL", "pg"), ("SQLite", "lite")):
    on, off = num(f"log-on/{engine}/sync/16", "users_per_s"), num(f"log-off/{engine}/sync/16", "users_per_s")
    if on and off:
        cost = 100 * (1 - on / off)
        target_row(f"provisioning log cost (sync, {label}, 16 conn.)",
                   f"log on {fmt(on)} vs off {fmt(off)} users/s: {cost:.1f} %", "< 10 %", cost < 10,
                   "" if cost < 10 else f"by {cost - 10:.1f} points")
emit("")

# -------------------------------------------------------------------------------------------------
emit("## The HTTP ceiling and the peer")
emit("")
emit("`/healthz` of the same binary (no tenant, no database) and python-scim's `scim2-server` (in memory,")
emit("threaded WSGI server from the package's own `scim2-server` command, the same users preloaded):")
emit("")
emit("| server | request | conn. | requests/s | p50 ms | p99 ms | non-2xx |")
emit("|---|---|---|---|---|---|---|")
for key, server, request in [("healthz/1", "gateway", "`GET /healthz`"), ("healthz/16", "gateway", "`GET /healthz`")] + [
        (f"peer/{m}/{c}", "scim2-server", label) for c in (1, 16)
        for m, label in (("get", "`GET /Users/{id}`"), ("username", "`filter=userName+eq+…`"), ("create", "`POST /Users`"))]:
    r = results.get(key)
    if r:
        emit(f"| {server} | {request} | {r['conn']} | {fmt(num(key, 'rps'))} | {r['p50_ms']} | {r['p99_ms']} | {r['other']} |")
emit("")

# -------------------------------------------------------------------------------------------------
emit("## Operations per engine")
emit("")
emit(f"{users:,} users per engine, ids 1…{users:,}; every request draws a random user. ×healthz is the")
emit("gateway's rate ÷ `/healthz` at the same connections; ×peer is ÷ scim2-server doing the same")
emit("operation at the same connections. For the sync, requests/s counts the four requests; users/s")
emit("is completed users.")
emit("")
emit("| engine | operation | conn. | requests/s | p50 ms | p99 ms | ×healthz | ×peer | non-2xx |")
emit("|---|---|---|---|---|---|---|---|---|")
for engine, label in ENGINES:
    for mode, op in OPERATIONS:
        for c in (1, 16):
            key = f"{engine}/{mode}/{c}"
            r = results.get(key)
            if not r:
                continue
            rps = num(key, "rps")
            peer = PEER_OF.get(mode)
            rate = f"{fmt(rps)}" + (f" ({fmt(num(key, 'users_per_s'))} users/s)" if mode.startswith("sync") else "")
            emit(f"| {label} | {op} | {c} | {rate} | {r['p50_ms']} | {r['p99_ms']} | "
                 f"{ratio(rps, healthz1 if c == 1 else healthz16, 3)} | "
                 f"{ratio(rps, num(f'peer/{peer}/{c}', 'rps')) if peer else '—'} | "
                 f"{r['other']}{'' if r['other'] == '0' else ' (' + r['statuses'] + ')'} |")
emit("")

# -------------------------------------------------------------------------------------------------
emit("## Creates and reads against the raw database client (8 connections)")
emit("")
emit("The raw client runs what a create or a read needs, written by hand (`bench/db-sql.sh`): a create")
emit("is one transaction (the user row with a ready bcrypt hash, `user_id = id`, the access URL row, the")
emit("three extra field values in one INSERT), a read the user row by id and its extra field values.")
emit("PostgreSQL: pgbench with the extended protocol; MariaDB: 8 `mariadb` client processes streaming")
emit("statements (the server's counters count what completed).")
emit("")
emit("| engine | operation | gateway req/s | p50 ms | p99 ms | raw client per s | gateway ÷ raw |")
emit("|---|---|---|---|---|---|---|")
for engine, label, raw in (("pg", "PostgreSQL", "raw/postgres"), ("my", "MariaDB", "raw/mysql")):
    for mode, op in (("create", "`POST /Users` / insert transaction"), ("get", "`GET /Users/{id}` / two SELECTs")):
        key = f"{engine}/{mode}/8"
        r = results.get(key, {})
        emit(f"| {label} | {op} | {fmt(num(key, 'rps'))} | {r.get('p50_ms', 'n/a')} | {r.get('p99_ms', 'n/a')} | "
             f"{fmt(num(f'{raw}/{mode}/8', 'tps'))} | {ratio(num(key, 'rps'), num(f'{raw}/{mode}/8', 'tps'), 3)} |")
emit("")
for engine, label in (("postgres", "PostgreSQL (log_statement = all)"), ("mysql", "MariaDB (general log)")):
    create = read(f"statements-{engine}-create.sql")
    get = read(f"statements-{engine}-get.sql")
    filtered = read(f"statements-{engine}-filter.sql")
    if not create:
        continue
    emit(f"Statements of one create and one read, {label}: {len(create.splitlines())} for the create, "
         f"{len(get.splitlines()) if get else 0} for the read, {len(filtered.splitlines()) if filtered else 0} for a `userName eq` filter.")
    emit("")
    emit("```")
    emit("-- create")
    emit("\n".join(line[:120] for line in create.splitlines()))
    emit("-- read")
    emit("\n".join(line[:120] for line in get.splitlines()))
    emit("-- filter=userName eq \"user7\"")
    emit("\n".join(line[:120] for line in filtered.splitlines()))
    emit("```")
    emit("")

# -------------------------------------------------------------------------------------------------
emit("## Entra-like initial sync and the provisioning log")
emit("")
emit("Per user, on one connection, as Entra ID's initial cycle does: `GET filter=externalId eq` and")
emit("`GET filter=userName eq` (both find nothing), `POST /Users`, then `PATCH` adding the enterprise")
emit("extension's `manager` (user 1). One wrk thread per connection keeps each connection's steps.")
emit("")
emit("| engine | log store | conn. | users/s | requests/s | p50 ms | p99 ms | non-2xx |")
emit("|---|---|---|---|---|---|---|---|")
for key, label, store in [(f"{e}/sync/{c}", lab, "SQLite file on disk") for e, lab in ENGINES for c in (1, 16)] + [
        ("log-off/pg/sync/16", ENGINES[1][1], "none (`--log-store none`)"),
        ("log-on/pg/sync/16", ENGINES[1][1], "SQLite file on disk, right after the run without"),
        ("log-off/lite/sync/16", "SQLite", "none (`--log-store none`)"),
        ("log-on/lite/sync/16", "SQLite", "SQLite file on disk, right after the run without"),
        ("log-postgres/pg/sync/16", ENGINES[1][1], "PostgreSQL (the same server, another database)")]:
    r = results.get(key)
    if r:
        emit(f"| {label} | {store} | {r['conn']} | {fmt(num(key, 'users_per_s'))} | {fmt(num(key, 'rps'))} | "
             f"{r['p50_ms']} | {r['p99_ms']} | {r['other']} |")
emit("")
emit("\"None\" is `--log-store none`: the entries are made and dropped, nothing is stored. The log's cost is")
emit("the pair of rows for one engine, each the better of two runs measured alternately (off, on, off, on);")
emit("the profile below shows the CPU share of the log's own frames. These rows and the PostgreSQL log store's")
emit("ran after the value index was created (see the operations table), hence their higher rates than the")
emit("first four rows.")
emit("")

# -------------------------------------------------------------------------------------------------
emit("## Bulk: 1,000 creates in one request")
emit("")
emit("| engine | time per Bulk (median of the runs) | users/s |")
emit("|---|---|---|")
for engine, label in ENGINES:
    r = results.get(f"bulk/{engine}")
    if r:
        times = [float(t) for t in r["seconds"].split(",")]
        median = statistics.median(times)
        emit(f"| {label} | {median:.2f} s median ({', '.join(f'{t:.2f}' for t in times)}) | {1000 / median:,.0f} |")
emit("")

# -------------------------------------------------------------------------------------------------
emit("## Scale")
emit("")
emit(f"`filter=userName eq` on {big_users:,} users, one connection:")
emit("")
emit("| engine | requests/s | p50 ms | p90 ms | p99 ms | max ms |")
emit("|---|---|---|---|---|---|")
for key, label in (("lite-big/username/1", "SQLite"), ("pg-big/username/1", ENGINES[1][1])):
    r = results.get(key)
    if r:
        emit(f"| {label} | {fmt(num(key, 'rps'))} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} |")
emit("")
if many.get("not_ready"):
    emit(f"{tenants:,} tenant files (SQLite, one shared database) with one token file each, written directly")
    emit("(`bench/tenants.py`, the format `tokens create` writes): the gateway was not serving after "
         f"{int(many.get('waited_ms', '0')) / 1000:.0f} s; it had {int(many.get('threads', '0')):,} threads and "
         f"{int(many['rss_ready_kb']) / 1024:.0f} MiB RSS when it was stopped ({many.get('stop', 'time')}).")
    emit("")
if many and not many.get("not_ready"):
    r = results.get("many/get/16", {})
    emit(f"{tenants:,} tenant files (SQLite, one shared database) with one token file each, written directly")
    emit("(`bench/tenants.py`, the format `tokens create` writes). From the process start: first successful")
    emit(f"`GET /Users/{{id}}` on one tenant {int(many['first_ms']) / 1000:.2f} s, `/readyz` 200 "
         f"{int(many['ready_ms']) / 1000:.2f} s; RSS at ready {int(many['rss_ready_kb']) / 1024:.0f} MiB, peak "
         f"{int(many['rss_peak_kb']) / 1024:.0f} MiB, {int(many.get('threads', '0')):,} threads. `GET /Users/{{id}}` on that tenant with the others loaded, "
         f"16 conn.: {fmt(num('many/get/16', 'rps'))} requests/s (p50 {r.get('p50_ms', '?')} ms, p99 "
         f"{r.get('p99_ms', '?')} ms; {ratio(num('many/get/16', 'rps'), num('lite/get/16', 'rps'))} of the "
         "single-tenant SQLite figure).")
    emit("")
if "gateway_rss_kb" in meta:
    emit(f"Peak RSS of the gateway over the engine runs (5 tenants): {int(meta['gateway_rss_kb']) / 1024:.0f} MiB; "
         f"scim2-server with its users: {int(meta.get('peer_rss_kb', '0')) / 1024:.0f} MiB.")
    emit("")

add1, remove1, add256 = results.get("group/add1"), results.get("group/remove1"), results.get("group/add256")
if add1 and remove1:
    emit(f"## Group membership on a {int(add1['members']):,}-member group (SQLite)")
    emit("")
    emit("`PATCH /Groups/{id}` with curl, seven times each:")
    emit("")
    emit("| PATCH | median | worst |")
    emit("|---|---|---|")
    for r, label in ((add1, "add 1 member (`op: add, path: members`)"), (remove1, "remove 1 member (`members[value eq \"…\"]`)"),
                     (add256 or {"seconds": "0"}, "add 256 members in one request (Okta's batch)")):
        times = [1000 * float(t) for t in r["seconds"].split(",")]
        emit(f"| {label} | {statistics.median(times):.1f} ms | {max(times):.1f} ms |")
    emit("")

# -------------------------------------------------------------------------------------------------
# Frames every request passes through (threads, executors, event loops, thunks): left out of the
# inclusive listing, which then starts at the gateway's own work.
GENERIC = re.compile(r"start_thread|ThreadOpsPosix|_dispatch_|swift_job_run|runJobInEstablishedExecutorContext|"
                     r"SelectableEventLoop|MultiThreadedEventLoopGroup|NIOThreadPool|thunk for|Result<>.init|"
                     r"entry_SYSCALL|do_syscall_64|ProcessOutOfLineJob|\] 0x[0-9a-f]+|\] 0+ ")


def tidy(line: str) -> str:
    """One perf report line: spaces squeezed, perf's empty trailing columns dropped, at most 150 characters."""
    return re.sub(r"( -)+$", "", re.sub(r"\s+", " ", line.strip()))[:150]


profiles = [("get-sqlite", "`GET /Users/{id}` on SQLite, 16 connections"),
            ("post-postgres", "`POST /Users` on PostgreSQL, 16 connections")]
if any(read(f"profile-{n}-self.txt") for n, _ in profiles):
    emit("## Profile")
    emit("")
    emit("`perf record -e cpu-clock -F 499 -g` on the release gateway (this machine has no hardware counters),")
    emit("while wrk ran. \"Self\" is the share of samples in the function itself; \"inclusive\" counts the")
    emit("function and everything it called (call chains from frame pointers, so some chains are cut short).")
    emit("")
    for name, label in profiles:
        self_text = read(f"profile-{name}-self.txt")
        children = read(f"profile-{name}-children.txt")
        if not self_text:
            continue
        samples = results.get(f"profile/{name}", {}).get("samples", "?")
        emit(f"### {label} ({samples} samples)")
        emit("")
        emit("Top frames by self time:")
        emit("")
        emit("```")
        emit("\n".join(tidy(line) for line in self_text.splitlines()[:20]))
        emit("```")
        emit("")
        log_share = max([float(line.split("%")[0]) for line in children.splitlines()
                         if "ProvisioningLog" in line and "%" in line], default=0.0)
        emit(f"Frames of the provisioning log (`ProvisioningLog…`), largest inclusive share: {log_share:.1f} % of the samples.")
        emit("")
        emit("Top frames by inclusive time (children included; thread, executor and event-loop frames left out):")
        emit("")
        emit("```")
        emit("\n".join([tidy(line) for line in children.splitlines() if not GENERIC.search(line)][:30]))
        emit("```")
        emit("")

emit(open(notes_path).read().rstrip("\n"))
print("\n".join(out))
