"""The benchmarks' shared harness: what bench/volume, auth, slice, ingest, load and
cluster all do, done one way.

- Requirements: the tools a benchmark needs and the Debian package of each; a
  missing one ends the run with status 2 before anything starts.
- Run: one run of a benchmark: its temporary folder, its result file
  (bench/results/<name>-<date>_<time>.txt), what it says (terminal and file),
  the processes it starts, all stopped on exit, failure, Ctrl-C or SIGTERM; an
  interrupted run's file ends with "RUN ABORTED".
- The other work's share of the CPUs: on the 2-core development machine a build
  or a test run falsifies every figure, so each measurement reports the share
  of all CPUs used meanwhile by processes other than ours, and a measurement
  disturbed by more than 10 % is taken again (Run.measure).
- Servers: Orthanc with our plugin (scripts/run-server.sh) or without it, on
  free ports; waiting until a route answers; logging in; API tokens.
- Loads: wrk rows (WrkRow), curl clients over one keep-alive connection,
  STOW-RS bodies and the check of their answers.
- Numbers and tables: medians, spreads, verdicts, fixed-width columns.

Only Python's standard library: Debian's python3 is all a run needs of Python.
Exit status of every benchmark: 0 measured (whether or not the targets are
met), 1 a wrong answer or a failed request, 2 a tool or an input missing.
"""
# The modules, in the order a run uses them: basics (paths, the two failures,
# settings), requirements (tools and inputs), run (a run, its processes, the
# other work's share), servers, loads (wrk, curl, STOW-RS, ingest samples) and
# numbers (medians, tables). The benchmarks import from the package itself.
from .basics import (BENCH_DIR, ORTHANC, PYTHON, ROOT, SERIES_DIR, TEST_FILE, TEST_FILE_COUNT, Unmeasurable,
                     WrongAnswer, curl_version, first_line, knob, main, wrk_version)
from .loads import Stow, Throughput, curl_chain, parse_wrk, statuses_all_200, timed, wrk, wrk_rows
from .numbers import Table, median, mib, rate, spread, verdict
from .requirements import (Requirements, built_plugin, built_users_tool, require_default_volume,
                           required_series, series_files)
from .run import Run
from .servers import (Server, api_token, free_ports, login_json, orthanc_json_without_import, orthanc_plugins,
                      random_password, start_behind_front, start_orthanc, start_our_server,
                      start_with_default_volume,
                      write_orthanc_config)
