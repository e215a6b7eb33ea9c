-- wrk script: POST the sign-up form, urlencoded, with values unique to every request so that
-- no cache (in the server or the sandbox) can answer instead of the providers.
-- Environment: BENCH_PATH (/async or /sync), BENCH_SEED (an integer, new per wrk run; its value
-- mod 100 must differ between the runs against one server process, as the harness's seeds do:
-- see `request`),
-- BENCH_DEGRADED_MARKER (text whose presence in a 2xx body marks an answer with an unverified
-- field; empty = do not look), BENCH_REPEAT (share of requests, 0 to 1, that repeat one of 100
-- earlier people instead: a person pressing submit twice; default 0), BENCH_TRACK (1: time
-- every request on its own, see "Tracked requests"). done() prints one line "WRKJSON {...}"
-- for the harness.

local threads = {}
local thread_count = 0

-- A monotonic clock through LuaJIT's FFI (wrk gives Lua no clock), to count 2xx answers in the
-- steady part of the step only, with a trapezoid weight: 0 before BENCH_WINDOW_FROM (a), rising
-- to 1 over BENCH_WINDOW_RAMP seconds (r), falling back to 0 at the nominal end BENCH_DURATION
-- (d). Sum of weights / (d - a - r) is the rate. Soft edges matter here: with fixed provider
-- latency the closed loop answers in synchronized waves, and a hard-edged window would gain or
-- lose a whole wave at random. Without FFI the harness falls back to whole-step counts.
local has_ffi, ffi = pcall(require, "ffi")
local now = nil
if has_ffi then
   ffi.cdef[[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clk_id, bench_timespec *tp);
   ]]
   local ts = ffi.new("bench_timespec")
   now = function()
      ffi.C.clock_gettime(1, ts)           -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
   end
end

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

-- The phone number and street number of person n (0 <= n < PEOPLE). A server's cache keys each
-- check by its own field, so each field must be unique, not only the email: 792 exchanges
-- (200-999 without the N11 codes) x 10,000 lines in area code 202, street numbers 1..PEOPLE.
-- harness.py's form_body() uses the same mapping for its single submissions (n < 50,000).
local PEOPLE = 792 * 10000
local PER_STREAM = 50000           -- requests per thread and wrk run before values collide
local function person(n)
   local block, line = math.floor(n / 10000), n % 10000
   local offset = block % 99
   if offset >= 11 then offset = offset + 1 end   -- no N11 exchanges
   local exchange = 200 + math.floor(block / 99) * 100 + offset
   return string.format("(202) %03d-%04d", exchange, line),
          string.format("%d Berry St", 1 + n)
end

-- Tracked requests (BENCH_TRACK=1, the realistic scenario). Each request started before
-- BENCH_DURATION carries a number in its last name ("Doe 123"), which every server echoes back
-- in its page, so its answer is timed from its own start. Why not wrk's latency: wrk 4.1
-- "corrects" its histogram for coordinated omission, adding made-up samples below every
-- answer slower than twice the mean interval (with a 0.5 s interval, a 3 s answer adds samples
-- at 2.5, 2, 1.5 and 1 s), which inflates the p90 and p99 of a heavy tail; and a request in
-- flight when wrk stops is lost, more often a slow one (the slow ones are in flight longer).
-- The harness runs wrk a few seconds past BENCH_DURATION under the same load (the scenario's
-- drain_s), so the requests started in the step get their answers; requests started later are
-- not tracked. Latency buckets: 0.1 ms.
local function track_start(t)
   if not (track and t < window_to) then return "Doe" end
   -- wrk calls the first thread's request() once before the run to check it, and never sends
   -- that request
   if not checked then
      checked = true
      if tid == 1 then return "Doe" end
   end
   tracked_sent = tracked_sent + 1
   started[tracked_sent] = t
   return "Doe " .. tracked_sent
end

local function track_answer(body, ok, unverified)
   local id = tonumber(string.match(body, 'value="Doe (%d+)"') or "")
   local start = id and started[id]
   if not start then return end
   started[id] = nil
   local ms = (now() - t0 - start) * 1000
   local bucket = math.floor(ms * 10)
   hist[bucket] = (hist[bucket] or 0) + 1
   tracked_answers = tracked_answers + 1
   if not ok then tracked_non2xx = tracked_non2xx + 1 end
   if unverified then tracked_unverified = tracked_unverified + 1 end
   if ms > tracked_max_ms then tracked_max_ms = ms end
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c)
      if c == " " then return "+" end
      return string.format("%%%02X", string.byte(c))
   end))
end

function init(args)
   path = os.getenv("BENCH_PATH") or "/async"
   seed = tonumber(os.getenv("BENCH_SEED") or "0") or 0
   marker = os.getenv("BENCH_DEGRADED_MARKER") or ""
   sent, responses, non2xx, degraded = 0, 0, 0, 0
   window_from = tonumber(os.getenv("BENCH_WINDOW_FROM") or "1") or 1
   window_ramp = tonumber(os.getenv("BENCH_WINDOW_RAMP") or "1") or 1
   window_to = tonumber(os.getenv("BENCH_DURATION") or "0") or 0
   window_ok = 0
   repeat_share = tonumber(os.getenv("BENCH_REPEAT") or "0") or 0
   math.randomseed(seed * 8 + tid)
   t0 = now and now() or nil
   track = os.getenv("BENCH_TRACK") == "1" and t0 ~= nil
   started, hist = {}, {}
   tracked_sent, tracked_answers, tracked_non2xx, tracked_unverified = 0, 0, 0, 0
   tracked_max_ms = 0
   headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
end

function request()
   sent = sent + 1
   -- k (the email) is unique across threads (tid) and runs (seed) for up to 10^6 requests per
   -- thread; n (phone, street) is unique within one server process: stream 0 is the harness's
   -- single submissions, then one stream per thread and run (seed mod 100), 50,000 each.
   local k = (seed * 8 + tid) * 1000000 + sent
   local n = (((seed % 100) * 8 + tid) * PER_STREAM + sent) % (PEOPLE - 100)
   if repeat_share > 0 and math.random() < repeat_share then
      -- one of 100 people seen before, the same values: the top of the range, kept for them
      k = math.random(1, 100)
      n = PEOPLE - k
   end
   local phone, street = person(n)
   local last = track and track_start(now() - t0) or "Doe"
   local body = table.concat({
      "firstName=Jane", "lastName=" .. urlencode(last),
      "phoneNumber=" .. urlencode(phone),
      "email=" .. urlencode(string.format("jane.doe.%d@gmail.com", k)),
      "address=" .. urlencode(street),
      "address2=", "city=" .. urlencode("San Francisco"), "state=CA", "zip=94107",
   }, "&")
   return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
   responses = responses + 1
   local ok = status >= 200 and status <= 299
   local unverified = false
   if not ok then
      non2xx = non2xx + 1
   else
      if t0 then
         local t = now() - t0
         local w = math.min(1, (t - window_from) / window_ramp, (window_to - t) / window_ramp)
         if w > 0 then window_ok = window_ok + w end
      end
      if marker ~= "" and body and string.find(body, marker, 1, true) then
         degraded = degraded + 1
         unverified = true
      end
   end
   if track and body then track_answer(body, ok, unverified) end
end

-- The tracked requests of all threads as a JSON object: counts and latency percentiles (µs,
-- nearest rank over 0.1 ms buckets).
local function tracked_json()
   local all, total = {}, 0
   local n = {sent = 0, answers = 0, non2xx = 0, unverified = 0}
   local max_ms = 0
   for _, t in ipairs(threads) do
      for bucket, count in pairs(t:get("hist") or {}) do
         all[bucket] = (all[bucket] or 0) + count
         total = total + count
      end
      n.sent = n.sent + t:get("tracked_sent")
      n.answers = n.answers + t:get("tracked_answers")
      n.non2xx = n.non2xx + t:get("tracked_non2xx")
      n.unverified = n.unverified + t:get("tracked_unverified")
      max_ms = math.max(max_ms, t:get("tracked_max_ms"))
   end
   local buckets = {}
   for bucket in pairs(all) do table.insert(buckets, bucket) end
   table.sort(buckets)
   local function percentile(p)
      local rank, seen = math.ceil(total * p / 100), 0
      for _, bucket in ipairs(buckets) do
         seen = seen + all[bucket]
         if seen >= rank then return bucket * 100 + 50 end
      end
      return 0
   end
   return string.format(
      '{"sent":%d,"answers":%d,"non2xx":%d,"unverified":%d,"unanswered":%d,' ..
      '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}',
      n.sent, n.answers, n.non2xx, n.unverified, n.sent - n.answers,
      percentile(50), percentile(90), percentile(99), math.floor(max_ms * 1000))
end

function done(summary, latency, requests)
   local n_sent, n_resp, n_non2xx, n_degraded, n_window = 0, 0, 0, 0, 0
   local window_s = -1
   for _, t in ipairs(threads) do
      if t:get("t0") then
         n_window = n_window + (t:get("window_ok") or 0)
         window_s = t:get("window_to") - t:get("window_from") - t:get("window_ramp")
      end
      n_sent = n_sent + (t:get("sent") or 0)
      n_resp = n_resp + (t:get("responses") or 0)
      n_non2xx = n_non2xx + (t:get("non2xx") or 0)
      n_degraded = n_degraded + (t:get("degraded") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"duration_us":%d,"requests":%d,"sent":%d,"responses":%d,"non2xx":%d,' ..
      '"degraded":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
      '"window_ok":%.3f,"window_s":%.3f,' ..
      '"recorded":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f%s}\n',
      summary.duration, summary.requests, n_sent, n_resp, n_non2xx, n_degraded,
      e.connect, e.read, e.write, e.status, e.timeout, n_window, window_s,
      summary.requests - e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean,
      threads[1] and threads[1]:get("track") and (',"tracked":' .. tracked_json()) or ""))
end
