-- wrk script of the zt-interop benchmark (reference-impl/bench): POSTs a mix of repeated
-- ("hot") and distinct request bodies, and prints one machine-readable result line.
--
-- Environment (set by bench.ts):
--   ZTI_PATH          request path, e.g. /access/v1/evaluation
--   ZTI_TOKEN         bearer token ("" = no Authorization header)
--   ZTI_HOT           file of hot bodies, one JSON text per line
--   ZTI_DISTINCT      file of distinct templates, one per line; every @UNIQ@ in a template
--                     is replaced by an id never sent before in this run
--   ZTI_DISTINCT_PCT  percentage of requests drawn from the templates (0..100)
--   ZTI_SEED          seed of the draw (each thread adds its own number)
--   ZTI_RUN           run label, part of every unique id so runs never share ids

local threads = {}
local counter = 0
local thread_id = 0
local hot = {}
local templates = {}
local distinct_pct = 0
local run_label = "r"
local path, headers

local function read_lines(file)
  local out = {}
  if file == nil or file == "" then return out end
  local f = assert(io.open(file, "r"))
  for line in f:lines() do
    if #line > 0 then out[#out + 1] = line end
  end
  f:close()
  return out
end

function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  thread_id = tonumber(tid) or 1
  path = os.getenv("ZTI_PATH") or "/access/v1/evaluation"
  headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("ZTI_TOKEN") or ""
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  distinct_pct = tonumber(os.getenv("ZTI_DISTINCT_PCT") or "0")
  math.randomseed((tonumber(os.getenv("ZTI_SEED") or "1") or 1) + thread_id * 7919)
  -- Hot requests are formatted once: a repeated request costs wrk nothing to build.
  for _, body in ipairs(read_lines(os.getenv("ZTI_HOT"))) do
    hot[#hot + 1] = wrk.format("POST", path, headers, body)
  end
  templates = read_lines(os.getenv("ZTI_DISTINCT"))
  run_label = os.getenv("ZTI_RUN") or "r"
  if #hot == 0 and #templates == 0 then error("post-mix.lua: no bodies (ZTI_HOT / ZTI_DISTINCT)") end
end

function request()
  if #templates > 0 and (#hot == 0 or math.random(100) <= distinct_pct) then
    counter = counter + 1
    local uniq = run_label .. "-" .. thread_id .. "-" .. counter
    local body = templates[math.random(#templates)]:gsub("@UNIQ@", uniq)
    return wrk.format("POST", path, headers, body)
  end
  return hot[math.random(#hot)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'ZTI_WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
