-- wrk script of the stress run (test/stress/stress.py): authenticated pages and bad cookies.
-- Each response is judged by what came back, since wrk does not say which request it answers:
-- the page for valid sessions and the page for bad cookies have different bodies, and a
-- redirect to the login names the page asked for.
--   STRESS_COOKIES  file of live session cookies, one a line
--   STRESS_PORTAL   "1": some requests view /portal with a live session of
--                   STRESS_PORTAL_COOKIES (users who do not log in during the run)

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

local cookies = {}
local portal_cookies = {}
counts = {} -- global: done() reads it through thread:get
local n = 0
local portal = os.getenv("STRESS_PORTAL") == "1"
-- STRESS_CLOSE=1: a connection per request (the graceful restart: wrk does not retry a request
-- that met a keep-alive connection closed by an old child, which browsers do)
local close = os.getenv("STRESS_CLOSE") == "1"

local function headers(h)
    if close then
        h["Connection"] = "close"
    end
    return h
end

local function count(key)
    counts[key] = (counts[key] or 0) + 1
end

function init(args)
    for line in io.lines(os.getenv("STRESS_COOKIES")) do
        table.insert(cookies, line)
    end
    if portal then
        for line in io.lines(os.getenv("STRESS_PORTAL_COOKIES")) do
            table.insert(portal_cookies, line)
        end
    end
    math.randomseed(os.time() + #threads)
end

-- a cookie that is not a session: random base64, or a live one with a byte changed
local function bad_cookie()
    if math.random(2) == 1 then
        local s = {}
        for i = 1, 120 do
            s[i] = string.char(math.random(65, 90))
        end
        return table.concat(s)
    end
    local c = cookies[math.random(#cookies)]
    local i = math.random(10, #c - 10)
    local flipped = string.sub(c, i, i) == "A" and "B" or "A"
    return string.sub(c, 1, i - 1) .. flipped .. string.sub(c, i + 1)
end

function request()
    n = n + 1
    local r = n % 20
    if r == 0 then
        return wrk.format("GET", "/app/bad.html",
                          headers({["Cookie"] = "seances_session=" .. bad_cookie()}))
    elseif r == 1 then
        return wrk.format("GET", "/app/bad.html?none", headers({}))
    elseif portal and r == 2 then
        local c = portal_cookies[math.random(#portal_cookies)]
        return wrk.format("GET", "/portal", headers({["Cookie"] = "seances_session=" .. c}))
    end
    local c = cookies[math.random(#cookies)]
    return wrk.format("GET", "/app/index.html", headers({["Cookie"] = "seances_session=" .. c}))
end

function response(status, headers, body)
    local location = headers["Location"] or ""
    if status == 200 and string.find(body, "STRESS-APP-OK", 1, true) then
        count("page_ok")
    elseif status == 200 and string.find(body, "STRESS-APP-BAD", 1, true) then
        count("VIOLATION_bad_cookie_got_200")
    elseif status == 200 and string.find(body, "portal-nav", 1, true) then
        count("portal_ok")
    elseif status == 302 and string.find(location, "bad.html", 1, true) then
        count("bad_cookie_redirected")
    elseif status == 302 and string.find(location, "index.html", 1, true) then
        count("UNEXPECTED_live_session_redirected")
    elseif status == 503 and string.find(body, "Service temporairement indisponible", 1, true) then
        count("unavailable_503")
    else
        count("UNEXPECTED_status_" .. status)
    end
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do
            total[k] = (total[k] or 0) + v
        end
    end
    local e = summary.errors
    io.write(string.format("STRESS requests=%d duration_us=%d connect=%d read=%d write=%d " ..
                           "timeout=%d status=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
                           summary.requests, summary.duration, e.connect, e.read, e.write,
                           e.timeout, e.status, latency:percentile(50) / 1000,
                           latency:percentile(99) / 1000, latency.max / 1000))
    for k, v in pairs(total) do
        io.write(string.format("STRESS count %s %d\n", k, v))
    end
end
