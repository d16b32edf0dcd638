-- wrk script: POST one DICOM file as multipart/form-data field "file" (how
-- bench/volume loads the reference peer, which accepts nothing else).
-- Usage: DICOM=path [HEADERS="Name:value;Other:value"] wrk -s multipart.lua URL
local path = os.getenv("DICOM")
local f = assert(io.open(path, "rb"))
local payload = f:read("*all")
f:close()
local boundary = "----benchboundary7MA4YWxkTrZu0gW"
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
local extra = os.getenv("HEADERS")
if extra then
  for k, v in string.gmatch(extra, "([^:;]+):([^;]+)") do wrk.headers[k] = v end
end
wrk.body = "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="file"; filename="x.dcm"\r\n' ..
  "Content-Type: application/dicom\r\n\r\n" .. payload .. "\r\n--" .. boundary .. "--\r\n"
