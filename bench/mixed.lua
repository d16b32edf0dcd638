-- wrk script: a mixed load of our server (bench/load). Each request is one of
--   volume  POST /api/volume, the file DICOM as the raw body (application/dicom)
--   slice   GET  /api/middle-slice (the default volume; the file's own window:
--                rendered once, then from the plugin's cache of rendered slices)
--   window  GET  /api/series/{SERIES}/middle-slice?window-center=C&window-width=W
--                with a pair never asked before (misses that cache: decode,
--                window, encode the PNG, and evicts an older entry)
--   qido    GET  /dicom-web/studies?PatientName=PATIENT
-- in fixed proportions: the weights MIX_VOLUME, MIX_SLICE, MIX_WINDOW, MIX_QIDO
-- (integers, default 2 1 1 2: a third each of uploads, slice reads and QIDO,
-- half the slice reads windowed) make a cycle, e.g. volume slice qido volume
-- window qido, that each thread walks through request after request.
--
-- Usage: COOKIE='mis_session=...' (or HEADERS='Authorization:Bearer ...')
--        DICOM=path SERIES=id PATIENT=name WINDOW_CENTER=C WINDOW_WIDTH=W
--        [RUN=n] [EXPECT_PIXELS=n] [MIX_*=n] wrk -s mixed.lua http://host:port
-- RUN (default 1) goes into every windowed key, so that a warm-up (RUN=1) and
-- the measurement after it (RUN=2) never share one.
--
-- wrk tells the Lua script neither which connection nor which request a
-- response answers, so response() recognizes each answer by its content:
-- application/json with "pixels_above_threshold" (volume, checked against
-- EXPECT_PIXELS when set), a PNG (slice or window: the same answer, so they
-- are counted together as "slice"), application/dicom+json naming PATIENT in
-- exactly one study (qido). A 2xx answer that is none of these counts as
-- wrong; a non-2xx one is counted by status. done() prints, for the script
-- that runs wrk to parse:
--   MIX sent <kind> <n>           requests made, per kind (volume slice window qido)
--   MIX ok <type> <n>             right 2xx answers, per type (volume slice qido)
--   MIX wrong <type> <n>          2xx answers with a wrong body (type "other" if unknown)
--   MIX status <code> <n>         non-2xx answers, per status
--   MIX seconds <s>               wrk's measured duration

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end

-- Credentials: a session cookie or any headers ("Name:value;Other:value").
local auth = {}
if env("COOKIE") then auth["Cookie"] = env("COOKIE") end
for k, v in string.gmatch(env("HEADERS", ""), "([^:;]+):([^;]+)") do auth[k] = v end

local dicom_path = assert(env("DICOM"), "DICOM=path of the file to upload")
local series = assert(env("SERIES"), "SERIES=id of the series to window")
local patient = assert(env("PATIENT"), "PATIENT=patient name of the QIDO query")
local center0 = assert(tonumber(env("WINDOW_CENTER", "")), "WINDOW_CENTER=number")
local width0 = assert(tonumber(env("WINDOW_WIDTH", "")), "WINDOW_WIDTH=number")
local run = tonumber(env("RUN", "1"))
local expect_pixels = env("EXPECT_PIXELS")

-- The cycle of kinds, interleaved: with weights 2 1 1 2 it is
-- volume slice qido volume window qido (each kind spread over the cycle).
local weights = {
  { "volume", tonumber(env("MIX_VOLUME", "2")) },
  { "slice", tonumber(env("MIX_SLICE", "1")) },
  { "window", tonumber(env("MIX_WINDOW", "1")) },
  { "qido", tonumber(env("MIX_QIDO", "2")) },
}
local cycle = {}
do
  local placed, total = {}, 0
  for _, w in ipairs(weights) do
    assert(w[2] and w[2] >= 0 and w[2] == math.floor(w[2]), "MIX_* must be integers >= 0")
    placed[w[1]] = 0
    total = total + w[2]
  end
  assert(total > 0, "all MIX_* weights are 0")
  -- Largest remainder: at each step, the kind furthest behind its share.
  for i = 1, total do
    local best, best_lag = nil, nil
    for _, w in ipairs(weights) do
      local lag = w[2] * i / total - placed[w[1]]
      if w[2] > 0 and (best_lag == nil or lag > best_lag + 1e-9) then
        best, best_lag = w[1], lag
      end
    end
    placed[best] = placed[best] + 1
    cycle[#cycle + 1] = best
  end
end

local function url_encode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function headers_with(extra)
  local h = {}
  for k, v in pairs(auth) do h[k] = v end
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

-- ------------------------------------------------------------ main state ----
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

-- ------------------------------------------------------ each thread's state ----
-- sent, ok, wrong and statuses are globals: done() reads them with thread:get.
local prepared = {}
sent = { volume = 0, slice = 0, window = 0, qido = 0 }
ok = { volume = 0, slice = 0, qido = 0 }
wrong = { volume = 0, slice = 0, qido = 0, other = 0 }
statuses = {}
local n = 0
local slice_sep

function init(args)
  local f = assert(io.open(dicom_path, "rb"))
  local file = f:read("*all")
  f:close()
  prepared.volume = wrk.format("POST", "/api/volume",
                               headers_with({ ["Content-Type"] = "application/dicom" }), file)
  prepared.slice = wrk.format("GET", "/api/middle-slice", headers_with(), nil)
  prepared.qido = wrk.format("GET", "/dicom-web/studies?PatientName=" .. url_encode(patient),
                             headers_with(), nil)
  slice_sep = "/api/series/" .. series .. "/middle-slice?"
  -- Threads start at different places of the cycle.
  n = (thread_index or 1) - 1
end

function request()
  n = n + 1
  local kind = cycle[(n - 1) % #cycle + 1]
  sent[kind] = sent[kind] + 1
  if kind == "window" then
    -- A new key every time: C moves by 0.001 per request of this thread; W
    -- names the run and the thread. Within a few units of the file's window,
    -- so each picture costs what the default one does.
    local path = string.format("%swindow-center=%.3f&window-width=%.2f", slice_sep,
                               center0 + sent.window * 0.001, width0 + run + (thread_index or 1) / 100)
    return wrk.format("GET", path, headers_with(), nil)
  end
  return prepared[kind]
end

local function count_occurrences(s, needle)
  local count, at = 0, 1
  while true do
    local i = string.find(s, needle, at, true)
    if not i then return count end
    count = count + 1
    at = i + #needle
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
    return
  end
  local ctype = ""
  for k, v in pairs(headers) do
    if string.lower(k) == "content-type" then ctype = string.lower(v) end
  end
  if string.find(ctype, "image/png", 1, true) then
    if string.sub(body, 1, 8) == "\137PNG\r\n\26\n" then ok.slice = ok.slice + 1
    else wrong.slice = wrong.slice + 1 end
  elseif string.find(ctype, "application/dicom+json", 1, true) then
    if count_occurrences(body, '"0020000D"') == 1 and string.find(body, patient, 1, true) then
      ok.qido = ok.qido + 1
    else
      wrong.qido = wrong.qido + 1
    end
  elseif string.find(ctype, "application/json", 1, true)
      and string.find(body, '"pixels_above_threshold"', 1, true) then
    if expect_pixels == nil
        or string.find(body, '"pixels_above_threshold"%s*:%s*' .. expect_pixels .. '[^%d]') then
      ok.volume = ok.volume + 1
    else
      wrong.volume = wrong.volume + 1
    end
  else
    wrong.other = wrong.other + 1
  end
end

-- ------------------------------------------------------------ main state ----
function done(summary, latency, requests)
  local totals = { sent = {}, ok = {}, wrong = {}, status = {} }
  for _, t in ipairs(threads) do
    for _, table_name in ipairs({ "sent", "ok", "wrong", "statuses" }) do
      local key = table_name == "statuses" and "status" or table_name
      for k, v in pairs(t:get(table_name)) do
        totals[key][k] = (totals[key][k] or 0) + v
      end
    end
  end
  local function print_table(label, order, values)
    for _, k in ipairs(order) do
      io.write(string.format("MIX %s %s %d\n", label, k, values[k] or 0))
    end
  end
  print_table("sent", { "volume", "slice", "window", "qido" }, totals.sent)
  print_table("ok", { "volume", "slice", "qido" }, totals.ok)
  print_table("wrong", { "volume", "slice", "qido", "other" }, totals.wrong)
  local codes = {}
  for code in pairs(totals.status) do codes[#codes + 1] = code end
  table.sort(codes)
  for _, code in ipairs(codes) do
    io.write(string.format("MIX status %d %d\n", code, totals.status[code]))
  end
  io.write(string.format("MIX seconds %.3f\n", summary.duration / 1e6))
  io.write("MIX cycle " .. table.concat(cycle, " ") .. "\n")
end
