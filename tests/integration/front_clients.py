#!/usr/bin/env python3
"""Python's HTTP clients against the server, as a user's script would use them.

    front_clients.py CLIENT BASE_URL USER STOW_FILE STUDY SERIES SOP POST_FILE

CLIENT is "urllib" (urllib.request with HTTPBasicAuthHandler) or "httplib2"
(httplib2.Http().add_credentials, Debian's python3-httplib2). Neither sends
the password until a 401 with a Basic challenge asks for it, as the HTTP front
does. The password comes on standard input, never on the command line.

Runs, in this order: STOW-RS of STOW_FILE, QIDO-RS for its STUDY, WADO-RS of
its instance (STUDY, SERIES, SOP), and POST /instances of POST_FILE. Prints one
JSON object: the HTTP status of each, and what the answers hold (the SOP
instances STOW-RS stored, the studies QIDO-RS found, whether WADO-RS returned
the instance, Orthanc's answer to POST /instances). An HTTP error is a
status, not a failure of the script.
"""

import json
import sys
import urllib.error
import urllib.request

BOUNDARY = "front-clients-boundary-5e1c"
STOW_TYPE = 'multipart/related; type="application/dicom"; boundary=' + BOUNDARY
WADO_ACCEPT = 'multipart/related; type="application/dicom"'


def urllib_sender(base, user, password):
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, base + "/", user, password)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))

    def send(method, path, body=None, headers=None):
        request = urllib.request.Request(base + path, data=body, headers=headers or {},
                                         method=method)
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    return send


def httplib2_sender(base, user, password):
    import httplib2  # only this client needs it

    client = httplib2.Http(timeout=30)
    client.add_credentials(user, password)

    def send(method, path, body=None, headers=None):
        answer, content = client.request(base + path, method, body=body, headers=headers or {})
        return answer.status, content

    return send


def json_or_none(content):
    try:
        return json.loads(content)
    except ValueError:
        return None


def main():
    client, base, user, stow_file, study, series, sop, post_file = sys.argv[1:9]
    password = sys.stdin.readline().rstrip("\n")
    send = {"urllib": urllib_sender, "httplib2": httplib2_sender}[client](base, user, password)
    with open(stow_file, "rb") as file:
        stowed = file.read()
    with open(post_file, "rb") as file:
        posted = file.read()
    results = {}

    body = (b"--" + BOUNDARY.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n" + stowed +
            b"\r\n--" + BOUNDARY.encode() + b"--\r\n")
    status, content = send("POST", "/dicom-web/studies", body,
                           {"Content-Type": STOW_TYPE, "Accept": "application/dicom+json"})
    answer = json_or_none(content) if status == 200 else None
    results["stow"] = status
    results["stow_stored"] = [
        item["00081155"]["Value"][0]
        for item in ((answer or {}).get("00081199", {}).get("Value") or [])
    ]

    status, content = send("GET", "/dicom-web/studies?StudyInstanceUID=" + study,
                           headers={"Accept": "application/dicom+json"})
    answer = json_or_none(content) if status == 200 else None
    results["qido"] = status
    results["qido_studies"] = [item["0020000D"]["Value"][0] for item in (answer or [])]

    instance = "/dicom-web/studies/%s/series/%s/instances/%s" % (study, series, sop)
    status, content = send("GET", instance, headers={"Accept": WADO_ACCEPT})
    results["wado"] = status
    # A multipart answer with the instance (maybe transcoded: its UID, not its bytes).
    results["wado_has_the_instance"] = (status == 200 and b"application/dicom" in content and
                                        sop.encode() in content)

    status, content = send("POST", "/instances", posted, {"Content-Type": "application/dicom"})
    results["instances"] = status
    results["instances_answer"] = json_or_none(content) if status == 200 else None

    print(json.dumps(results))


if __name__ == "__main__":
    main()
