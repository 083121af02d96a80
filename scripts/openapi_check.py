"""Validates openapi/admin.yaml (OpenAPI 3.1) and every response the admin API gives in this test.

Runs the real executable on a copy of the demo tenant, drives every documented operation through
its success and error answers, and validates each response (status, media type, body) against the
document. Fails when the document is invalid, when a response does not conform, when a response
status is not documented for its operation, or when a documented operation was never exercised.
"""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate


class Check:
    def __init__(self, document):
        self.document = document
        self.components = document.get("components", {})
        self.exercised = set()
        self.passed = 0
        self.failures = []
        self.templates = []
        for template, item in document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            self.templates.append((re.compile(pattern), template, item))

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            target = self.document
            for part in ref[2:].split("/"):
                target = target[part]
            node = target
        return node

    def operation(self, method, path):
        for pattern, template, item in self.templates:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None, None

    def response(self, method, target, status, headers, body):
        path = target.split("?", 1)[0]
        name = f"{method} {target} -> {status}"
        template, operation = self.operation(method, path)
        if operation is None:
            self.failures.append(f"{name}: no operation in the document")
            return
        self.exercised.add(operation["operationId"])
        responses = operation["responses"]
        declared = responses.get(str(status)) or responses.get("default")
        if declared is None:
            self.failures.append(f"{name}: status {status} is not documented for {operation['operationId']}")
            return
        declared = self.resolve(declared)
        media = (headers.get("content-type") or "").split(";")[0].strip().lower()
        content = declared.get("content", {})
        if media not in content:
            self.failures.append(f"{name}: media type '{media}' is not documented ({', '.join(content)})")
            return
        for header in declared.get("headers", {}):
            if header.lower() not in headers:
                self.failures.append(f"{name}: documented header {header} is missing")
                return
        try:
            instance = json.loads(body)
        except ValueError as error:
            self.failures.append(f"{name}: the body is not JSON ({error})")
            return
        schema = dict(self.resolve(content[media]["schema"]))
        schema["components"] = self.components
        errors = sorted(OAS31Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            detail = "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:3])
            self.failures.append(f"{name}: {detail}")
            return
        self.passed += 1

    def coverage(self):
        for item in self.document["paths"].values():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete") and operation["operationId"] not in self.exercised:
                    self.failures.append(f"operation {operation['operationId']} was never exercised")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    def __init__(self, binary, root):
        self.binary = binary
        self.work = tempfile.mkdtemp(prefix="scim-gateway-openapi.")
        config = os.path.join(self.work, "tenants.d")
        os.makedirs(os.path.join(config, "mappings"))
        os.makedirs(os.path.join(self.work, "data"))
        shutil.copy(os.path.join(root, "tenants.d", "demo.yaml"), config)
        for name in os.listdir(os.path.join(root, "tenants.d", "mappings")):
            shutil.copy(os.path.join(root, "tenants.d", "mappings", name), os.path.join(config, "mappings"))
        with open(os.path.join(root, "schemas", "sqlite", "chamilo-1.11.sql")) as ddl:
            subprocess.run(["sqlite3", os.path.join(self.work, "data", "demo.sqlite")], stdin=ddl, check=True)
        self.admin = self.cli("tokens", "create", "--admin", "--name", "openapi-check").splitlines()[0]
        self.port = free_port()
        self.log = open(os.path.join(self.work, "server.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port)], cwd=self.work, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.time() > deadline or self.process.poll() is not None:
                    raise SystemExit("the gateway did not start:\n" + open(self.log.name).read())
                time.sleep(0.3)

    def cli(self, *arguments):
        result = subprocess.run([self.binary, *arguments], cwd=self.work, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"scim-gateway {' '.join(arguments)} failed: {result.stderr}")
        return result.stdout

    def request(self, method, target, body=None, token="admin", content_type="application/json", headers=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{target}", data=data, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {self.admin if token == 'admin' else token}")
        if data is not None:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()

    def stop(self):
        alive = self.process.poll() is None
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)
        return alive


def main():
    binary, root = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "openapi", "admin.yaml")) as file:
        document = yaml.safe_load(file)
    validate(document)
    print("openapi/admin.yaml is a valid OpenAPI 3.1 document")
    check = Check(document)
    gateway = Gateway(binary, root)
    expected = []

    def call(method, target, status, body=None, **options):
        answer = gateway.request(method, target, body, **options)
        check.response(method, target, *answer)
        if answer[0] != status:
            check.failures.append(f"{method} {target}: expected {status}, got {answer[0]}: {answer[2][:300]}")
        expected.append(status)
        return json.loads(answer[2]) if answer[2] else None

    try:
        tenant = "/admin/v1/tenants/demo"
        call("GET", "/admin/v1/tenants", 401, token=None)
        call("GET", "/admin/v1/tenants", 401, token="sgw_not-an-admin-token")
        call("GET", "/admin/v1/tenants", 200)
        call("POST", "/admin/v1/reload", 200)
        call("POST", "/admin/v1/reload", 401, token=None)
        call("GET", "/admin/v1/logs?limit=5", 200)
        call("GET", "/admin/v1/logs?tenant=demo&failed=true&since=1h", 200)
        call("GET", "/admin/v1/logs?since=yesterday-ish", 400)
        call("GET", "/admin/v1/logs", 401, token=None)

        call("GET", f"{tenant}/tokens", 200)
        call("GET", "/admin/v1/tenants/nobody/tokens", 404)
        call("GET", f"{tenant}/tokens", 401, token=None)
        created = call("POST", f"{tenant}/tokens", 201, {"name": "okta", "expires": "30d"})
        call("POST", f"{tenant}/tokens", 409, {"name": "okta"})
        call("POST", f"{tenant}/tokens", 400, {"name": 5})
        call("POST", f"{tenant}/tokens", 400, {"name": "x", "colour": "red"})
        call("POST", f"{tenant}/tokens", 400, {"name": "x", "expires": "soon"})
        call("POST", f"{tenant}/tokens", 400, b"{not json")
        call("POST", "/admin/v1/tenants/nobody/tokens", 404, {"name": "x"})
        call("POST", f"{tenant}/tokens", 401, {"name": "x"}, token=None)
        status, _, _ = gateway.request("GET", "/scim/v2/Users?count=1", token=created["token"])
        if status != 200:
            check.failures.append(f"the token made by the admin API answered {status} on /scim/v2/Users")
        listed = call("GET", f"{tenant}/tokens", 200)
        if not any(t["name"] == "okta" and t["lastUsed"] for t in listed["tokens"]):
            check.failures.append("the token's last use is not listed")
        if "sha256" in json.dumps(listed) or created["token"] in json.dumps(listed):
            check.failures.append("a token listing shows a token or its hash")
        call("POST", f"{tenant}/tokens/okta/rotate", 201, {"grace": "1h"})
        call("POST", f"{tenant}/tokens/okta/rotate", 400, {"grace": "never"})
        call("POST", f"{tenant}/tokens/nobody/rotate", 404)
        call("POST", f"{tenant}/tokens/okta/rotate", 401, token=None)
        call("POST", f"{tenant}/tokens/okta/revoke", 200)
        call("POST", f"{tenant}/tokens/okta/revoke", 404)
        call("POST", f"{tenant}/tokens/okta/revoke", 401, token=None)

        call("GET", f"{tenant}/clients", 200)
        call("GET", "/admin/v1/tenants/nobody/clients", 404)
        call("GET", f"{tenant}/clients", 401, token=None)
        client = call("POST", f"{tenant}/clients", 201, {"name": "entra gallery", "expires": "365d"})
        call("POST", f"{tenant}/clients", 409, {"name": "entra gallery"})
        call("POST", f"{tenant}/clients", 400, {})
        call("POST", "/admin/v1/tenants/nobody/clients", 404, {"name": "x"})
        call("POST", f"{tenant}/clients", 401, {"name": "x"}, token=None)
        basic = base64.b64encode(f"{client['clientId']}:{client['clientSecret']}".encode()).decode()
        status, headers, body = gateway.request(
            "POST", "/oauth/token", b"grant_type=client_credentials", token=None,
            content_type="application/x-www-form-urlencoded", headers={"Authorization": f"Basic {basic}"},
        )
        if status != 200 or json.loads(body).get("token_type") != "Bearer":
            check.failures.append(f"the client made by the admin API got {status} from /oauth/token: {body[:200]}")
        listed = call("GET", f"{tenant}/clients", 200)
        if client["clientSecret"] in json.dumps(listed):
            check.failures.append("a client listing shows a secret")
        if not any(c["lastUsed"] for c in listed["clients"]):
            check.failures.append("the client's last use is not listed")
        rotated = call("POST", f"{tenant}/clients/entra%20gallery/rotate", 201, {"grace": "2h", "expires": "730d"})
        if rotated and rotated["client"]["activeSecrets"] != 2:
            check.failures.append("a rotated client does not list two active secrets")
        call("POST", f"{tenant}/clients/entra%20gallery/rotate", 400, {"grace": "0s"})
        call("POST", f"{tenant}/clients/nobody/rotate", 404, {"grace": "1h"})
        call("POST", f"{tenant}/clients/x/rotate", 401, token=None)
        call("POST", f"{tenant}/clients/entra%20gallery/revoke", 200)
        call("POST", f"{tenant}/clients/entra%20gallery/revoke", 404)
        call("POST", f"{tenant}/clients/x/revoke", 401, token=None)
    finally:
        alive = gateway.stop()
    if not alive:
        check.failures.append("the gateway process died during the checks")
    check.coverage()
    for failure in check.failures:
        print(f"FAIL {failure}")
    print(f"openapi: {check.passed} passed, {len(check.failures)} failed")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
