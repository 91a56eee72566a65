"""Runs the real server binary (RUSTCHAT_BIN) on a temporary SQLite database
and drives coverage and drift against it. Skipped without RUSTCHAT_BIN."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from mm_compat.cli import main

BIN = os.environ.get("RUSTCHAT_BIN")
pytestmark = pytest.mark.skipif(not BIN, reason="RUSTCHAT_BIN is not set")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = dict(os.environ, RUSTCHAT_LISTEN=f"127.0.0.1:{port}", RUSTCHAT_DATA_DIR=str(tmp_path), RUSTCHAT_DATABASE_URL=f"sqlite://{tmp_path}/rustchat.db",
               RUSTCHAT_ENABLE_PUBLIC_LINK="true")  # so the file link routes are seeded too
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([str(Path(BIN).resolve()), "serve"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/v1/health", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_coverage_and_drift_against_the_real_server(server, tmp_path, fixtures):
    routes = tmp_path / "routes.json"
    routes.write_bytes(subprocess.run([BIN, "routes", "--json"], check=True, capture_output=True).stdout)
    out = tmp_path / "reports"
    spec = str(fixtures / "spec.yaml")
    assert main(["coverage", "--spec", spec, "--routes", str(routes), "--out", str(out)]) == 0
    assert main(["drift", "--spec", spec, "--server", server, "--out", str(out), "--justified", str(fixtures / "justified.yaml")]) == 0

    data = json.loads((out / "summary.json").read_text())
    assert data["coverage"]["launch_set"]["required"]["served"] >= 20
    drift = data["drift"]
    assert drift["seed_steps_failed"] == [], drift
    assert drift["get_routes"]["failed"] == 0, drift["failed_routes"]
    assert drift["get_routes"]["validated"] >= 4
    assert drift["probes"]["answered_501"] >= 2  # the fixture's LDAP operations
    report = (out / "drift.md").read_text()
    assert "| `GET /api/v4/users/{user_id}` | 200 | validated |" in report
