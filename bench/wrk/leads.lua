-- wrk script for bench/run.sh, set up through the environment:
--   BENCH_KEY      the API key (Authorization: Bearer)
--   BENCH_METHOD   GET (default) or POST; BENCH_BODY the JSON body of a POST
--   BENCH_WALK     a path with %s, e.g. /v1/leads/%s/accept: each request then goes to the next lead of
--                  bench.uuid(BENCH_WALK_TAG, BENCH_WALK_FIRST + k), k = 0, 1, ... (split between the threads
--                  as BENCH_THREADS says), because an accept needs a lead nobody accepted yet; past the
--                  seeded leads the answers are 404s, which run.sh sees in non2xx
-- It prints one line, "wrk requests=... rps=... p50_us=... p99_us=... non2xx=... errors=...", for run.sh to read.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function bench_uuid(tag, seq)
  return string.format("%08x-bead-7000-8000-%012x", tag, seq)
end

function init(args)
  wrk.method = os.getenv("BENCH_METHOD") or "GET"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "")
  local body = os.getenv("BENCH_BODY")
  if body and body ~= "" then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/json"
  end
  walk = os.getenv("BENCH_WALK")
  if walk == "" then walk = nil end
  if walk then
    walk_tag = tonumber(os.getenv("BENCH_WALK_TAG"))
    walk_step = tonumber(os.getenv("BENCH_THREADS") or "1")
    walk_next = tonumber(os.getenv("BENCH_WALK_FIRST")) + thread_index
  end
end

function request()
  if walk then
    local path = string.format(walk, bench_uuid(walk_tag, walk_next))
    walk_next = walk_next + walk_step
    return wrk.format(nil, path)
  end
  return wrk.format(nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
