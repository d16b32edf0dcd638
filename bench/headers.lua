-- wrk script: the plain request of wrk's URL (GET) with the headers of HEADERS
-- added; how bench/auth sends credentials, which thus stay off the command line.
-- Usage: [HEADERS="Name:value;Other:value"] wrk -s headers.lua URL
--   e.g. HEADERS="Cookie:mis_session=<token>" or HEADERS="Authorization:Bearer <token>"
local extra = os.getenv("HEADERS")
if extra then
  for k, v in string.gmatch(extra, "([^:;]+):([^;]+)") do wrk.headers[k] = v end
end
