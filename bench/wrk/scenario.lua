-- One wrk script for every scenario; the orchestrator (bench/bench.mjs) picks it with
-- BENCH_SCENARIO and reads the one "BENCH_RESULT {json}" line printed by done().
local scenario = os.getenv("BENCH_SCENARIO") or "hello"
local api_key = os.getenv("BENCH_API_KEY") or ""
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")
local phase = os.getenv("BENCH_PHASE") or "run"
-- 64-byte value: small, like most key/value payloads; identical for both servers.
local value = string.rep("v", 64)

local threads = {}
local next_id = 0

-- Runs in the main Lua state, once per wrk thread.
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local auth = { ["Authorization"] = "Bearer " .. api_key }
local json_headers = { ["Authorization"] = "Bearer " .. api_key, ["Content-Type"] = "application/json" }
local i = 0
statuses = {}

local function write_request()
  -- Unique per thread, request and phase: every write creates a new key.
  local key = string.format("w:%s:%d:%d", phase, tid, i)
  return wrk.format("POST", "/write", json_headers, '{"key":"' .. key .. '","value":"' .. value .. '"}')
end

local builders = {
  hello = function() return wrk.format("GET", "/", auth) end,
  write = write_request,
  -- Keys del:0 .. del:N-1 come from DEBUG POPULATE; threads take interleaved indexes.
  delete = function() return wrk.format("DELETE", "/delete?key=del:" .. (i * thread_count + tid), auth) end,
  list = function() return wrk.format("GET", "/list?count=100&cursor=0", auth) end,
  -- 80% reads (70% GET /, 10% one page of /list), 20% unique writes, in a fixed order.
  mixed = function()
    local slot = i % 10
    if slot < 7 then return wrk.format("GET", "/", auth) end
    if slot == 7 then return wrk.format("GET", "/list?count=10&cursor=0", auth) end
    return write_request()
  end,
}
local build = builders[scenario] or error("unknown BENCH_SCENARIO " .. scenario)

function request()
  local r = build()
  i = i + 1
  return r
end

-- Only the delete scenario pays for per-response Lua: it must tell 404s from errors.
if scenario == "delete" then
  function response(status)
    if status == 404 then
      n404 = (n404 or 0) + 1
    end
  end
end

function done(summary, latency, requests)
  local not_found = 0
  for _, thread in ipairs(threads) do
    not_found = not_found + (thread:get("n404") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"not_found":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, not_found,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
