#!/usr/bin/env bash
# make test-fresh: what a new user meets, on machines that have only the
# repository. Our development machines have packages (Node.js 20, GoogleMock,
# ...) that a fresh Debian lacks; only a fresh container shows what is missing.
#
# For each distribution (Debian 12 "bookworm", Debian 13 "trixie"), in a fresh
# container of it (podman, with the host's network so that apt and npm reach
# the package mirrors as the host does):
#   1. prepare  apt-get install git make ca-certificates (what cloning needs)
#   2. clone    git clone of this repository's committed HEAD
#   3. run      `make run` until GET /api/health answers through the front
#   4. smoke    through the front, HTTP and HTTPS (tests/fresh/smoke.sh): log
#               in, POST /api/volume of tests/data/1-101.dcm (raw and as a
#               form): 50080 pixels; Orthanc's routes challenge, curl --anyauth
#   5. test     `make test` (FRESH_TEST=all|none|DISTRIBUTION..., default all)
# then `podman-compose up --build` of docker-compose.yml, the same smoke test
# through the front container's HTTP and HTTPS ports, and `podman-compose down`.
#
# Base images are made with debootstrap from the mirror the host's apt sources
# name, when podman does not have them yet. Everything started here is
# stopped and removed on exit, also on failure. Each step's time is printed,
# and the summary again at the end.
#
#   FRESH_DISTRIBUTIONS  which distributions (default "bookworm trixie"; none:
#                        only the compose step)
#   FRESH_TEST           where `make test` runs: all (default), none, or a list
#   FRESH_COMPOSE        1 (default): also the compose step; 0: not
#   FRESH_LOG_DIR        where each step's full output goes (default: a temp folder)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
distributions="${FRESH_DISTRIBUTIONS:-bookworm trixie}"
[ "$distributions" != none ] || distributions=""
test_in="${FRESH_TEST:-all}"
compose="${FRESH_COMPOSE:-1}"
log_dir="${FRESH_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mis-fresh.XXXXXX")}"
mkdir -p "$log_dir"

# podman's settings for this machine, without touching a system file.
export CONTAINERS_CONF="$root/tests/fresh/containers.conf"
# The host's CA bundle: npm inside the containers trusts what the host trusts
# (a proxy's CA, where one intercepts TLS). Given at run time, never baked in.
host_ca=/etc/ssl/certs/ca-certificates.crt
# The admin password of every server started here: random, never printed.
admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD="$admin_password"

summary=()
say() { printf '%s\n' "$*"; }
record() { summary+=("$*"); say "== $*"; }

# ------------------------------------------------------------ clean-up ----
containers=()
compose_project=""
cleanup() {
  local status=$?
  for name in "${containers[@]}"; do
    podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  done
  if [ -n "$compose_project" ]; then
    (cd "$root" && podman-compose -p "$compose_project" down -v >/dev/null 2>&1) || true
  fi
  say ""
  say "make test-fresh: summary (full logs in $log_dir)"
  for line in "${summary[@]}"; do say "  $line"; done
  [ "$status" -eq 0 ] && say "make test-fresh: passed" || say "make test-fresh: FAILED"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a step, timed: step NAME LOG COMMAND... (the output goes to LOG; its
# last lines are shown when the step fails).
step() {
  local name="$1" log="$2" start end
  shift 2
  start=$(date +%s)
  if ! "$@" > "$log" 2>&1; then
    end=$(date +%s)
    record "$name: FAILED after $((end - start)) s (log: $log)"
    tail -n 40 "$log" >&2
    return 1
  fi
  end=$(date +%s)
  record "$name: $((end - start)) s"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until URL/api/health answers, or the check command fails (the server
# died), or SECONDS pass.
wait_for_health() {  # URL SECONDS CHECK-COMMAND...
  local url="$1" seconds="$2" deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until curl -fsS --max-time 5 "$url/api/health" >/dev/null 2>&1; do
    if ! "$@"; then
      echo "the server stopped before answering" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "no answer from $url/api/health within $seconds s" >&2
      return 1
    fi
    sleep 3
  done
}

# ------------------------------------------------------------- tools ----
"$root/scripts/install-deps.sh" podman runc debootstrap podman-compose curl git python3

# --------------------------------------------------------- base images ----
# The mirror the host's apt uses (deb822 sources, else the one-line format).
mirror() {
  local uri
  uri="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '{ print $1 }' | grep -v security | head -n 1)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' \
    /etc/apt/sources.list 2>/dev/null)"
  [ -n "$uri" ] || { echo "no Debian mirror in the host's apt sources" >&2; return 1; }
  echo "$uri"
}

base_image() {  # DISTRIBUTION
  local distribution="$1" rootfs
  rootfs="$(mktemp -d /var/tmp/mis-rootfs-"$distribution".XXXXXX)"
  debootstrap --variant=minbase "$distribution" "$rootfs" "$(mirror)" &&
    tar -C "$rootfs" -c . | podman import - "debian:$distribution"
  local status=$?
  rm -rf "$rootfs"
  return $status
}

for distribution in $distributions; do
  if ! podman image exists "debian:$distribution"; then
    step "$distribution: base image (debootstrap)" "$log_dir/$distribution-debootstrap.log" \
      base_image "$distribution"
  fi
done

# ------------------------------------------------ fresh containers ----
in_container() {  # NAME COMMAND (run by bash in the clone)
  podman exec "$1" bash -c "cd /root/medical-image-server && $2"
}

# A minimal Debian has no procps: make run writes a file when it ends, and
# the launcher is found by its command line in /proc (its name there is bash's).
server_running() {  # NAME
  ! podman exec "$1" test -e /root/medical-image-server/make-run.status
}

# Ctrl-C, as a user stops it: INT to make run's process group (make, the
# launcher, Orthanc, nginx); the launcher stops both servers.
stop_server() {  # NAME
  podman exec "$1" bash -c 'for process in /proc/[0-9]*; do
      if [ "$(tr "\0" " " 2>/dev/null < "$process/cmdline")" = "bash scripts/run-server.sh " ]; then
        read -r _ _ _ _ group _ < "$process/stat" && kill -INT -- "-$group"
      fi
    done; true'
}

fresh_distribution() {  # DISTRIBUTION
  local distribution="$1" name="mis-fresh-$1-$$" http_port https_port orthanc_port dicom_port
  local run_tests=0
  case " $test_in " in
    *" all "* | *" $distribution "*) run_tests=1 ;;
  esac
  http_port="$(free_port)"
  https_port="$(free_port)"
  orthanc_port="$(free_port)"
  dicom_port="$(free_port)"
  containers+=("$name")

  podman run -d --name "$name" --pull=never --network=host \
    -v "$root:/source:ro" \
    -v "$host_ca:/etc/ssl/certs/host-ca.crt:ro" -e NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt \
    "debian:$distribution" sleep infinity >/dev/null

  step "$distribution: prepare (apt-get install git make ca-certificates)" \
    "$log_dir/$distribution-prepare.log" \
    podman exec -e DEBIAN_FRONTEND=noninteractive "$name" bash -c \
      'apt-get update -qq && apt-get install -y -qq --no-install-recommends git make ca-certificates'
  step "$distribution: clone" "$log_dir/$distribution-clone.log" \
    podman exec "$name" git -c safe.directory='*' clone /source /root/medical-image-server

  # make run in the background of the container, its output in the clone
  # (the shell that records its status outlives the Ctrl-C of stop_server).
  local started=$(date +%s)
  podman exec -d -e MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD "$name" bash -c "trap true INT; \
    cd /root/medical-image-server && HTTP_PORT=$http_port HTTPS_PORT=$https_port \
    ORTHANC_HTTP_PORT=$orthanc_port DICOM_PORT=$dicom_port make run > make-run.log 2>&1; \
    echo \$? > make-run.status" >/dev/null
  if ! wait_for_health "http://127.0.0.1:$http_port" 1800 server_running "$name" \
      > "$log_dir/$distribution-run-wait.log" 2>&1; then
    podman exec "$name" cat /root/medical-image-server/make-run.log \
      > "$log_dir/$distribution-make-run.log" 2>&1 || true
    record "$distribution: make run until /api/health answers: FAILED after" \
      "$(($(date +%s) - started)) s (log: $log_dir/$distribution-make-run.log)"
    tail -n 40 "$log_dir/$distribution-make-run.log" >&2
    return 1
  fi
  record "$distribution: make run until /api/health answers: $(($(date +%s) - started)) s"

  step "$distribution: smoke test through the front (HTTP and HTTPS)" \
    "$log_dir/$distribution-smoke.log" \
    "$root/tests/fresh/smoke.sh" "http://127.0.0.1:$http_port" "$admin_password" \
    "https://127.0.0.1:$https_port"
  sed 's/^/    /' "$log_dir/$distribution-smoke.log"
  summary+=("$(grep -h '^GET /api/health' "$log_dir/$distribution-smoke.log" | sed 's/^/  /')")
  summary+=("$(grep -h '^POST /api/volume' "$log_dir/$distribution-smoke.log" | sed 's/^/  /')")

  stop_server "$name"
  for _ in $(seq 30); do server_running "$name" || break; sleep 1; done
  podman exec "$name" cat /root/medical-image-server/make-run.log \
    > "$log_dir/$distribution-make-run.log" 2>&1 || true

  if [ "$run_tests" -eq 1 ]; then
    step "$distribution: make test" "$log_dir/$distribution-make-test.log" \
      in_container "$name" 'make test'
    # ctest's, Vitest's and node --test's closing lines.
    local line
    while IFS= read -r line; do
      summary+=("  $line")
    done < <(grep -aE '^(1?[0-9]+% tests passed|Total Test time| +Tests +[0-9]+ passed|# (tests|pass|fail) [0-9]+)' \
      "$log_dir/$distribution-make-test.log")
    sed 's/^/    /' <<< "$(grep -aE '^(1?[0-9]+% tests passed| +Tests +[0-9]+ passed|# (pass|fail) )' \
      "$log_dir/$distribution-make-test.log")"
  fi

  podman rm -f -t 0 "$name" >/dev/null
}

for distribution in $distributions; do
  fresh_distribution "$distribution"
done

# ------------------------------------------------------------ compose ----
# docker-compose.yml as a user runs it (`docker compose up --build`), on
# free ports. podman's build gets the host's network and CA bundle (for npm).
compose_up() {
  podman-compose -p "$compose_project" \
    --podman-build-args="--network=host" \
    --podman-build-args="--volume=$host_ca:/etc/ssl/certs/host-ca.crt:ro" \
    --podman-build-args="--build-arg=NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt" \
    up --build -d
}

compose_running() {
  [ -n "$(podman ps -q --filter "label=io.podman.compose.project=$compose_project")" ]
}

if [ "$compose" = 1 ]; then
  compose_project="mis-fresh-$$"
  export MIS_HTTP_PORT MIS_HTTPS_PORT MIS_DICOM_PORT
  MIS_HTTP_PORT="$(free_port)"
  MIS_HTTPS_PORT="$(free_port)"
  MIS_DICOM_PORT="$(free_port)"
  cd "$root"
  # Each build leaves the images it replaces untagged: those are removed at the
  # end (the ones that were untagged before are not ours to remove).
  untagged_before="$(podman images -q --filter dangling=true | sort)"
  step "compose: podman-compose up --build" "$log_dir/compose-up.log" compose_up
  tail -n 15 "$log_dir/compose-up.log" | sed 's/^/    /'
  started=$(date +%s)
  if ! wait_for_health "http://127.0.0.1:$MIS_HTTP_PORT" 300 compose_running \
      > "$log_dir/compose-wait.log" 2>&1; then
    podman-compose -p "$compose_project" logs > "$log_dir/compose-logs.log" 2>&1 || true
    record "compose: /api/health through the front: FAILED (log: $log_dir/compose-logs.log)"
    tail -n 40 "$log_dir/compose-logs.log" >&2
    exit 1
  fi
  record "compose: /api/health through the front: $(($(date +%s) - started)) s"
  step "compose: smoke test through the front (HTTP and HTTPS)" "$log_dir/compose-smoke.log" \
    "$root/tests/fresh/smoke.sh" "http://127.0.0.1:$MIS_HTTP_PORT" "$admin_password" \
    "https://127.0.0.1:$MIS_HTTPS_PORT"
  sed 's/^/    /' "$log_dir/compose-smoke.log"
  summary+=("$(grep -h '^POST /api/volume' "$log_dir/compose-smoke.log" | sed 's/^/  /')")
  podman-compose -p "$compose_project" logs > "$log_dir/compose-logs.log" 2>&1 || true
  step "compose: podman-compose down" "$log_dir/compose-down.log" \
    podman-compose -p "$compose_project" down -v
  compose_project=""
  comm -13 <(echo "$untagged_before") <(podman images -q --filter dangling=true | sort) |
    xargs -r podman rmi -f >/dev/null 2>&1 || true
fi
