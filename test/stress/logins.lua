-- wrk script of the stress run (test/stress/stress.py): logins, right and wrong in turn, each
-- connection pausing between them so that 8 connections make about 16 a second.
-- A right login goes to /app/index.html?right, a wrong one to ?wrong, and a refused login's
-- form shows the name it was for, so each answer says which attempt it was.
--   STRESS_CSRF   file of "nonce token" lines (login form pre-sessions)
--   STRESS_USERS  number of users; right logins use ruNN, wrong ones wuNN
--   STRESS_PASSWORD, STRESS_DELAY_MS

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

local pairs_ = {}
counts = {} -- global: done() reads it through thread:get
local n = 0
local users = tonumber(os.getenv("STRESS_USERS"))
local password = os.getenv("STRESS_PASSWORD")
local pause = tonumber(os.getenv("STRESS_DELAY_MS"))

local function count(key)
    counts[key] = (counts[key] or 0) + 1
end

local function urlencode(s)
    return (string.gsub(s, "[^%w%-%.%_%~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

function init(args)
    for line in io.lines(os.getenv("STRESS_CSRF")) do
        local nonce, token = string.match(line, "^(%S+) (%S+)$")
        table.insert(pairs_, {nonce, token})
    end
    math.randomseed(os.time() + 7 * #threads)
end

function delay()
    return pause
end

function request()
    n = n + 1
    local p = pairs_[math.random(#pairs_)]
    local user = string.format("%02d", math.random(0, users - 1))
    local body
    if n % 2 == 0 then
        body = "username=ru" .. user .. "&password=" .. urlencode(password) ..
               "&return=" .. urlencode("/app/index.html?right")
    else
        body = "username=wu" .. user .. "&password=" .. urlencode(password .. " not") ..
               "&return=" .. urlencode("/app/index.html?wrong")
    end
    body = body .. "&csrf=" .. urlencode(p[2])
    local h = {["Content-Type"] = "application/x-www-form-urlencoded",
               ["Cookie"] = "seances_session_csrf=" .. p[1]}
    if os.getenv("STRESS_CLOSE") == "1" then
        h["Connection"] = "close"
    end
    return wrk.format("POST", "/login", h, body)
end

function response(status, headers, body)
    local location = headers["Location"] or ""
    if status == 303 and string.find(location, "?right", 1, true) then
        count("right_login_ok")
    elseif status == 303 then
        count("VIOLATION_wrong_login_accepted")
    elseif status == 200 and string.find(body, 'type="text" value="wu', 1, true) then
        count("wrong_login_refused")
    elseif status == 200 and string.find(body, 'type="text" value="ru', 1, true) then
        count("UNEXPECTED_right_login_refused")
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
