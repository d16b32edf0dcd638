-- wrk script: POST one file as the raw request body (how bench/volume loads our
-- server: Orthanc 1.10 consumes POSTed multipart/form-data bodies itself; bench/auth
-- posts the login JSON with it).
-- Usage: DICOM=path [CONTENT_TYPE=type] [HEADERS="Name:value;Other:value"] wrk -s rawpost.lua URL
--   DICOM may name any file; HEADERS="Cookie:mis_session=<token>" sends a session cookie.
local path = os.getenv("DICOM")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*all")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/dicom"
local extra = os.getenv("HEADERS")
if extra then
  for k, v in string.gmatch(extra, "([^:;]+):([^;]+)") do wrk.headers[k] = v end
end
