-- wrk script: POST one file as the raw request body (how bench/volume loads our
-- server: Orthanc 1.10 consumes POSTed multipart/form-data bodies itself).
-- Usage: DICOM=path [CONTENT_TYPE=type] wrk -s rawpost.lua URL
local path = os.getenv("DICOM")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*all")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/dicom"
