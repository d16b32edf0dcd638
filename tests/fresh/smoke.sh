#!/usr/bin/env bash
# The smoke test a new user would do by hand, against a running server's
# HTTP front (make run, docker compose):
#   tests/fresh/smoke.sh BASE_URL ADMIN_PASSWORD [HTTPS_URL]
# Waits for GET /api/health, logs in as admin (POST /api/auth/login, session
# cookie), sends tests/data/1-101.dcm to POST /api/volume, raw and as a POSTed
# form, and checks the answers' pixel count against the figure pydicom + numpy
# give for that file (50080, as the integration tests compute it); checks that
# Orthanc's own routes challenge for a password (401, Basic) which
# curl --anyauth answers, then that the UI's files carry the security headers
# of plugin/resources/ui-security-headers.conf. With HTTPS_URL, the health
# route and a login over HTTPS too (the certificate checked against
# SMOKE_CACERT when set, else not checked: a self-signed one), whose cookie
# must be Secure. Prints the answers; exits non-zero on any difference.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
base="${1:?usage: smoke.sh BASE_URL ADMIN_PASSWORD [HTTPS_URL]}"
password="${2:?usage: smoke.sh BASE_URL ADMIN_PASSWORD [HTTPS_URL]}"
https_base="${3:-}"
expected_pixels=50080

work="$(mktemp -d "${TMPDIR:-/tmp}/mis-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

health="$(curl -fsS --max-time 10 "$base/api/health")"
echo "GET /api/health: $health"

# The password goes through a file, not the command line (visible in ps).
python3 -c 'import json, sys; print(json.dumps({"username": "admin", "password": sys.argv[1]}))' \
  "$password" > "$work/login.json"
login_status="$(curl -sS --max-time 30 -o "$work/login.out" -w '%{http_code}' \
  -c "$work/cookies.txt" -H 'Content-Type: application/json' \
  --data-binary @"$work/login.json" "$base/api/auth/login")"
if [ "$login_status" != 200 ]; then
  echo "POST /api/auth/login answered $login_status: $(cat "$work/login.out")" >&2
  exit 1
fi

pixels_of() {  # the pixel count of a volume answer
  python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get("pixels_above_threshold"))' "$1"
}
for how in raw form; do
  if [ "$how" = raw ]; then
    body=(-H 'Content-Type: application/dicom' --data-binary @"$root/tests/data/1-101.dcm")
  else  # as an HTML form posts it: the front forwards it as a PUT
    body=(-F file=@"$root/tests/data/1-101.dcm")
  fi
  volume="$(curl -sS --max-time 60 -b "$work/cookies.txt" -X POST "${body[@]}" "$base/api/volume")"
  echo "POST /api/volume (1-101.dcm, $how): $volume"
  pixels="$(pixels_of "$volume")"
  if [ "$pixels" != "$expected_pixels" ]; then
    echo "expected $expected_pixels pixels above the threshold, got $pixels" >&2
    exit 1
  fi
done

# Orthanc's own routes: a Basic challenge without credentials, which curl
# --anyauth answers (the password in a curl config file, not on the command line).
challenge="$(curl -sS --max-time 10 -o /dev/null -D - "$base/dicom-web/studies" |
  tr -d '\r' | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: *//p')"
case "$challenge" in
  Basic*) echo "GET /dicom-web/studies without credentials: 401, WWW-Authenticate: $challenge" ;;
  *) echo "GET /dicom-web/studies without credentials: no Basic challenge ($challenge)" >&2; exit 1 ;;
esac
python3 -c 'import sys; print("user = \"admin:%s\"" % sys.argv[1].replace("\\", "\\\\").replace("\"", "\\\""))' \
  "$password" > "$work/curl-credentials"
qido="$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -K "$work/curl-credentials" --anyauth \
  "$base/dicom-web/studies")"
echo "GET /dicom-web/studies with curl --anyauth: $qido"
[ "$qido" = 200 ] || exit 1

if [ -n "$https_base" ]; then
  tls=(-k)
  [ -z "${SMOKE_CACERT:-}" ] || tls=(--cacert "$SMOKE_CACERT")
  echo "GET $https_base/api/health: $(curl -fsS --max-time 10 "${tls[@]}" "$https_base/api/health")"
  cookie="$(curl -sS --max-time 30 "${tls[@]}" -o /dev/null -D - -H 'Content-Type: application/json' \
    --data-binary @"$work/login.json" "$https_base/api/auth/login" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *//p')"
  case "$cookie" in
    *"; Secure"*) echo "POST /api/auth/login over HTTPS: a Secure session cookie" ;;
    *) echo "POST /api/auth/login over HTTPS: no Secure session cookie" >&2; exit 1 ;;
  esac
fi

# The UI's security headers: every line of plugin/resources/ui-security-headers.conf
# (which nginx includes and the plugin is built from), once each, on the page
# and on the first asset it loads, whichever of the two serves them here.
python3 - "$root/plugin/resources/ui-security-headers.conf" "$base" <<'PYTHON'
import re, sys, urllib.request
lines = open(sys.argv[1], encoding="ascii").read().splitlines()
expected = [m.groups() for m in
            (re.fullmatch(r'\s*add_header (\S+) "([^"]*)" always;', line) for line in lines) if m]
if not expected:
    sys.exit(f"no add_header line in {sys.argv[1]}")
page = urllib.request.urlopen(sys.argv[2] + "/ui/", timeout=10)
asset = re.search(r'/ui/assets/[^"]+', page.read().decode())
if not asset:
    sys.exit("GET /ui/: no /ui/assets/ file in the page")
for path, answer in (("/ui/", page),
                     (asset.group(0), urllib.request.urlopen(sys.argv[2] + asset.group(0), timeout=10))):
    for name, value in expected:
        got = answer.headers.get_all(name) or []
        if got != [value]:
            sys.exit(f"GET {path}: {name} is {got}, expected [{value!r}]")
print(f"GET /ui/ and {asset.group(0)}: the {len(expected)} security headers of the shared file")
PYTHON
echo "smoke test passed: $pixels pixels above the threshold"
