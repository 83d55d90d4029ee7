-- wrk script for bench/matching.sh, set up through the environment:
--   BENCH_KEY      the API key (Authorization: Bearer)
--   BENCH_BODIES   a file of request bodies, one JSON document a line: each request POSTs the next one (each thread
--                  starts at its own offset and walks them in turn, so a round rotates through the whole mix)
--   BENCH_METHOD   POST (default) or GET; GET sends no body (the hello-world floor answers GET only)
-- It prints one line, "wrk requests=... rps=... p50_us=... p90_us=... p99_us=... non2xx=... errors=...", for
-- matching.sh to read.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  method = os.getenv("BENCH_METHOD") or "POST"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "")
  bodies = {}
  local path = os.getenv("BENCH_BODIES")
  if method == "POST" and path and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then table.insert(bodies, line) end
    end
  end
  if #bodies > 0 then wrk.headers["Content-Type"] = "application/json" end
  -- threads start far apart in the list: two threads never send the same body at the same moment
  next_body = #bodies > 0 and (thread_index * 7919) % #bodies or 0
end

function request()
  if #bodies == 0 then
    return wrk.format(method, nil, nil, nil)
  end
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
