-- wrk script: GET the URL with the session cookie (how bench/slice loads
-- routes that need a login).
-- Usage: COOKIE='mis_session=...' wrk -s get.lua URL
--
-- Cache-missing mode (bench/slice's "cold" rows), when COLD_RUN_FILE is set:
-- every request adds ?window-center=C&window-width=W to the URL, a pair never
-- asked before, so that each request is a new key of the server's cache of
-- rendered slices. C = WINDOW_CENTER + n * 0.001 (n: the thread's request
-- counter), W = WINDOW_WIDTH + run + thread / 100, where run is read from and
-- incremented in COLD_RUN_FILE once per wrk invocation (so a warm-up and the
-- measurement after it never share a key). The window stays within a few
-- units of the file's own, so each picture is as costly as the default one.
local cookie = os.getenv("COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local run_file = os.getenv("COLD_RUN_FILE")
if run_file and run_file ~= "" then
  local this_run = nil  -- main state only; each thread gets it as its global "run"
  local threads = 0

  -- Runs in the main Lua state, once per thread, before the threads start.
  function setup(thread)
    if not this_run then
      local f = io.open(run_file, "r")
      this_run = ((f and tonumber(f:read("*l"))) or 0) + 1
      if f then f:close() end
      f = assert(io.open(run_file, "w"))
      f:write(tostring(this_run), "\n")
      f:close()
    end
    threads = threads + 1
    thread:set("run", this_run)
    thread:set("thread_index", threads)
  end

  local center0 = tonumber(os.getenv("WINDOW_CENTER") or "")
  local width0 = tonumber(os.getenv("WINDOW_WIDTH") or "")
  assert(center0 and width0, "COLD_RUN_FILE needs WINDOW_CENTER and WINDOW_WIDTH")
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  local n = 0

  -- Runs in each thread's own Lua state, where setup set the globals run and
  -- thread_index.
  function request()
    n = n + 1
    local path = string.format("%s%swindow-center=%.3f&window-width=%.2f", wrk.path, sep,
                               center0 + n * 0.001, width0 + run + thread_index / 100)
    return wrk.format(nil, path)
  end
end
