-- wrk script of bench/run: one SCIM operation per run, against the gateway or scim2-server.
--
--   wrk ... -s bench/scim.lua URL -- MODE TOKEN PREFIX USERS TAG
--
-- PREFIX is the SCIM base path (/scim/v2 for the gateway, /v2 for scim2-server), USERS the number of
-- seeded users (ids and names 1…USERS, see bench/seed-users*.sql), TAG makes created names unique.
-- Modes (N is drawn uniformly from 1…USERS for every request, each thread with its own seed):
--   healthz      GET /healthz
--   get          GET PREFIX/Users/N
--   username     GET PREFIX/Users?filter=userName+eq+%22userN%22      (form-encoded, + for spaces)
--   external     GET PREFIX/Users?filter=externalId+eq+%22<guid of N>%22
--   list         GET PREFIX/Users?startIndex=N&count=100
--   create       POST PREFIX/Users, a new userName each time, with a password
--   create-nopw  the same without a password
--   patch        PATCH PREFIX/Users/N, replace name.givenName
--   sync         Entra ID's initial sync of one user, four requests in a row on one connection:
--                GET filter externalId eq, GET filter userName eq (both find nothing), POST, then
--                PATCH of the enterprise extension's manager (user 1). Needs one connection per
--                thread (wrk -t C -c C): the steps are kept per thread.
-- At the end it prints one line:
--   RESULT requests=… seconds=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=… ok=… other=…
--          statuses=… users=…
-- ok counts 2xx answers, other every other status (the first ones listed in statuses); users counts
-- the completed syncs (sync mode) or 201 answers (create modes).

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("id", thread_count)
    table.insert(threads, thread)
end

local mode, prefix, users, tag
local counter = 0
local step = 0
local created_id = nil
local pending_sync = nil
-- Globals read back by done() through thread:get.
ok = 0
other = 0
done_users = 0
statuses = ""

local user_schema = "urn:ietf:params:scim:schemas:core:2.0:User"
local enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
local patch_schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

function init(args)
    mode = args[1] or "healthz"
    local token = args[2] or ""
    prefix = args[3] or "/scim/v2"
    users = tonumber(args[4] or "1000")
    tag = args[5] or "bench"
    math.randomseed(os.time() * 1000 + (id or 0) * 7919)
    if token ~= "" then
        wrk.headers["Authorization"] = "Bearer " .. token
    end
    wrk.headers["Accept"] = "application/scim+json"
    wrk.headers["Content-Type"] = "application/scim+json"
end

local function guid(n)
    return string.format("%08x-0000-4000-8000-%012x", n, n)
end

local function user_body(name, n, password)
    local body = string.format('{"schemas":["%s","%s"],"userName":"%s","externalId":"ext-%s",'
        .. '"name":{"givenName":"Bench","familyName":"User %d"},'
        .. '"emails":[{"value":"%s@example.org","type":"work","primary":true}],"active":true',
        user_schema, enterprise, name, name, n, name)
    if password then
        body = body .. string.format(',"password":"Bench-pass-%d"', n)
    end
    return body .. "}"
end

local function next_name()
    counter = counter + 1
    return string.format("%s-%d-%d", tag, id or 0, counter), counter
end

local function get(path)
    return wrk.format("GET", prefix .. path, nil, nil)
end

local function sync_request()
    if step == 0 then
        pending_sync = { next_name() }
        return get("/Users?filter=externalId+eq+%22ext-" .. pending_sync[1] .. "%22")
    elseif step == 1 then
        return get("/Users?filter=userName+eq+%22" .. pending_sync[1] .. "%22")
    elseif step == 2 then
        return wrk.format("POST", prefix .. "/Users", nil, user_body(pending_sync[1], pending_sync[2], true))
    end
    local body = string.format('{"schemas":["%s"],"Operations":[{"op":"Add","path":"%s:manager","value":"1"}]}',
        patch_schema, enterprise)
    return wrk.format("PATCH", prefix .. "/Users/" .. created_id, nil, body)
end

function request()
    local n = math.random(1, users)
    if mode == "get" then
        return get("/Users/" .. n)
    elseif mode == "username" then
        return get("/Users?filter=userName+eq+%22user" .. n .. "%22")
    elseif mode == "external" then
        return get("/Users?filter=externalId+eq+%22" .. guid(n) .. "%22")
    elseif mode == "list" then
        return get("/Users?startIndex=" .. n .. "&count=100")
    elseif mode == "create" or mode == "create-nopw" then
        local name, k = next_name()
        return wrk.format("POST", prefix .. "/Users", nil, user_body(name, k, mode == "create"))
    elseif mode == "patch" then
        local body = string.format('{"schemas":["%s"],"Operations":[{"op":"replace","path":"name.givenName",'
            .. '"value":"Patched %d"}]}', patch_schema, counter)
        counter = counter + 1
        return wrk.format("PATCH", prefix .. "/Users/" .. n, nil, body)
    elseif mode == "sync" then
        return sync_request()
    end
    return wrk.format("GET", "/healthz", nil, nil)
end

local function note_other(status)
    other = other + 1
    if #statuses < 120 then statuses = statuses .. status .. "," end
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        note_other(status)
        if mode == "sync" then step = 0 end
        return
    end
    ok = ok + 1
    if mode == "create" or mode == "create-nopw" then
        done_users = done_users + 1
    elseif mode == "sync" then
        if step == 2 then
            created_id = string.match(body or "", '"id"%s*:%s*"([^"]+)"')
            if created_id == nil then
                note_other("noid")
                step = 0
                return
            end
        end
        step = step + 1
        if step == 4 then
            step = 0
            done_users = done_users + 1
        end
    end
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    local total_ok, total_other, total_users, all_statuses = 0, 0, 0, ""
    for _, thread in ipairs(threads) do
        total_ok = total_ok + thread:get("ok")
        total_other = total_other + thread:get("other")
        total_users = total_users + thread:get("done_users")
        all_statuses = all_statuses .. thread:get("statuses")
    end
    if all_statuses == "" then all_statuses = "-" end
    io.write(string.format(
        "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d "
            .. "ok=%d other=%d statuses=%s users=%d users_per_s=%.1f\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, errors, total_ok, total_other, string.sub(all_statuses, 1, 60), total_users,
        total_users / seconds))
end
