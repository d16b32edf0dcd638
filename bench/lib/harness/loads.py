"""The loads: wrk rows, curl clients over one keep-alive connection, STOW-RS
bodies and their answers, and the samples of an ingest."""
import dataclasses
import json
import secrets
import time
from pathlib import Path

from .basics import BENCH_DIR, WrongAnswer
from .numbers import Table, median, spread


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
