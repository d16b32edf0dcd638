# Helpers shared by the benchmark scripts (sourced, not run). bench/volume,
# bench/auth and bench/slice still carry their own copies of the same code;
# new scripts source this file instead.
#
# The sourcing script sets, before calling them:
#   work         its temporary directory
#   results      its result file (say, sayf)
#   server_pids  the pids of its servers, space-separated (cpu_mark)
#   server_trees optional: pids of servers that fork (PostgreSQL's postmaster),
#                whose children, live or finished, count as ours too (cpu_mark)
# and gets child_pid, the process run_child waits for (stop it on exit).
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034  # work and results come from, disturbed goes to, the script

python=/usr/bin/python3  # Debian's; only its standard library is used
child_pid=""

# -------------------------------------------------------------- tools ----
# need_command COMMAND DEBIAN-PACKAGE: records a missing tool; report_missing
# then names them all with their packages and exits 2.
missing=()
packages=()
need_command() {
  command -v "$1" >/dev/null 2>&1 || { missing+=("$1"); packages+=("$2"); }
}
need_file() {  # FILE WHAT DEBIAN-PACKAGE
  [ -e "$1" ] || { missing+=("$2"); packages+=("$3"); }
}
report_missing() {  # SCRIPT-NAME WHY-LINE
  [ ${#missing[@]} -eq 0 ] && return 0
  {
    echo "$1: missing tools:"
    printf '  - %s\n' "${missing[@]}"
    echo "$2"
    echo "This script installs nothing. On Debian:"
    echo "  sudo apt-get install ${packages[*]}"
  } >&2
  exit 2
}

# ---------------------------------------------------------- processes ----
# shellcheck disable=SC2317  # also runs from the sourcing script's trap
stop_process() {  # PID: SIGTERM, then SIGKILL after 15 s
  local pid="$1" _
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

# Runs a command in the background and waits for it, so that Ctrl-C and
# SIGTERM reach the trap at once rather than when the command ends.
run_child() {
  "$@" &
  child_pid=$!
  local status=0
  wait "$child_pid" || status=$?
  child_pid=""
  return "$status"
}

free_ports() {  # COUNT: prints COUNT free TCP ports
  "$python" -c '
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("0.0.0.0", 0))
print(*(s.getsockname()[1] for s in sockets))' "$1"
}

# ------------------------------------------------------------- output ----
say() { printf '%s\n' "$*" | tee -a "$results"; }
# shellcheck disable=SC2059  # the first argument is the format
sayf() { printf "$@" | tee -a "$results"; }

# The header lines every result file starts with: machine, project, server.
say_machine_and_build() {  # ROOT PLUGIN
  local root="$1" plugin="$2" rev build_type
  rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  git -C "$root" diff --quiet HEAD -- plugin 2>/dev/null || rev="$rev (plugin/ modified)"
  build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$(dirname "$plugin")/CMakeCache.txt" 2>/dev/null || true)"
  say "  machine:  $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  say "  project:  $root at $rev"
  say "  server:   $(/usr/sbin/Orthanc --version 2>/dev/null | head -n1) + $plugin"
  say "            (built $(date -r "$plugin" '+%Y-%m-%d %H:%M:%S'), CMAKE_BUILD_TYPE ${build_type:-unknown};" \
      "a copy is loaded)"
  if [ -n "$(find "$root/plugin/src" "$root/plugin/CMakeLists.txt" -newer "$plugin" -type f 2>/dev/null | head -n1)" ]; then
    say "  WARNING: plugin/src has files newer than the .so: rebuild to measure the current sources."
  fi
}

# ------------------------------------------------- other work's CPU share ----
# Other work on the machine (a build, tests, other servers) falsifies every
# figure on 2 cores, so each measurement reports the share of the CPUs used
# meanwhile by processes other than ours: the CPU time of all CPUs (user + nice
# + system, /proc/stat) minus that of our servers ($server_pids) and of this
# shell's finished children (curl, storescu, ...). For the pids of
# $server_trees (a server that forks a process per connection), also the time of
# their live children and of their finished ones (cutime, cstime, counted once
# the server has reaped them).
# cpu_mark NAME stores "seconds all ours children" in the variable NAME.
clock_ticks="$(getconf CLK_TCK)"
cpus="$(nproc)"
cpu_mark() {
  local _label user nice system _rest pid line ours=0 children stat
  local -a fields
  read -r _label user nice system _rest < /proc/stat
  for pid in ${server_pids:-}; do
    if read -r line < "/proc/$pid/stat" 2>/dev/null; then
      read -r -a fields <<< "${line##*) }"  # after the command name; utime, stime: 12th, 13th
      ours=$((ours + fields[11] + fields[12]))
    fi
  done
  if [ -n "${server_trees:-}" ]; then
    for stat in /proc/[0-9]*/stat; do
      read -r line 2>/dev/null < "$stat" || continue  # the process may have ended
      read -r -a fields <<< "${line##*) }"  # state, ppid (2nd), ... cutime, cstime: 14th, 15th
      pid="${stat#/proc/}" pid="${pid%/stat}"
      if [[ " $server_trees " == *" $pid "* ]]; then
        ours=$((ours + fields[11] + fields[12] + fields[13] + fields[14]))
      elif [[ " $server_trees " == *" ${fields[1]} "* ]]; then
        ours=$((ours + fields[11] + fields[12]))
      fi
    done
  fi
  times > "$work/times"  # not in a subshell: it must see this shell's reaped children
  children="$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m");
                sub("s", "", p[2]); t += p[1] * 60 + p[2] } print t }' "$work/times")"
  printf -v "$1" '%s %s %s %s' "$(date +%s.%N)" "$((user + nice + system))" "$ours" "$children"
}
other_cpu_percent() {  # MARK-BEFORE MARK-AFTER: percentage of all CPUs used by others
  awk -v a="$1" -v b="$2" -v hz="$clock_ticks" -v cpus="$cpus" 'BEGIN {
    split(a, x); split(b, y)
    other = ((y[2] - x[2]) - (y[3] - x[3])) / hz - (y[4] - x[4])
    pct = 100 * other / ((y[1] - x[1]) * cpus)
    printf "%.0f", (pct < 0 ? 0 : pct) }'
}
disturbed=0
warn_if_disturbed() {  # PERCENT WHAT
  if [ "$1" -gt 10 ]; then
    say "  WARNING: other processes used $1% of the CPUs during $2: its figures are disturbed;" \
        "run again on a quiet machine."
    disturbed=1
  fi
}
say_idle_share() {  # RETRIES: the other work's share over 2 s before the run
  local before after idle
  cpu_mark before
  sleep 2
  cpu_mark after
  idle="$(other_cpu_percent "$before" "$after")"
  say "  before the run, other processes used $idle% of the CPUs (over 2 s)"
  [ "$idle" -le 10 ] ||
    say "  WARNING: the machine is not quiet; disturbed measurements will be repeated (RETRIES=$1)."
}

# ------------------------------------------------------------ numbers ----
median() {  # of the numbers on stdin, one a line
  sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
