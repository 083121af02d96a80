"""Writes many tenant files and their token files for bench/run, without the CLI.

    python3 bench/tenants.py CONFIG-DIR COUNT SQLITE-PATH TOKENS-OUT

Tenant i (t00001 …) is a Chamilo 1.11 SQLite tenant on SQLITE-PATH (all share the file, as the
access URLs of one multi-URL portal share one database). Its token file `t00001.tokens` has one
token, written as `scim-gateway tokens create` writes it (Sources/Tenants/Tokens/TokenFile.swift:
JSON `{"tokens": [{id, name, sha256, created}]}`, sha256 = SHA-256 of the token's UTF-8 bytes in
lower-case hex, mode 0600). The token is `sgw_` and 32 random bytes in base64url, as the CLI makes
them; TOKENS-OUT gets one `TENANT TOKEN` line per tenant. `tokens create` once per tenant takes
about a tenth of a second each (a process start and a config load), 10,000 of them minutes.
"""

import base64
import hashlib
import json
import os
import secrets
import sys


def main() -> None:
    config_dir, count, sqlite_path, tokens_out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(config_dir, exist_ok=True)
    created = "2026-01-01T00:00:00Z"
    with open(tokens_out, "w") as out:
        for i in range(1, count + 1):
            tenant = f"t{i:05d}"
            with open(os.path.join(config_dir, tenant + ".yaml"), "w") as f:
                f.write(
                    f"id: {tenant}\n"
                    f"name: Benchmark portal {i}\n"
                    "backend:\n"
                    "  kind: sqlite\n"
                    f"  path: {sqlite_path}\n"
                    "mapping: chamilo-1.11\n"
                    "settings:\n"
                    "  accessUrlId: 1\n"
                    "  passwordEncryption: bcrypt\n"
                    "deprovision: deactivate\n"
                    "rateLimit: { perSecond: 1000000, burst: 10000000 }\n"
                )
            token = "sgw_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
            record = {
                "created": created,
                "id": "tok_" + secrets.token_hex(8),
                "name": "bench",
                "sha256": hashlib.sha256(token.encode()).hexdigest(),
            }
            path = os.path.join(config_dir, tenant + ".tokens")
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w") as f:
                f.write(json.dumps({"tokens": [record]}, indent=2, sort_keys=True) + "\n")
            out.write(f"{tenant} {token}\n")


if __name__ == "__main__":
    main()
