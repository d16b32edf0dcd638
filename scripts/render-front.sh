#!/usr/bin/env bash
# Renders the HTTP front's nginx configuration (orthanc-config/front/, the one
# source for make run, docker-compose.yml and the cluster) into a folder:
#   scripts/render-front.sh OUTPUT_DIR
# writes OUTPUT_DIR/front.conf (for nginx's http block) and the files it
# includes; with MIS_FRONT_MAIN=1 also OUTPUT_DIR/nginx.conf, a main
# configuration for nginx run by a normal user:
#   nginx -e stderr -p OUTPUT_DIR -c OUTPUT_DIR/nginx.conf
# What differs between the ways of running it comes from the environment:
#   MIS_HTTP_LISTEN       plain HTTP listen address (127.0.0.1:8042; 80 in a container)
#   MIS_HTTPS_LISTEN      HTTPS listen address (8443; 443 in a container)
#   MIS_UPSTREAMS         Orthanc's HTTP host:port, several separated by spaces
#                         for the nodes of a scale-out set-up
#   MIS_UI_DIR            the built web UI (frontend/dist)
#   MIS_ORTHANC_CONFIG    Orthanc's configuration file: its
#                         MedicalImageServer.MaxUploadMegabytes (512 if absent)
#                         is the front's upload limit too
#   MIS_SECURITY_HEADERS  plugin/resources/ui-security-headers.conf
#   MIS_TLS_CERT, MIS_TLS_KEY  the certificate (PEM, with its chain) and its
#                         key; when neither is set, a self-signed certificate
#                         for localhost in MIS_TLS_DIR (OUTPUT_DIR/tls), made
#                         with openssl when it is not there yet
#   MIS_FRONT_TEMPLATES   the templates (orthanc-config/front beside this script)
# Only the ${MIS_...} names above are replaced (envsubst with an explicit
# list): nginx's own $variables stay as they are.
set -euo pipefail

out="${1:?usage: render-front.sh OUTPUT_DIR}"
templates="${MIS_FRONT_TEMPLATES:-$(cd "$(dirname "$0")/.." && pwd)/orthanc-config/front}"

fail() { echo "render-front.sh: $*" >&2; exit 1; }
require() {  # NAME...: each must be set and not empty
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || fail "$name is not set"
  done
}
# Paths and addresses go into nginx's configuration between double quotes or
# as bare words: refuse what would end them or name a variable there.
plain() {  # NAME...
  local name
  for name in "$@"; do
    case "${!name}" in
      *[\"\\\$\;{}\'[:cntrl:]]*) fail "$name holds a character nginx would misread: ${!name}" ;;
    esac
  done
}

require MIS_HTTP_LISTEN MIS_HTTPS_LISTEN MIS_UPSTREAMS MIS_UI_DIR MIS_ORTHANC_CONFIG \
  MIS_SECURITY_HEADERS
[ -d "$templates" ] || fail "no templates in $templates"
[ -f "$MIS_UI_DIR/index.html" ] || fail "the web UI is not built: no $MIS_UI_DIR/index.html"
[ -f "$MIS_ORTHANC_CONFIG" ] || fail "no Orthanc configuration $MIS_ORTHANC_CONFIG"
[ -f "$MIS_SECURITY_HEADERS" ] || fail "no security headers file $MIS_SECURITY_HEADERS"
mkdir -p "$out"
MIS_FRONT_DIR="$(cd "$out" && pwd)"
MIS_UI_DIR="$(cd "$MIS_UI_DIR" && pwd)"

# The upload limit: the plugin's own, so that the front refuses exactly what
# the plugin would, before reading the body.
megabytes="$(sed -n 's/.*"MaxUploadMegabytes"[[:space:]]*:[[:space:]]*\([0-9]\{1,6\}\)\([^0-9.].*\)\{0,1\}$/\1/p' \
  "$MIS_ORTHANC_CONFIG" | head -n 1)"
if [ -z "$megabytes" ]; then
  ! grep -q '"MaxUploadMegabytes"' "$MIS_ORTHANC_CONFIG" ||
    fail "MaxUploadMegabytes in $MIS_ORTHANC_CONFIG is not a whole number"
  megabytes=512
fi
megabytes=$((10#$megabytes))
[ "$megabytes" -ge 1 ] && [ "$megabytes" -le 65536 ] ||
  fail "MaxUploadMegabytes $megabytes is outside 1..65536"
MIS_MAX_UPLOAD_MEGABYTES="$megabytes"
MIS_MAX_UPLOAD_BYTES="$((megabytes * 1048576))"

MIS_UPSTREAM_SERVERS=""
for server in $MIS_UPSTREAMS; do
  case "$server" in
    *:[0-9]*) ;;
    *) fail "MIS_UPSTREAMS: $server is not host:port" ;;
  esac
  MIS_UPSTREAM_SERVERS+="    server $server;"$'\n'
done
MIS_UPSTREAM_SERVERS="${MIS_UPSTREAM_SERVERS%$'\n'}"

# TLS: the configured certificate, or a self-signed one made once (the key
# readable by its owner only, never printed).
if [ -n "${MIS_TLS_CERT:-}${MIS_TLS_KEY:-}" ]; then
  require MIS_TLS_CERT MIS_TLS_KEY
  [ -r "$MIS_TLS_CERT" ] || fail "cannot read the certificate $MIS_TLS_CERT"
  [ -r "$MIS_TLS_KEY" ] || fail "cannot read the key $MIS_TLS_KEY"
  case "$(stat -L -c %a "$MIS_TLS_KEY")" in
    *00) ;;
    *) echo "render-front.sh: warning: $MIS_TLS_KEY can be read by other users (chmod 600 it)" >&2 ;;
  esac
else
  tls_dir="${MIS_TLS_DIR:-$MIS_FRONT_DIR/tls}"
  MIS_TLS_CERT="$tls_dir/cert.pem"
  MIS_TLS_KEY="$tls_dir/key.pem"
  if [ ! -s "$MIS_TLS_CERT" ] || [ ! -s "$MIS_TLS_KEY" ]; then
    (umask 077 && mkdir -p "$tls_dir")
    chmod 700 "$tls_dir"
    rm -f "$tls_dir/key.pem.new" "$tls_dir/cert.pem.new"
    if ! errors="$(umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -noenc -days 825 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
        -keyout "$tls_dir/key.pem.new" -out "$tls_dir/cert.pem.new" 2>&1)"; then
      rm -f "$tls_dir/key.pem.new" "$tls_dir/cert.pem.new"
      fail "openssl could not make a certificate: $errors"
    fi
    chmod 600 "$tls_dir/key.pem.new"
    mv "$tls_dir/key.pem.new" "$MIS_TLS_KEY"
    mv "$tls_dir/cert.pem.new" "$MIS_TLS_CERT"
    echo "Made a self-signed TLS certificate for localhost: $MIS_TLS_CERT" \
      "($(openssl x509 -in "$MIS_TLS_CERT" -noout -fingerprint -sha256))"
  fi
  chmod 600 "$MIS_TLS_KEY"
fi

plain MIS_HTTP_LISTEN MIS_HTTPS_LISTEN MIS_UPSTREAMS MIS_UI_DIR MIS_FRONT_DIR MIS_TLS_CERT \
  MIS_TLS_KEY
export MIS_HTTP_LISTEN MIS_HTTPS_LISTEN MIS_UPSTREAM_SERVERS MIS_UI_DIR MIS_FRONT_DIR \
  MIS_TLS_CERT MIS_TLS_KEY MIS_MAX_UPLOAD_BYTES MIS_MAX_UPLOAD_MEGABYTES
variables='${MIS_HTTP_LISTEN} ${MIS_HTTPS_LISTEN} ${MIS_UPSTREAM_SERVERS} ${MIS_UI_DIR}
  ${MIS_FRONT_DIR} ${MIS_TLS_CERT} ${MIS_TLS_KEY} ${MIS_MAX_UPLOAD_BYTES}
  ${MIS_MAX_UPLOAD_MEGABYTES}'

render() {  # TEMPLATE OUTPUT
  envsubst "$variables" < "$templates/$1" > "$MIS_FRONT_DIR/$2.new"
  if grep -n '\${MIS_' "$MIS_FRONT_DIR/$2.new" >&2; then
    rm -f "$MIS_FRONT_DIR/$2.new"
    fail "$1 names a variable this script does not set (above)"
  fi
  mv "$MIS_FRONT_DIR/$2.new" "$MIS_FRONT_DIR/$2"
}
render front.conf.template front.conf
render proxy.conf proxy.conf
render api-errors.conf api-errors.conf
render access-check.conf access-check.conf
render body-checks.mjs body-checks.mjs
cp "$MIS_SECURITY_HEADERS" "$MIS_FRONT_DIR/ui-security-headers.conf"
if [ "${MIS_FRONT_MAIN:-0}" = 1 ]; then
  # Started by root (make run as root), nginx would run its workers as nobody,
  # who cannot read a checkout under /root: they run as the user who started
  # it, as Orthanc does.
  MIS_WORKER_USER=""
  [ "$(id -u)" -ne 0 ] || MIS_WORKER_USER="user root;"
  export MIS_WORKER_USER
  variables+=' ${MIS_WORKER_USER}'
  render nginx.conf.template nginx.conf
  mkdir -p "$MIS_FRONT_DIR/temp"
fi
