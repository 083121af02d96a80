-- wrk script for the database benchmark (bench/run-db).
--   wrk ... -s bench/db.lua URL -- create TOKEN TAG   POST /scim/v2/Users, a new userName every request
--   wrk ... -s bench/db.lua URL -- get TOKEN IDS-FILE  GET /scim/v2/Users/{id}, ids drawn from the file
-- A created userName is "<TAG>-<thread>-<counter>", so two threads or two runs never collide.
-- Every answer's status is counted; at the end it prints one line:
--   RESULT requests=… seconds=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=… ok=… other=… statuses=…
-- ok counts 201 for create and 200 for get; other counts every other status (listed in statuses).

local threads = {}
local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("id", thread_count)
    table.insert(threads, thread)
end

local mode, token, tag, ids
local counter = 0
local expected = 200
-- Globals read back by done() through thread:get.
ok = 0
other = 0
statuses = ""

function init(args)
    mode = args[1] or "get"
    token = args[2]
    math.randomseed(os.time() * 1000 + (id or 0))
    wrk.headers["Authorization"] = "Bearer " .. token
    wrk.headers["Accept"] = "application/scim+json"
    if mode == "create" then
        tag = args[3] or "bench"
        expected = 201
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/scim+json"
    else
        ids = {}
        for line in io.lines(args[3]) do
            if line ~= "" then table.insert(ids, line) end
        end
        if #ids == 0 then error("no ids in " .. args[3]) end
    end
end

local function create_body(name, n)
    return string.format([[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],]]
        .. [["userName":"%s","externalId":"ext-%s",]]
        .. [["name":{"givenName":"Bench","familyName":"User %d"},]]
        .. [["emails":[{"value":"%s@example.org","type":"work","primary":true}],]]
        .. [["active":true,"password":"Bench-pass-%d"}]], name, name, n, name, n)
end

function request()
    if mode == "create" then
        counter = counter + 1
        local name = string.format("%s-%d-%d", tag, id or 0, counter)
        return wrk.format(nil, "/scim/v2/Users", nil, create_body(name, counter))
    end
    return wrk.format("GET", "/scim/v2/Users/" .. ids[math.random(1, #ids)])
end

function response(status, headers, body)
    if status == expected then
        ok = ok + 1
    else
        other = other + 1
        if #statuses < 200 then statuses = statuses .. status .. "," end
    end
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    local total_ok, total_other, all_statuses = 0, 0, ""
    for _, thread in ipairs(threads) do
        total_ok = total_ok + thread:get("ok")
        total_other = total_other + thread:get("other")
        all_statuses = all_statuses .. thread:get("statuses")
    end
    if all_statuses == "" then all_statuses = "-" end
    io.write(string.format(
        "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d ok=%d other=%d statuses=%s\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, errors, total_ok, total_other, all_statuses))
end
