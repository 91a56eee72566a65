#!/usr/bin/env python3
"""Fails when an integration secret the suites created appears in the server's log.

Reads the secrets from the server's database after the suites ran — the ids of
incoming webhooks (their URL is the secret), the tokens of custom slash commands
and of outgoing webhooks, the ids of command response URLs — and looks for each
in the log. Usage: secrets_in_log.py DATABASE_URL LOG_FILE
"""
import sqlite3
import subprocess
import sys

QUERIES = [
    "SELECT id FROM incoming_webhooks",
    "SELECT token FROM commands",
    "SELECT id FROM command_webhooks",
    "SELECT token FROM outgoing_webhooks",
]


def secrets(db_url):
    found = []
    if db_url.startswith("sqlite://"):
        path = db_url[len("sqlite://"):].split("?")[0]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            for query in QUERIES:
                try:
                    found += [row[0] for row in db.execute(query)]
                except sqlite3.OperationalError:
                    pass  # a table this version does not have
    else:
        for query in QUERIES:
            run = subprocess.run(["psql", db_url, "-Atc", query], capture_output=True, text=True)
            if run.returncode == 0:
                found += [line for line in run.stdout.splitlines() if line]
    return [s for s in found if len(s) >= 16]


def main():
    db_url, log_path = sys.argv[1], sys.argv[2]
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    listed = secrets(db_url)
    leaked = [s for s in listed if s in log]
    if leaked:
        print(f"{len(leaked)} integration secret(s) of {len(listed)} appear in the server log", file=sys.stderr)
        return 1
    print(f"none of {len(listed)} integration secrets appears in the server log ({len(log)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
