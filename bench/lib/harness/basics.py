"""What every part of the harness uses: where things are, the two ways a run
fails, the settings from the environment, and what a result file's header names
(the machine, the commit, the versions)."""
import os
import signal
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent.parent
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


def environment(changes):
    """os.environ with CHANGES; a value None removes the variable."""
    env = dict(os.environ)
    for name, value in (changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


# What a result file's header names.
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
