"""One run of a benchmark: its folder, its result file, its processes and the
other work's share of the CPUs during each measurement."""
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .basics import (BENCH_DIR, DISTURBED_PERCENT, ROOT, WrongAnswer, build_type, cpu_model, environment,
                     orthanc_version, project_revision, sources_newer_than)


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
        for a forking server also its live and finished descendants', and this
        process's own and its reaped children's (wrk, curl, ...)."""
        with open("/proc/stat") as f:
            total = sum(int(v) for v in f.readline().split()[1:4])  # user nice system
        ours = sum(sum(proc_times(p.pid)[:2]) for p in self.ours)
        if self.trees:
            # Every live process under a tree's root (run-server.sh's nginx
            # workers are its grandchildren), with what each has reaped; the
            # roots' reaped children are in their own cutime and cstime.
            table = {int(e): proc_times(int(e)) for e in os.listdir("/proc") if e.isdigit()}
            children = {}
            for pid, times in table.items():
                children.setdefault(times[4], []).append(pid)
            pending = [p.pid for p in self.trees]
            while pending:
                pid = pending.pop()
                ours += sum(table.get(pid, (0, 0, 0, 0, -1))[:4])
                pending += children.get(pid, [])
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
