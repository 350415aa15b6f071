"""Fuzzes CityWatch's HTTP API with schemathesis against live servers, one fresh server per role.

Run by scripts/fuzz-api.sh with the tools' virtualenv (scripts/install-python-tools.sh). For each
role it starts `citywatch serve` on a free loopback port with an empty data folder, signs in as
the first administrator, seeds a little of everything (a registry, a group, a hold, an alarm, an
incident, a provision and a data-subject request, a drill, a re-tasking), signs in as a user of
the role and hands schemathesis the operations that role may call, with the seeded ids as
examples of the path parameters. The OpenAPI document it uses is the one the server serves,
checked first with openapi-spec-validator.

Checks: no 5xx, every status documented, every answer matching its schema; afterwards the
server must still be running and healthy. Operations marked `x-citywatch-fuzz: skip` (WebSockets,
the login throttle, /metrics) are never fuzzed; `destructive` ones (deletes, disabling users,
imports that prune, signing out) only by --long, after everything else.
"""

import argparse
import copy
import datetime
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ROLES = ["administrator", "operator", "police", "maintenance", "privacyOfficer"]
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
METHODS = ["get", "put", "post", "delete", "patch"]

# The registry's current 18-column layout, and three made-up sites in Gangnam: one of each kind
# the seeding needs (crime prevention with two cameras, traffic enforcement to re-task, a school).
REGISTRY_HEADER = ["개방자치단체코드", "관리번호", "관리기관명", "소재지도로명주소", "소재지지번주소", "설치목적구분", "카메라대수",
                   "카메라화소수", "촬영방면정보", "보관일수", "설치연월", "관리기관전화번호", "WGS84위도", "WGS84경도",
                   "데이터기준일자", "데이터갱신구분", "데이터갱신시점", "최종수정시점"]
REGISTRY_ROWS = [
    ("CCTV-F0001", "생활방범", "2", "37.4979", "127.0276", "360도 전방면"),
    ("CCTV-F0002", "교통단속", "1", "37.4990", "127.0290", "북측"),
    ("CCTV-F0003", "어린이보호", "1", "37.4965", "127.0250", "동측"),
]


class Server:
    """A `citywatch serve` of its own: a free port, an empty data folder, its log in a file."""

    def __init__(self, binary, role, workdir):
        self.role = role
        self.data = tempfile.mkdtemp(prefix=f"citywatch-fuzz-{role}-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(workdir, f"server-{role}.log")
        env = dict(os.environ, CITYWATCH_RECORDING="false", CITYWATCH_BCRYPT_COST="4", CITYWATCH_LOG_LEVEL="notice")
        self.process = subprocess.Popen([binary, "serve", "--address", f"127.0.0.1:{self.port}", "--data-dir", self.data],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        self.admin_password = None
        ready = threading.Event()
        log = open(self.log_path, "w")

        def drain():
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                # The first start prints the console's address, then the administrator's password.
                if "password:" in line:
                    self.admin_password = line.split("password:", 1)[1].strip()
                    ready.set()
            ready.set()
            log.close()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(120) or self.admin_password is None or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"the {role} server did not start (see {self.log_path})")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data, ignore_errors=True)


class Session:
    """A signed-in user of a server: the session cookie and the CSRF token."""

    def __init__(self, server, username, password):
        self.server = server
        self.cookie = None
        self.csrf = None
        answer = self.call("POST", "/api/login", {"username": username, "password": password})
        self.csrf = answer["csrfToken"]
        self.user = answer["user"]

    def call(self, method, path, body=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.server.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.cookie:
            request.add_header("Cookie", f"cw_session={self.cookie}")
        if self.csrf and method != "GET":
            request.add_header("X-CSRF-Token", self.csrf)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                for header in response.headers.get_all("Set-Cookie") or []:
                    if header.startswith("cw_session="):
                        self.cookie = header.split(";", 1)[0].split("=", 1)[1]
                text = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path} for seeding answered {error.code}: {error.read()[:300]!r}") from None
        return json.loads(text) if text else None


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(admin):
    """A little of everything, made through the API as the administrator; returns the ids."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    rows = [REGISTRY_HEADER] + [
        ["3220000", number, "서울특별시 강남구청", f"서울특별시 강남구 테헤란로 {index}", f"서울특별시 강남구 역삼동 {index}-1", purpose,
         cameras, "200", direction, "30", "2021-01", "02-3423-6963", lat, lon, "2024-06-30", "I",
         "2024-07-01 09:00:00", "2024-07-01 09:00:00"]
        for index, (number, purpose, cameras, lat, lon, direction) in enumerate(REGISTRY_ROWS, start=1)]
    csv = "".join(",".join(row) + "\r\n" for row in rows).encode()
    admin.call("POST", "/api/registry/import", raw=csv, content_type="text/csv")
    cameras = admin.call("GET", "/api/cameras")["items"]
    by_purpose = {camera["purpose"]: camera["id"] for camera in cameras}
    camera = by_purpose["crimePrevention"]
    ids = {"camera": camera}
    ids["group"] = admin.call("POST", "/api/groups", {"name": "fuzz", "rule": {"purposes": ["crimePrevention", "trafficEnforcement", "childProtection"]}})["id"]
    ids["hold"] = admin.call("POST", "/api/holds", {"cameraId": camera, "from": iso(now - datetime.timedelta(hours=2)),
                                                    "to": iso(now - datetime.timedelta(hours=1)), "reason": "fuzz seed"})["id"]
    ids["alarm"] = admin.call("POST", "/api/alarms", {"title": "fuzz seed alarm", "cameraIds": [camera], "latitude": 37.4979, "longitude": 127.0276})["id"]
    ids["incident"] = admin.call("POST", "/api/incidents", {"kind": "crime", "title": "fuzz seed incident", "cameraIds": [camera],
                                                            "latitude": 37.4979, "longitude": 127.0276})["incident"]["id"]
    ids["provision"] = admin.call("POST", "/api/provision/requests", {
        "officerName": "fuzz", "agency": "강남경찰서", "caseNumber": "2026-1", "legalBasis": "criminalInvestigation", "purpose": "fuzz seed",
        "cameraIds": [camera], "from": iso(now - datetime.timedelta(hours=2)), "to": iso(now - datetime.timedelta(hours=1))})["id"]
    ids["subject"] = admin.call("POST", "/api/provision/subjects", {"subjectName": "fuzz", "contact": "010-0000-0000",
                                                                    "description": "fuzz seed", "cameraIds": [camera]})["request"]["id"]
    admin.call("POST", "/api/bells/drills", {"minutes": 60, "note": "fuzz seed"})
    admin.call("POST", f"/api/cameras/{by_purpose['trafficEnforcement']}/retask", {"reason": "fuzz seed", "minutes": 60})
    return ids


def add_partner(binary, server):
    """Registers a platform partner with the CLI on the server's store; returns its secret."""
    added = subprocess.run([binary, "partners", "add", "fuzz-112", "--data-dir", server.data],
                           capture_output=True, text=True, timeout=120)
    secret = next((line.split("secret:", 1)[1].strip() for line in added.stdout.splitlines() if line.startswith("secret:")), None)
    if added.returncode != 0 or not secret:
        raise RuntimeError(f"citywatch partners add failed: {added.stdout[-300:]} {added.stderr[-300:]}")
    return secret


def role_session(binary, server, ids):
    """Signs in as the first administrator, seeds, and returns a session of the server's role."""
    admin = Session(server, "admin", server.admin_password)
    admin_password = "fuzz-" + uuid.uuid4().hex
    admin.call("POST", "/api/session/password", {"currentPassword": server.admin_password, "newPassword": admin_password})
    ids.update(seed(admin))
    if server.role == "administrator":
        # The open and credential routes are fuzzed in the administrator's run: a partner signs
        # the platform's events, and a share of the incident gives the share routes a token.
        admin.partner_secret = add_partner(binary, server)
        ids["token"] = admin.call("POST", f"/api/incidents/{ids['incident']}/share", {"partner": "fuzz-112", "minutes": 120})["token"]
        ids["user"] = admin.user["id"]
        return admin
    made = admin.call("POST", "/api/users", {"username": f"fuzz-{server.role}", "role": server.role})
    ids["user"] = made["user"]["id"]
    admin.call("PUT", f"/api/users/{ids['user']}/groups", {"groupIds": [ids["group"]]})
    user = Session(server, f"fuzz-{server.role}", made["password"])
    user.call("POST", "/api/session/password", {"currentPassword": made["password"], "newPassword": "fuzz-" + uuid.uuid4().hex})
    return user


# Which seeded id a path's `{id}` names, by the path's start.
EXAMPLES = [("/api/cameras/{id}", "camera"), ("/api/alarms/{id}", "alarm"), ("/api/incidents/{id}", "incident"),
            ("/api/provision/requests/{id}", "provision"), ("/api/provision/subjects/{id}", "subject"),
            ("/api/holds/{id}", "hold"), ("/api/groups/{id}", "group"), ("/api/users/{id}", "user")]


def body_examples(schema, ids):
    """Seeded ids as examples of a body's camera and incident fields, so that cases reach past
    the "no camera" check."""
    for name, property in schema.get("properties", {}).items():
        if name in ("cameraId", "seenOnCameraId"):
            property["examples"] = [ids["camera"]]
        elif name == "cameraIds":
            property["examples"] = [[ids["camera"]]]
        elif name == "incidentId":
            property["examples"] = [ids["incident"]]
        elif name == "partner":
            property["examples"] = ["fuzz-112"]
        body_examples(property, ids)


def document_for(document, role, ids, destructive):
    """The operations `role` may call (the administrator also the open and credential ones), the
    destructive ones or the rest, with the seeded ids as examples of their path parameters."""
    mine = copy.deepcopy(document)
    paths = {}
    for path, item in document["paths"].items():
        kept = {}
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            fuzz = operation.get("x-citywatch-fuzz", "safe")
            if fuzz.startswith("skip") or (fuzz == "destructive") != destructive:
                continue
            access = operation.get("x-citywatch-access")
            allowed = role in operation.get("x-citywatch-roles", []) if access == "roles" else role == "administrator"
            if not allowed:
                continue
            operation = copy.deepcopy(operation)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                if parameter["name"] == "token" and "token" in ids:
                    parameter["example"] = ids["token"]
                elif parameter["name"] == "camera":
                    parameter["example"] = ids["camera"]
                for prefix, name in EXAMPLES:
                    if path.startswith(prefix) and parameter["name"] == "id":
                        parameter["example"] = ids[name]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body_examples(content.get("schema", {}), ids)
            kept[method] = operation
        if kept:
            paths[path] = kept
    mine["paths"] = paths
    return mine


def split(document, size):
    """The document's operations in parts of about `size` operations each (whole paths)."""
    counts = [(path, len(item)) for path, item in document["paths"].items()]
    total = sum(count for _, count in counts)
    if total == 0:
        return []
    parts_wanted = max(1, round(total / size))
    parts = [dict(document, paths={}) for _ in range(parts_wanted)]
    loads = [0] * parts_wanted
    for path, count in sorted(counts, key=lambda entry: -entry[1]):
        lightest = loads.index(min(loads))
        parts[lightest]["paths"][path] = document["paths"][path]
        loads[lightest] += count
    return parts


def run_schemathesis(document, name, server, session, workdir, args, codes):
    schema = os.path.join(workdir, f"openapi-{name}.json")
    with open(schema, "w") as file:
        json.dump(document, file)
    command = [os.path.join(args.venv, "bin", "schemathesis"), "run", schema, "--url", server.base,
               "--checks", CHECKS, "--phases", "examples,coverage,fuzzing" + (",stateful" if args.long else ""),
               "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--request-timeout", "60",
               "--generation-with-security-parameters", "false", "--suppress-health-check", "all",
               "--no-color", "--workers", "1", "--generation-database", "none",
               "-H", f"Cookie: cw_session={session.cookie}", "-H", f"X-CSRF-Token: {session.csrf}"]
    if server.role == "administrator":
        # The platform's route is in the administrator's run: signed as the partner seeded.
        command += ["-H", f"Authorization: Bearer {session.partner_secret}"]
    if args.long:
        command += ["--max-time", str(args.max_time)]
    # Run in the work folder: schemathesis keeps a crash cache in the folder it runs in.
    with open(os.path.join(workdir, f"schemathesis-{name}.log"), "w") as log:
        codes[name] = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=workdir).returncode


def fuzz(binary, role, document, workdir, args, results):
    started = time.monotonic()
    server = None
    try:
        server = Server(binary, role, workdir)
        ids = {}
        session = role_session(binary, server, ids)
        passes = [False, True] if args.long else [False]
        outcome = "passed"
        for destructive in passes:
            mine = document_for(document, role, ids, destructive)
            # The roles that may call most operations fuzz them in parts at once (one process
            # each, same server and session), so the run ends when the others do.
            parts = split(mine, args.part_size)
            codes = {}
            workers = []
            for index, part in enumerate(parts):
                name = f"{role}{'-destructive' if destructive else ''}{f'-{index + 1}' if len(parts) > 1 else ''}"
                workers.append(threading.Thread(target=run_schemathesis, args=(part, name, server, session, workdir, args, codes)))
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            for name, code in sorted(codes.items()):
                if code != 0:
                    outcome = f"failed (schemathesis exit {code}; {os.path.join(workdir, f'schemathesis-{name}.log')})"
        if server.process.poll() is not None:
            outcome = f"failed: the server died (exit {server.process.returncode}; {server.log_path})"
        else:
            try:
                with urllib.request.urlopen(server.base + "/healthz", timeout=30) as health:
                    if health.status != 200:
                        outcome = f"failed: /healthz answered {health.status} after fuzzing"
            except (urllib.error.URLError, http.client.HTTPException) as error:
                outcome = f"failed: /healthz after fuzzing: {error}"
        results[role] = (outcome, time.monotonic() - started)
    except Exception as error:  # a role that cannot even be prepared fails the run, with why
        results[role] = (f"failed: {error}", time.monotonic() - started)
    finally:
        if server:
            server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True, help="the citywatch executable")
    parser.add_argument("--venv", required=True, help="the virtualenv with schemathesis and openapi-spec-validator")
    parser.add_argument("--long", action="store_true", help="fuzz everything, destructive operations too, for --max-time")
    parser.add_argument("--max-examples", type=int, default=8, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=1800, help="with --long: seconds each role's run goes on")
    parser.add_argument("--part-size", type=int, default=30, help="operations one schemathesis process fuzzes")
    parser.add_argument("--seed", type=int, default=1, help="schemathesis's random seed (the same cases each run)")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles to fuzz")
    parser.add_argument("--workdir", default=None, help="where logs and the per-role documents go (default: a temporary folder)")
    args = parser.parse_args()
    args.binary, args.venv = os.path.abspath(args.binary), os.path.abspath(args.venv)
    workdir = os.path.abspath(args.workdir or tempfile.mkdtemp(prefix="citywatch-fuzz-"))
    os.makedirs(workdir, exist_ok=True)
    started = time.monotonic()

    # The document as a server serves it, checked by openapi-spec-validator before anything uses it.
    probe = Server(args.binary, "document", workdir)
    try:
        with urllib.request.urlopen(probe.base + "/api/openapi.json", timeout=30) as response:
            document = json.load(response)
    finally:
        probe.stop()
    path = os.path.join(workdir, "openapi.json")
    with open(path, "w") as file:
        json.dump(document, file)
    validator = os.path.join(args.venv, "bin", "openapi-spec-validator")
    check = subprocess.run([validator, path], capture_output=True, text=True)
    print(f"openapi-spec-validator: {check.stdout.strip()} {check.stderr.strip()}".strip())
    if check.returncode != 0:
        print("fuzz-api: the OpenAPI document is not valid", file=sys.stderr)
        return 1

    results = {}
    threads = [threading.Thread(target=fuzz, args=(args.binary, role, document, workdir, args, results))
               for role in args.roles.split(",")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = 0
    for role in args.roles.split(","):
        outcome, seconds = results.get(role, ("failed: no result", 0))
        print(f"fuzz-api: {role}: {outcome} in {seconds:.0f} s")
        if outcome != "passed":
            failed += 1
            for name in sorted(os.listdir(workdir)):
                if name.startswith(f"schemathesis-{role}") and name.endswith(".log"):
                    with open(os.path.join(workdir, name)) as file:
                        text = file.read()
                    if "FAILURES" in text or "ERRORS" in text:
                        print(text[text.find("====="):][-6000:])
    if failed or args.workdir:
        print(f"fuzz-api: {time.monotonic() - started:.0f} s in all; logs in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"fuzz-api: {time.monotonic() - started:.0f} s in all")
    print(f"fuzz-api: {len(threads) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
