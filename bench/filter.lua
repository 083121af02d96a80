-- wrk script for the filter benchmark.
--   wrk ... -s bench/filter.lua URL -- users TOKEN COUNT   GET /scim/v2/Users?filter=userName eq "user<N>"
--   wrk ... -s bench/filter.lua URL -- external TOKEN COUNT GET /scim/v2/Users?filter=externalId eq "<guid of N>"
--   wrk ... -s bench/filter.lua URL -- healthz             GET /healthz
-- N is drawn uniformly from 1…COUNT for every request (each thread with its own seed), so the
-- run touches the whole table rather than one cached row. At the end it prints one line:
--   RESULT requests=… seconds=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=… non2xx=…

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

local mode, token, count

function init(args)
    mode = args[1] or "healthz"
    token = args[2]
    count = tonumber(args[3] or "100000")
    math.randomseed(os.time() * 1000 + (id or 0))
    if token then
        wrk.headers["Authorization"] = "Bearer " .. token
    end
    wrk.headers["Accept"] = "application/scim+json"
end

function request()
    if mode == "users" then
        local n = math.random(1, count)
        -- filter=userName eq "user<N>", percent-encoded
        return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22user" .. n .. "%22")
    end
    if mode == "external" then
        -- the externalId bench/seed-users.sql gives user N
        local n = math.random(1, count)
        local guid = string.format("%08x-0000-4000-8000-%012x", n, n)
        return wrk.format("GET", "/scim/v2/Users?filter=externalId%20eq%20%22" .. guid .. "%22")
    end
    return wrk.format("GET", "/healthz")
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format(
        "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, errors, summary.errors.status))
end
