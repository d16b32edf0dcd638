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
import dataclasses
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
ROOT = BENCH_DIR.parent
PYTHON = "/usr/bin/python3"  # Debian's, with Debian's packages: not another python on the PATH
ORTHANC = "/usr/sbin/Orthanc"
ORTHANC_PLUGINS = Path("/usr/share/orthanc/plugins")
DISTURBED_PERCENT = 10  # other work above this share of the CPUs disturbs a measurement
SERIES_DIR = "/work/shared/data/mr-series"  # the optional 176-slice corpus, never in the repository
TEST_FILE = ROOT / "tests/data/1-101.dcm"  # one 512 x 512 CT slice, 16-bit samples
TEST_FILE_COUNT = 50080  # its pixels_above_threshold at threshold 0.5


class WrongAnswer(Exception):
    """A server answered wrong or a request failed: the run ends with status 1."""


class Unmeasurable(Exception):
    """A tool, a built file, an input or a setting is missing: status 2."""


def knob(name, default):
    """The environment variable NAME, of the type of DEFAULT, or DEFAULT when unset."""
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return type(default)(value)
    except ValueError:
        raise Unmeasurable(f"{name}={value!r} is not a {type(default).__name__}") from None


def main(benchmark):
    """Runs benchmark() and exits with its status (or 1, 2 for the exceptions above).
    Ctrl-C and SIGTERM end it as a shell's would (130, 143), through the clean-up."""
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        status = benchmark()
    except Unmeasurable as e:
        print(f"{sys.argv[0]}: {e}", file=sys.stderr)
        status = 2
    except WrongAnswer as e:
        if not getattr(e, "said", False):
            print(f"{sys.argv[0]}: {e}", file=sys.stderr)
        status = 1
    sys.exit(status)


# ------------------------------------------------------------ requirements ----
class Requirements:
    """The tools a benchmark needs, each with the Debian package that brings it,
    so that one message names every missing one. It installs nothing."""

    def __init__(self, script):
        self.script = script
        self.missing = []  # (what, package)

    def command(self, name, package):
        if shutil.which(name) is None:
            self.missing.append((name, package))

    def file(self, path, what, package):
        if not Path(path).exists():
            self.missing.append((what, package))

    def orthanc(self, *plugins):
        """Orthanc, its DICOMweb plugin and the other plugins named (file, package)."""
        self.file(ORTHANC, ORTHANC, "orthanc")
        self.file(ORTHANC_PLUGINS / "libOrthancDicomWeb.so", "Orthanc's DICOMweb plugin",
                  "orthanc-dicomweb")
        for name, package in plugins:
            self.file(ORTHANC_PLUGINS / name, f"Orthanc's plugin {name}", package)

    def python_module(self, module, package):
        if subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True).returncode:
            self.missing.append((f"python module {module} for {PYTHON}", package))

    def check(self, why):
        """Ends the run (status 2) when something is missing; WHY says what each tool is for."""
        if self.missing:
            raise Unmeasurable(
                "missing tools:\n" + "".join(f"  - {what}\n" for what, _ in self.missing) + why +
                "\nThis script installs nothing. On Debian:\n  sudo apt-get install " +
                " ".join(dict.fromkeys(package for _, package in self.missing)))



def require_built(path):
    if not Path(path).is_file():
        raise Unmeasurable(f"{path} is not built. Build the plugin and the users tool with:\n"
                           f"  make -C {ROOT} build")


def built_plugin():
    """The plugin measured: PLUGIN, or the one of make build."""
    plugin = Path(knob("PLUGIN", str(ROOT / "build/libmedical-image-server.so")))
    require_built(plugin)
    return plugin


def built_users_tool(plugin):
    """The users tool: USERS_TOOL, or the one beside the plugin."""
    tool = Path(knob("USERS_TOOL", str(plugin.parent / "medical-image-server-users")))
    require_built(tool)
    return tool


def require_default_volume():
    """The sample volume of data/, which our server imports at start-up."""
    if not list((ROOT / "data").glob("*.dcm")):
        raise Unmeasurable(f"{ROOT}/data holds no .dcm file: there is no default volume")


def series_files(folder):
    """The .dcm files of one series' folder, sorted; None when the folder is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.glob("*.dcm") if p.is_file())
    if not files:
        raise Unmeasurable(f"{folder} holds no .dcm file")
    return files


def required_series(folder):
    files = series_files(folder)
    if files is None:
        raise Unmeasurable(
            f"the series folder {folder} does not exist.\n"
            "  It is the 176-slice MR series (an extra corpus, never copied into the repository);\n"
            "  set SERIES_DIR to a folder of .dcm files to measure another one.")
    return files


def mib(size_bytes):
    return f"{size_bytes / 1048576:.1f}"


# --------------------------------------------------------------- processes ----
class Process:
    """A process the run started in the background, its output in a log file."""

    def __init__(self, name, popen, log, stop_signal, grace):
        self.name, self.popen, self.log = name, popen, Path(log)
        self.stop_signal, self.grace = stop_signal, grace

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        """STOP_SIGNAL, then SIGKILL when it is still there after GRACE seconds."""
        if self.alive():
            self.popen.send_signal(self.stop_signal)
            try:
                self.popen.wait(self.grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
        self.popen.wait()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def environment(changes):
    """os.environ with CHANGES; a value None removes the variable."""
    env = dict(os.environ)
    for name, value in (changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


# --------------------------------------------------------------------- run ----
@dataclasses.dataclass
class CpuMark:
    seconds: float     # wall clock
    all_ticks: int     # user + nice + system of all CPUs (/proc/stat)
    ours_ticks: int    # our servers' (and their forked children's) user + system
    ours_seconds: float  # this process and its reaped children (wrk, curl, ...)


@dataclasses.dataclass
class Measured:
    value: object  # what the action returned, for the least disturbed attempt
    other: int     # the other work's share of the CPUs meanwhile, in %
    tries: int


class Run:
    """One run of a benchmark; use it as a context manager: leaving it stops every
    process the run started and removes the temporary folder."""

    def __init__(self, name, retries=0):
        self.name = name
        self.retries = retries  # extra attempts of a disturbed measurement
        self.work = Path(tempfile.mkdtemp(prefix=f"bench-{name}.", dir=os.environ.get("TMPDIR") or "/tmp"))
        (BENCH_DIR / "results").mkdir(exist_ok=True)
        self.results = BENCH_DIR / "results" / f"{name}-{time.strftime('%Y-%m-%d_%H%M%S')}.txt"
        self.results.write_text("")
        self.processes = []  # started, not stopped yet
        self.ours = []       # processes whose CPU time is ours (servers)
        self.trees = []      # servers that fork a process per connection (PostgreSQL)
        self.disturbed = False
        self.finished = False
        self.clock_ticks = os.sysconf("SC_CLK_TCK")
        self.cpus = os.cpu_count()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        # A second Ctrl-C during the clean-up ends it at once.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if isinstance(error, WrongAnswer):
            self.say(f"  ERROR: {error}")
            error.said = True
        for process in reversed(self.processes):
            process.stop()
        if not self.finished:
            status = error.code if isinstance(error, SystemExit) else 1
            line = f"RUN ABORTED (exit status {status}): the figures above are incomplete."
            print(line, file=sys.stderr)
            with open(self.results, "a") as f:
                f.write(line + "\n")
        shutil.rmtree(self.work, ignore_errors=True)  # also users databases, passwords, tokens
        return False

    def finish(self, failed=False, disturbed_what="some measurements"):
        """The end of a complete run: where the figures went; the exit status."""
        if self.disturbed:
            self.say(f"WARNING: other work on the machine disturbed {disturbed_what} (see above).")
        self.say(f"Figures written to {self.results.relative_to(ROOT)}")
        self.finished = True
        return 1 if failed else 0

    # ------------------------------------------------------------ output ----
    def say(self, *parts):
        """Prints the line and adds it to the result file."""
        line = " ".join(str(p) for p in parts)
        print(line, flush=True)
        with open(self.results, "a") as f:
            f.write(line + "\n")

    @staticmethod
    def note(text):
        """Progress, on the terminal only."""
        print(text, flush=True)

    def append_raw(self, title, sections):
        """Adds the raw outputs (name, text) after the figures in the result file."""
        with open(self.results, "a") as f:
            f.write(f"\n---- {title} ----\n")
            for name, text in sections:
                f.write(f"== {name}\n" if name else "")
                f.write(text if text.endswith("\n") or not text else text + "\n")

    def header(self, title, plugin):
        """The lines every result file starts with: machine, project, server."""
        self.say(f"{title}, {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {socket.gethostname()}")
        self.say(f"  machine:  {self.cpus} CPUs, {cpu_model()}")
        self.say(f"  project:  {ROOT} at {project_revision()}")
        self.say(f"  server:   {orthanc_version()} + {plugin}")
        built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(Path(plugin).stat().st_mtime))
        self.say(f"            (built {built}, CMAKE_BUILD_TYPE {build_type(plugin)}; a copy is loaded)")
        if sources_newer_than(plugin):
            self.say("  WARNING: plugin/src has files newer than the .so: rebuild to measure the current sources.")

    def copy_plugin(self, plugin):
        """The servers load a copy, so that a rebuild during the run changes nothing."""
        copy = self.work / Path(plugin).name
        shutil.copy2(plugin, copy)
        return copy

    # --------------------------------------------------------- processes ----
    def start(self, name, command, log, env=None, cwd=None, ours=True, tree=False,
              stop_signal=signal.SIGTERM, grace=15):
        """Starts COMMAND in the background, its output appended to LOG. OURS: its
        CPU time is not other work; TREE: nor that of the processes it forks."""
        with open(log, "a") as out:
            popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=environment(env), cwd=cwd)
        process = Process(name, popen, log, stop_signal, grace)
        self.processes.append(process)
        if ours:
            (self.trees if tree else self.ours).append(process)
        return process

    def stop(self, process):
        if process is None:
            return
        process.stop()
        for group in (self.processes, self.ours, self.trees):
            if process in group:
                group.remove(process)

    # ----------------------------------------------- other work's share ----
    def cpu_mark(self):
        """The CPU time of all CPUs and ours, now. Ours: our servers' (/proc/PID/stat),
        for a forking server also its live and finished children's, and this
        process's own and its reaped children's (wrk, curl, ...)."""
        with open("/proc/stat") as f:
            total = sum(int(v) for v in f.readline().split()[1:4])  # user nice system
        ours = sum(sum(proc_times(p.pid)[:2]) for p in self.ours)
        trees = {p.pid for p in self.trees}
        if trees:
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    times = proc_times(int(entry))
                    if int(entry) in trees:
                        ours += sum(times[:4])
                    elif times[4] in trees:
                        ours += sum(times[:2])
        t = os.times()
        return CpuMark(time.time(), total, ours, t.user + t.system + t.children_user + t.children_system)

    def other_percent(self, before, after):
        """The share of all CPUs, in %, used by other processes between two marks."""
        other = ((after.all_ticks - before.all_ticks) - (after.ours_ticks - before.ours_ticks)) \
            / self.clock_ticks - (after.ours_seconds - before.ours_seconds)
        return max(0, round(100 * other / ((after.seconds - before.seconds) * self.cpus)))

    def cpu_share(self, action):
        """Runs ACTION; returns what it returned and the other work's share meanwhile."""
        before = self.cpu_mark()
        value = action()
        return value, self.other_percent(before, self.cpu_mark())

    def least_disturbed(self, label, attempt):
        """Runs ATTEMPT (which returns a value and the other work's share) again while
        that share is above 10 %, RETRIES times at most; keeps the least disturbed."""
        best, tries = None, 0
        while True:
            tries += 1
            value, other = attempt()
            if best is None or other < best[1]:
                best = (value, other)
            if best[1] <= DISTURBED_PERCENT or tries > self.retries:
                return Measured(best[0], best[1], tries)
            self.say(f"  ({label}: other processes used {other}% of the CPUs meanwhile; measuring again)")

    def measure(self, label, action):
        """ACTION timed against the other work, taken again when disturbed."""
        return self.least_disturbed(label, lambda: self.cpu_share(action))

    def check_alive(self, *servers):
        """The servers must still be the ones we started, and alive; False if not."""
        alive = True
        for server in servers:
            if not server.alive():
                self.say(f"  ERROR: {server.name} died during the run")
                alive = False
        return alive

    def warn_if_disturbed(self, percent, what):
        if percent > DISTURBED_PERCENT:
            self.say(f"  WARNING: other processes used {percent}% of the CPUs during {what}: its figures"
                     " are disturbed; run again on a quiet machine.")
            self.disturbed = True

    def say_idle_share(self, when_busy=None):
        """The other work's share over 2 s before the run."""
        idle = self.cpu_share(lambda: time.sleep(2))[1]
        self.say(f"  before the run, other processes used {idle}% of the CPUs (over 2 s)")
        if idle > DISTURBED_PERCENT:
            self.say("  WARNING: the machine is not quiet; " + (
                when_busy or f"disturbed measurements will be repeated (RETRIES={self.retries})."))

    # ------------------------------------------------------- child tools ----
    def run_tool(self, label, command, env=None, out=None, cwd=None, errors_apart=False):
        """Runs COMMAND in the foreground; its output (stdout, and stderr unless
        ERRORS_APART) is returned, or written to OUT. A failure is a wrong answer,
        its output shown."""
        sink = open(out, "wb") if out else subprocess.PIPE
        try:
            done = subprocess.run(command, stdout=sink, env=environment(env), cwd=cwd,
                                  stderr=subprocess.PIPE if errors_apart else subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        finally:
            if out:
                sink.close()
        text = Path(out).read_text(errors="replace") if out else done.stdout.decode(errors="replace")
        if done.returncode:
            print(text[-3000:] + (done.stderr or b"").decode(errors="replace"), file=sys.stderr)
            raise WrongAnswer(f"{label} failed (exit status {done.returncode})")
        return text


def proc_times(pid):
    """utime, stime, cutime, cstime (clock ticks) and the parent's pid of a process;
    zeros when it has ended."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(") ", 1)[1].split()  # after the command name
    except (OSError, IndexError):
        return (0, 0, 0, 0, -1)
    return (int(fields[11]), int(fields[12]), int(fields[13]), int(fields[14]), int(fields[1]))


def first_line(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def project_revision():
    revision = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    if subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "plugin"],
                      capture_output=True).returncode:
        revision += " (plugin/ modified)"
    return revision


def orthanc_version():
    return first_line([ORTHANC, "--version"])


def build_type(plugin):
    try:
        for line in (Path(plugin).parent / "CMakeCache.txt").read_text().splitlines():
            if line.startswith("CMAKE_BUILD_TYPE:"):
                return line.split("=", 1)[1] or "unknown"
    except OSError:
        pass
    return "unknown"


def sources_newer_than(plugin):
    built = Path(plugin).stat().st_mtime
    sources = [ROOT / "plugin/CMakeLists.txt", *(ROOT / "plugin/src").rglob("*")]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def wrk_version():
    return first_line(["wrk", "-v"]).split(" Copyright")[0]


def curl_version():
    return " ".join(first_line(["curl", "--version"]).split()[:2])


# ------------------------------------------------------------------- HTTP ----
@dataclasses.dataclass
class Answer:
    status: object  # an int, or "no answer"
    body: bytes
    headers: dict   # lower-case names

    def json(self):
        return json.loads(self.body)

    def excerpt(self):
        return self.body[:300].decode(errors="replace")


def request(url, method="GET", headers=None, body=None, timeout=30):
    """One HTTP request (for checks; measured loads use wrk or curl)."""
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Answer(response.status, response.read(), lower_headers(response.headers))
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.read(), lower_headers(e.headers))
    except (OSError, urllib.error.URLError):
        return Answer("no answer", b"", {})


def lower_headers(message):
    return {name.lower(): value for name, value in message.items()}


def free_ports(count):
    """COUNT distinct free TCP ports."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("0.0.0.0", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def random_password():
    return secrets.token_urlsafe(18)


# ---------------------------------------------------------------- servers ----
class Server:
    """A server the run started: Orthanc with or without our plugin, or the peer.
    Its requests carry the credentials of self.credentials (headers)."""

    def __init__(self, run, name, process, http_port, dicom_port=None):
        self.run, self.name, self.process = run, name, process
        self.http_port, self.dicom_port = http_port, dicom_port
        self.base = f"http://127.0.0.1:{http_port}"
        self.credentials = {}

    def url(self, path):
        return self.base + path

    def request(self, path, method="GET", headers=None, body=None, timeout=30, anonymous=False):
        all_headers = {} if anonymous else dict(self.credentials)
        all_headers.update(headers or {})
        return request(self.url(path), method, all_headers, body, timeout)

    def alive(self):
        return self.process.alive()

    def wait_for(self, path, status=None, what=None, seconds=60, anonymous=False):
        """Polls PATH until it answers STATUS (any status when None)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.alive():
                print(self.process.log_tail(), file=sys.stderr)
                raise WrongAnswer(f"{self.name} exited while starting (its log above)")
            answer = self.request(path, timeout=2, anonymous=anonymous)
            if answer.status != "no answer" and (status is None or answer.status == status):
                return answer
            time.sleep(0.1)
        print(self.process.log_tail(), file=sys.stderr)
        raise WrongAnswer(f"{self.name}{', ' + what if what else ''}: {path} did not answer "
                          f"{status or 'at all'} within {seconds} s (log above)")

    def expect(self, path, status, contains=None, anonymous=False, **kwargs):
        """The answer of PATH must have STATUS (and contain CONTAINS)."""
        answer = self.request(path, anonymous=anonymous, **kwargs)
        if answer.status != status or (contains and contains.encode() not in answer.body):
            method = kwargs.get("method", "GET")
            raise WrongAnswer(f"{method} {path} answered {answer.status}, not {status}"
                              f"{' with ' + contains if contains else ''}: {answer.excerpt()}")
        return answer

    def stored_instances(self):
        """CountInstances of GET /statistics."""
        return self.expect("/statistics", 200).json().get("CountInstances")

    def login(self, password):
        """Logs 'admin' in (POST /api/auth/login); its requests then carry the session cookie."""
        answer = self.request("/api/auth/login", "POST", {"Content-Type": "application/json"},
                              login_json(password), anonymous=True)
        if answer.status != 200:
            raise WrongAnswer(f"logging in as admin failed: HTTP {answer.status} {answer.excerpt()}")
        cookie = answer.headers.get("set-cookie", "")
        if not cookie.startswith("mis_session="):
            raise WrongAnswer("the login answered 200 without a mis_session cookie")
        session = cookie.split(";", 1)[0].split("=", 1)[1]
        self.set_credentials({"Cookie": f"mis_session={session}"})
        return session

    def use_token(self, token):
        self.set_credentials({"Authorization": f"Bearer {token}"})

    def set_credentials(self, headers):
        """The headers every request carries; also written to a header file for curl
        (-H @file), so that they are on no command line."""
        self.credentials = headers
        new = self.credentials_file.with_suffix(".new")
        new.write_text("".join(f"{name}: {value}\n" for name, value in headers.items()))
        new.rename(self.credentials_file)  # whole, for the curl processes reading it

    @property
    def credentials_file(self):
        return self.run.work / f"credentials-{self.http_port}.header"

    def curl_credentials(self):
        """curl's arguments sending the credentials."""
        return ["-H", f"@{self.credentials_file}"] if self.credentials else []

    def stop(self):
        self.run.stop(self.process)


def login_json(password):
    return json.dumps({"username": "admin", "password": password}).encode()


def orthanc_plugins(*first):
    """The Orthanc plugins every server loads (DICOMweb; GDCM when installed), after FIRST."""
    plugins = [str(ORTHANC_PLUGINS / name) for name in first]
    plugins.append(str(ORTHANC_PLUGINS / "libOrthancDicomWeb.so"))
    if (ORTHANC_PLUGINS / "libOrthancGdcm.so").exists():
        plugins.append(str(ORTHANC_PLUGINS / "libOrthancGdcm.so"))
    return plugins


def start_our_server(run, plugin, ports, state, password, orthanc_json=None, name="our server"):
    """Orthanc + DICOMweb (+ GDCM) + our plugin through scripts/run-server.sh, on
    PORTS (HTTP, DICOM) with STATE as its STATE_DIR. On its first start (empty
    users database) the plugin creates 'admin' with PASSWORD."""
    env = {"MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD": password, "HTTP_PORT": ports[0],
           "DICOM_PORT": ports[1], "STATE_DIR": state, "PLUGIN": plugin}
    if orthanc_json:
        env["ORTHANC_CONFIG"] = orthanc_json
    process = run.start(name, [str(ROOT / "scripts/run-server.sh")], run.work / "server.log", env)
    return Server(run, name, process, *ports)


def write_orthanc_config(folder, orthanc_json, ports, storage, plugins):
    """An Orthanc configuration folder: a copy of ORTHANC_JSON and, as run-server.sh
    writes it, a runtime.json with what differs between servers."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    Path(storage).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(orthanc_json, folder / "orthanc.json")
    runtime = {"HttpPort": ports[0], "DicomPort": ports[1], "StorageDirectory": str(storage),
               "IndexDirectory": str(storage), "Plugins": plugins}
    (folder / "runtime.json").write_text(json.dumps(runtime, indent=2) + "\n")


def start_orthanc(run, name, config_folder, ports, log, env=None):
    """Orthanc alone on a configuration folder, from the project's root as run-server.sh
    starts it, with TCP_NODELAY (DCMTK reads it)."""
    process = run.start(name, [ORTHANC, str(config_folder)], log, {"TCP_NODELAY": 1, **(env or {})},
                        cwd=ROOT)
    return Server(run, name, process, *ports)


def orthanc_json_without_import(run, target):
    """A copy of orthanc-config/orthanc.json whose MedicalImageServer.DataDirectory is
    an empty folder, so that our plugin's start-up import stores nothing. (Orthanc
    refuses a section defined in two files: it cannot be overridden in runtime.json.)"""
    config = json.loads((ROOT / "orthanc-config/orthanc.json").read_text())
    empty = run.work / "empty-data"
    empty.mkdir(exist_ok=True)
    config.setdefault("MedicalImageServer", {})["DataDirectory"] = str(empty)
    Path(target).write_text(json.dumps(config, indent=2))
    return config


def api_token(run, users_tool, database):
    """An API token of 'admin' made by the users tool in DATABASE."""
    token = run.run_tool("the users tool", [str(users_tool), "--database", str(database),
                                            "token", "create", "admin", "bench"], errors_apart=True).strip()
    if not token:
        raise WrongAnswer("the users tool made no token")
    return token


# ------------------------------------------------------------------- loads ----
@dataclasses.dataclass
class WrkRow:
    """What one wrk run measured."""
    rps: float = 0.0
    p50: float = 0.0  # ms, with --latency
    p99: float = 0.0
    requests: int = 0
    non2xx: int = 0
    socket_errors: int = 0
    text: str = ""

    @property
    def errors(self):
        return self.non2xx + self.socket_errors


CONCURRENCIES = ((1, 1), (2, 4))  # wrk's threads and connections in the rows at c=1 and c=4


def wrk_rows(run, loads, duration, warmup, label_width, width):
    """The table of LOADS (name: (label, load)) at c=1 and c=4, after a warm-up of
    each at -t2 -c4; load(seconds, threads, connections, latency) runs wrk. Returns
    {(name, connections): WrkRow} and whether a row had errors."""
    for name, (_, load) in loads.items():
        if load(warmup, 2, 4, False).errors:
            raise WrongAnswer(f"the warm-up of {name} had failed requests")
    table = Table(run, [label_width, width, width, width, width, 7, 7, 6])
    table.line("", "req/s", "p50 ms", "p99 ms", "requests", "errors", "other%", "tries")
    rows, failed = {}, False
    for threads, connections in CONCURRENCIES:
        for name, (label, load) in loads.items():
            what = f"{name} c={connections}"
            measured = run.measure(f"the row {what}", lambda: load(duration, threads, connections, True))
            row = rows[name, connections] = measured.value
            table.line(f"{label} c={connections} (-t{threads} -c{connections})", f"{row.rps:.1f}", f"{row.p50:.3f}",
                       f"{row.p99:.3f}", str(row.requests), str(row.errors), str(measured.other),
                       str(measured.tries))
            run.warn_if_disturbed(measured.other, f"the row {what}")
            if row.errors:
                run.say(f"  ERROR: {what} had {row.non2xx} non-2xx answers and {row.socket_errors} socket errors")
                failed = True
    return rows, failed


def wrk_milliseconds(value):
    for unit, factor in (("us", 0.001), ("ms", 1), ("m", 60000), ("s", 1000)):
        if value.endswith(unit):
            return float(value[:-len(unit)]) * factor
    return float(value)


def parse_wrk(text):
    row = WrkRow(text=text)
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "50%":
            row.p50 = wrk_milliseconds(words[1])
        elif words[0] == "99%":
            row.p99 = wrk_milliseconds(words[1])
        elif words[0] == "Requests/sec:":
            row.rps = float(words[1])
        elif " requests in " in line:
            row.requests = int(words[0])
        elif line.startswith("  Non-2xx or 3xx responses:"):
            row.non2xx = int(words[-1])
        elif line.startswith("  Socket errors:"):  # connect N, read N, write N, timeout N
            row.socket_errors = sum(int(w.rstrip(",")) for w in words[3::2])
    return row


def wrk(run, label, url, script, seconds, threads=2, connections=4, env=None, latency=False,
        timeout=None):
    """One wrk run with one of bench/*.lua; the scripts read their settings
    (credentials, files) from ENV, which keeps them off the command line."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", timeout] if timeout else []
    command += ["--latency"] if latency else []
    command += ["-s", str(BENCH_DIR / script), url]
    return parse_wrk(run.run_tool(label, command, env))


def timed(action):
    """What ACTION returns, and the wall-clock seconds it takes."""
    start = time.time()
    value = action()
    return value, time.time() - start


def curl_chain(requests):
    """One curl process making REQUESTS (each a list of arguments) one after the
    other over one keep-alive connection."""
    command = ["curl"]
    for i, arguments in enumerate(requests):
        command += (["--next"] if i else []) + arguments
    return command


def statuses_all_200(text, label):
    """The status codes curl printed, one a line (-w '%{http_code}\\n'), must all be 200."""
    codes = text.split()
    bad = [c for c in codes if c != "200"]
    if bad:
        counts = {c: codes.count(c) for c in sorted(set(codes))}
        raise WrongAnswer(f"{label}: {len(bad)} requests did not answer 200: {counts}")
    return len(codes)


class Stow:
    """STOW-RS bodies (multipart/related) built once before the run, so that the
    timing holds only the upload, and the check of the answers."""

    def __init__(self, name):
        self.boundary = f"bench-{name}-{secrets.token_hex(16)}"
        self.content_type = f'multipart/related; type="application/dicom"; boundary={self.boundary}'

    def write_body(self, path, files):
        with open(path, "wb") as out:
            for f in files:
                out.write(f"--{self.boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode())
                out.write(Path(f).read_bytes())
                out.write(b"\r\n")
            out.write(f"--{self.boundary}--\r\n".encode())

    def curl_request(self, server, body, answer):
        """curl's arguments posting BODY to SERVER, its answer written to ANSWER."""
        return ["-sS", "--max-time", "300", *server.curl_credentials(), "-H", "Expect:",
                "-H", f"Content-Type: {self.content_type}", "-H", "Accept: application/dicom+json",
                "--data-binary", f"@{body}", "-o", str(answer), "-w", "%{http_code}\\n",
                server.url("/dicom-web/studies")]

    @staticmethod
    def check_answers(answers, expected):
        """Every file listed in ReferencedSOPSequence (0008,1199), none in
        FailedSOPSequence (0008,1198), which Orthanc sends empty."""
        stored = failed = 0
        for path in answers:
            answer = json.loads(Path(path).read_text())
            stored += len(answer.get("00081199", {}).get("Value", []))
            failed += len(answer.get("00081198", {}).get("Value", []))
        if stored != expected or failed:
            raise WrongAnswer(f"STOW-RS answers: {stored} instances stored, {failed} failed; {expected} sent")


# ----------------------------------------------------------------- numbers ----
median = statistics.median


def spread(values):
    """(max - min) / median: how much the rounds of one figure differ."""
    return (max(values) - min(values)) / median(values)


def verdict(ok):
    return "MET" if ok else "NOT MET"


def rate(figure):
    """A req/s as the tables print it: no decimals, but one below 100."""
    return f"{figure:.1f}" if figure < 100 else f"{figure:.0f}"


class Throughput:
    """Samples of an ingest, round after round: items / the client's wall-clock
    seconds, by key (a path and server, a set-up)."""

    def __init__(self, run, items):
        self.run, self.items = run, items
        self.samples = {}  # key: [(items/s, seconds, other%, tries)]
        self.lines = []    # every kept sample, for the result file

    def add(self, key, round_number, measured, note):
        """MEASURED: the seconds of the least disturbed attempt. NOTE names the
        sample on the terminal."""
        seconds = float(f"{measured.value:.4f}")
        per_second = float(f"{self.items / seconds:.2f}")
        self.samples.setdefault(key, []).append((per_second, seconds, measured.other, measured.tries))
        self.run.note(f"    round {round_number}  {note} {per_second:8.2f} inst/s  {seconds:7.4f} s"
                      f"  other {measured.other}%")
        self.lines.append(" ".join(map(str, (round_number, *key, per_second, seconds, measured.other,
                                             measured.tries))))

    def rates(self, key):
        return [sample[0] for sample in self.samples[key]]

    def rate(self, key):
        return median(self.rates(key))

    def seconds(self, key):
        return median([sample[1] for sample in self.samples[key]])

    def spread(self, key):
        return f"{100 * spread(self.rates(key)):.0f}%"

    def other(self, *keys):
        """The highest share of other work in the kept samples of KEYS."""
        return max(sample[2] for key in keys for sample in self.samples[key])

    def tries(self, *keys):
        return sum(sample[3] for key in keys for sample in self.samples[key])

    def finish(self, title):
        """The end of the run, every kept sample after the figures; the exit status."""
        status = self.run.finish(disturbed_what="some samples")
        self.run.append_raw(title, [("", "\n".join(self.lines))])
        return status


class Table:
    """Fixed-width columns: the first left-aligned, the others right-aligned; a
    line's trailing spaces are cut."""

    def __init__(self, run, widths, indent="  "):
        self.run, self.widths, self.indent = run, widths, indent

    def line(self, *cells):
        parts = [f"{cells[0]:<{self.widths[0]}}"]
        parts += [f"{cell:>{width}}" for cell, width in zip(cells[1:], self.widths[1:])]
        self.run.say((self.indent + " ".join(parts)).rstrip())
