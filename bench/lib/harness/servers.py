"""The servers a run starts (Orthanc with or without our plugin, the peer), the
HTTP requests that check them, logins and API tokens."""
import dataclasses
import json
import secrets
import shutil
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .basics import ORTHANC, ORTHANC_PLUGINS, ROOT, WrongAnswer


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
    users database) the plugin creates 'admin' with PASSWORD. Without the HTTP
    front (FRONT=0): these benchmarks measure the plugin, and run-server.sh
    then execs Orthanc, so the process started is the server; bench/front
    measures what the front adds."""
    env = {"MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD": password, "HTTP_PORT": ports[0],
           "DICOM_PORT": ports[1], "STATE_DIR": state, "PLUGIN": plugin, "FRONT": 0}
    if orthanc_json:
        env["ORTHANC_CONFIG"] = orthanc_json
    process = run.start(name, [str(ROOT / "scripts/run-server.sh")], run.work / "server.log", env)
    return Server(run, name, process, *ports)


def start_behind_front(run, plugin, password, state=None):
    """One server as `make run` starts it (scripts/run-server.sh: nginx on a
    front port, Orthanc on its own loopback port): (front, direct) views of
    it, the front logged in as 'admin' and the direct view given the same
    session cookie. Its processes are run-server.sh's children (tree=True), so
    their CPU time is the server's."""
    front_port, orthanc_port, https_port, dicom_port = free_ports(4)
    env = {"MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD": password, "HTTP_PORT": front_port,
           "ORTHANC_HTTP_PORT": orthanc_port, "HTTPS_PORT": https_port, "DICOM_PORT": dicom_port,
           "STATE_DIR": state or run.work / "state", "PLUGIN": plugin}
    run.note(f"  starting the server: front on port {front_port}, Orthanc on port {orthanc_port} ...")
    process = run.start("our server", [str(ROOT / "scripts/run-server.sh")], run.work / "server.log", env,
                        tree=True)
    front = Server(run, "the front", process, front_port, dicom_port)
    direct = Server(run, "Orthanc directly", process, orthanc_port, dicom_port)
    front.wait_for("/api/health", 200)
    direct.wait_for("/api/health", 200)
    session = front.login(password)
    direct.set_credentials({"Cookie": f"mis_session={session}"})
    return front, direct


def start_with_default_volume(run, plugin, ports, password):
    """Our server on the run's state folder, 'admin' logged in, once its start-up
    import of data/ is done: GET /api/patient-name answers 200."""
    server = start_our_server(run, plugin, ports, run.work / "state", password)
    server.wait_for("/api/health")
    server.login(password)
    server.wait_for("/api/patient-name", 200, "the start-up import")
    return server


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
