#!/usr/bin/env bash
# Starts the medical image server in the foreground: Orthanc with
# orthanc-config/orthanc.json, Debian's DICOMweb plugin and our plugin, on an
# internal port of the loopback interface, and nginx in front of it
# (orthanc-config/front/, rendered by scripts/render-front.sh), the only HTTP
# port users reach. Ctrl-C (INT or TERM) stops both; when either stops on its
# own, the other is stopped too and the script exits non-zero.
#
# What differs between instances (ports, storage) goes into a generated
# runtime.json beside a copy of the config and into the front's rendered
# configuration, so that several servers can run side by side:
#   HTTP_PORT (8042)      the front's plain HTTP, on 127.0.0.1 only
#   HTTPS_PORT (8443)     the front's HTTPS, on every interface
#   TLS_CERT, TLS_KEY     its certificate and key (PEM); without them a
#                         self-signed certificate made at first start, kept in
#                         STATE_DIR/front/tls/
#   ORTHANC_HTTP_PORT     Orthanc's own HTTP port, on the loopback interface
#                         (default: HTTP_PORT + 10000, or - 10000 above 55535)
#   DICOM_PORT (4242), STATE_DIR (./state), PLUGIN (built .so),
#   ORTHANC_CONFIG (orthanc-config/orthanc.json: another file with the same
#   settings but, e.g., another MedicalImageServer section, as the benchmarks use)
#   FRONT (1)             0: Orthanc alone on HTTP_PORT (loopback only), no
#                         nginx, the script replaced by Orthanc (exec): what
#                         the benchmarks and the plugin's contract tests measure
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
front="${FRONT:-1}"
http_port="${HTTP_PORT:-8042}"
https_port="${HTTPS_PORT:-8443}"
dicom_port="${DICOM_PORT:-4242}"
if [ "$front" = 0 ]; then
  orthanc_http_port="$http_port"
elif [ -n "${ORTHANC_HTTP_PORT:-}" ]; then
  orthanc_http_port="$ORTHANC_HTTP_PORT"
elif [ "$http_port" -le 55535 ]; then
  orthanc_http_port=$((http_port + 10000))
else
  orthanc_http_port=$((http_port - 10000))
fi
# Patient data, the users database, the TLS key: for this user's eyes only.
umask 077
state_dir="$(mkdir -p "${STATE_DIR:-$root/state}" && cd "${STATE_DIR:-$root/state}" && pwd)"
# Absolute: Orthanc resolves plugin paths from the configuration's folder and
# starts without a plugin it cannot find, which would leave it unprotected.
plugin="$(realpath -m "${PLUGIN:-$root/build/libmedical-image-server.so}")"
config="${ORTHANC_CONFIG:-$root/orthanc-config/orthanc.json}"
plugins_dir="/usr/share/orthanc/plugins"
# DICOMweb is required; GDCM (JPEG 2000 decoding) is used when installed.
plugins="\"$plugins_dir/libOrthancDicomWeb.so\""
[ -f "$plugins_dir/libOrthancGdcm.so" ] && plugins="$plugins, \"$plugins_dir/libOrthancGdcm.so\""

[ -f "$plugin" ] || { echo "plugin not built: $plugin (run 'make build')" >&2; exit 1; }
[ -f "$config" ] || { echo "no configuration file: $config" >&2; exit 1; }
case "$front" in 0 | 1) ;; *) echo "FRONT must be 0 or 1, not $front" >&2; exit 1 ;; esac

config_dir="$state_dir/config"
mkdir -p "$config_dir" "$state_dir/storage"
cp "$config" "$config_dir/orthanc.json"
# RemoteAccessAllowed false: Orthanc answers the loopback interface only (the
# front, or the benchmarks' clients), whatever reaches its port from elsewhere.
cat > "$config_dir/runtime.json" <<JSON
{
  "HttpPort": $orthanc_http_port,
  "RemoteAccessAllowed": false,
  "DicomPort": $dicom_port,
  "StorageDirectory": "$state_dir/storage",
  "IndexDirectory": "$state_dir/storage",
  "Plugins": [$plugins, "$plugin"]
}
JSON

cd "$root"  # the plugin resolves DataDirectory and FrontendDirectory from here
# DCMTK reads TCP_NODELAY: C-STORE is several times faster with it.
export TCP_NODELAY=1

if [ "$front" = 0 ]; then
  echo "Medical image server (Orthanc alone, no front): http://127.0.0.1:$http_port/" \
    "(DICOM port $dicom_port, state in $state_dir)"
  echo "Stop it with Ctrl-C."
  exec /usr/sbin/Orthanc "$config_dir"
fi

# The front forwards to whatever answers on Orthanc's port: refuse to start
# when something already does (Orthanc would fail to bind it, but not before
# the front had sent it a request or two).
if (exec 3<>"/dev/tcp/127.0.0.1/$orthanc_http_port") 2>/dev/null; then
  echo "port $orthanc_http_port (ORTHANC_HTTP_PORT) is already in use on 127.0.0.1" >&2
  exit 1
fi

# The front: nginx as this user, everything it writes under STATE_DIR/front.
front_dir="$state_dir/front"
MIS_HTTP_LISTEN="127.0.0.1:$http_port" MIS_HTTPS_LISTEN="$https_port" \
  MIS_UPSTREAMS="127.0.0.1:$orthanc_http_port" MIS_UI_DIR="$root/frontend/dist" \
  MIS_ORTHANC_CONFIG="$config" MIS_SECURITY_HEADERS="$root/plugin/resources/ui-security-headers.conf" \
  MIS_TLS_CERT="${TLS_CERT:-}" MIS_TLS_KEY="${TLS_KEY:-}" MIS_FRONT_MAIN=1 \
  "$root/scripts/render-front.sh" "$front_dir"
# nginx holds each upload in one buffer of its size (up to 1 MiB, front.conf):
# glibc would map and unmap such a buffer for every request and the kernel
# clear its pages each time (a third of the front's cost on /api/volume in
# bench/front); below 8 MiB, malloc reuses its heap instead. The front's
# image (frontend/Dockerfile) sets the same.
malloc_tunables="glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=33554432"
nginx=(env GLIBC_TUNABLES="$malloc_tunables" /usr/sbin/nginx -e stderr -p "$front_dir" -c "$front_dir/nginx.conf")
"${nginx[@]}" -t -q || { echo "the front's nginx configuration is refused (above)" >&2; exit 1; }

echo "Medical image server: http://127.0.0.1:$http_port/ and https://localhost:$https_port/"
echo "  (Orthanc on 127.0.0.1:$orthanc_http_port, DICOM port $dicom_port, state in $state_dir)"
echo "Stop it with Ctrl-C."

orthanc_pid=""
nginx_pid=""
stopping=0
# Stops both: nginx at once (it takes a repeated signal calmly), Orthanc in
# the loop below. A second Ctrl-C kills both.
stop_both() {
  if [ "$stopping" -eq 1 ]; then
    kill -KILL $orthanc_pid $nginx_pid 2>/dev/null || true
  fi
  stopping=1
  [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
}
# Orthanc catches TERM (and INT) only while it runs: once a signal has made it
# begin to stop, it restores their default action, and a TERM of ours on top
# (a Ctrl-C reaches the whole process group, Orthanc included) would kill it
# in the middle of stopping. So it gets TERM once, while it catches TERM, or
# while it is still starting: then INT is still ignored, as for every
# background process of a script, and TERM ends the start.
wants_term() {  # PID
  local caught ignored
  read -r caught ignored < <(awk '$1 == "SigCgt:" { c = $2 } $1 == "SigIgn:" { i = $2 }
    END { print c, i }' "/proc/$1/status" 2>/dev/null)
  [ -n "$caught" ] && [ -n "$ignored" ] || return 1
  (((16#$caught >> 14) & 1)) || (((16#$ignored >> 1) & 1))
}
requested=0
# Before the start: stop here; after it: stop both.
trap 'requested=1; [ -n "$nginx_pid" ] || exit 130; stop_both' INT TERM
# Whatever ends this script (an error included) ends both.
trap 'kill -TERM $orthanc_pid $nginx_pid 2>/dev/null || true' EXIT

/usr/sbin/Orthanc "$config_dir" &
orthanc_pid=$!
"${nginx[@]}" &
nginx_pid=$!

# Until either ends (or a signal arrives: the trap then stops nginx).
ended=""
wait -n -p ended "$orthanc_pid" "$nginx_pid" || true
if [ "$requested" -eq 0 ]; then
  if [ "$ended" = "$orthanc_pid" ]; then
    echo "Orthanc stopped: stopping the front" >&2
  else
    echo "nginx (the front) stopped: stopping Orthanc" >&2
  fi
  stop_both
fi
orthanc_told=0
while kill -0 "$orthanc_pid" 2>/dev/null || kill -0 "$nginx_pid" 2>/dev/null; do
  if [ "$orthanc_told" -eq 0 ] && wants_term "$orthanc_pid"; then
    kill -TERM "$orthanc_pid" 2>/dev/null || true
    orthanc_told=1
  fi
  sleep 0.2
done
# nginx's workers outlive a master that was killed outright, and would keep
# the ports: end those of this process group too.
read -r _ _ _ _ own_group _ < /proc/$$/stat
for stat in /proc/[0-9]*/stat; do
  read -r pid name _ _ group _ < "$stat" 2>/dev/null || continue
  [ "$name" = "(nginx)" ] && [ "$group" = "$own_group" ] && { kill -TERM "$pid" 2>/dev/null || true; }
done
trap - EXIT
[ "$requested" -eq 1 ] || exit 1
exit 0
