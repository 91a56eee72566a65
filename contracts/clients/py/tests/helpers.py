"""Helpers shared by the mattermostdriver suite.

Every test talks to the rustchat server named by MM_URL through the official
Python driver (mattermostdriver). Where a test needs the HTTP status or a
header, it uses the driver's own request method (``driver.client.make_request``),
which returns the raw ``requests`` response on success.

Two habits of the driver that a server must tolerate, exercised by every test:
GET and DELETE requests carry a JSON body ``{}`` with Content-Type
application/json, and a response body is only parsed when Content-Type is
exactly ``application/json``.
"""

import hashlib
import os
import re
import secrets
import time
import urllib.parse

import pytest
import requests
from mattermostdriver import Driver

MM_URL = os.environ.get("MM_URL", "").rstrip("/")
if not MM_URL:
    raise pytest.UsageError("MM_URL is not set: point it at a running rustchat server, e.g. MM_URL=http://127.0.0.1:8065")

PASSWORD = "Compat-Passw0rd!"
ADMIN = {"username": "compat-admin", "email": "compat-admin@example.com", "password": PASSWORD}
ID_RE = re.compile(r"^[a-z0-9]{26}$")
ID_ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"


def driver_options(**extra):
    """The driver's options for MM_URL: it wants host, port and scheme apart."""
    url = urllib.parse.urlsplit(MM_URL)
    port = url.port or (443 if url.scheme == "https" else 80)
    options = {
        "url": url.hostname,
        "scheme": url.scheme,
        "port": port,
        "basepath": url.path.rstrip("/") + "/api/v4",
        "verify": True,
        "request_timeout": 30,
    }
    options.update(extra)
    return options


def new_driver(**extra):
    return Driver(driver_options(**extra))


def logged_in(login_id, password=PASSWORD):
    driver = new_driver(login_id=login_id, password=password)
    driver.login()
    return driver


def rand(n=10):
    return secrets.token_hex(8)[:n]


def unknown_id():
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def assert_id(value, what="id"):
    assert isinstance(value, str) and ID_RE.match(value), f"{what} must be a 26-character id, got {value!r}"


def assert_millis(value, what="timestamp"):
    assert isinstance(value, int) and not isinstance(value, bool), f"{what} must be an integer, got {value!r}"
    assert 10**12 < value < 10**14, f"{what} must be milliseconds since the epoch, got {value}"


def semver(value):
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", str(value or ""))
    return tuple(int(x) for x in match.groups()) if match else None


def assert_version_at_least(value, minimum, what):
    got = semver(value)
    assert got is not None, f"{what} must start with major.minor.patch, got {value!r}"
    assert got >= semver(minimum), f"{what} must be >= {minimum}, got {value}"


def raw(driver, method, path, **kwargs):
    """A request with the driver's URL and credentials that does not raise on
    errors, for the few checks that need an error response's body."""
    headers = dict(driver.client.auth_header() or {})
    headers.update(kwargs.pop("headers", {}))
    return requests.request(method, driver.client.url + path, headers=headers, timeout=30, **kwargs)


def assert_mattermost_error(response, status):
    assert response.status_code == status, f"expected HTTP {status}, got {response.status_code}: {response.text[:300]}"
    assert response.headers.get("Content-Type") == "application/json", "error bodies are application/json"
    body = response.json()
    for key in ("id", "message", "detailed_error", "request_id"):
        assert isinstance(body.get(key), str), f"error body field {key} must be a string: {body}"
    assert body["id"], "error id must not be empty"
    assert body["message"], "error message must not be empty"
    assert body.get("status_code") == status, f"status_code must repeat the HTTP status: {body}"
    assert body["request_id"] == response.headers.get("X-Request-Id"), "request_id must equal the X-Request-Id header"
    return body


def eventually(fetch, check, timeout=3.0):
    end = time.monotonic() + timeout
    value = fetch()
    while not check(value) and time.monotonic() < end:
        time.sleep(0.1)
        value = fetch()
    return value


def gm_name(user_ids):
    return hashlib.sha1("".join(sorted(user_ids)).encode()).hexdigest()


def new_channel(driver, team_id, kind="O", prefix="py"):
    name = f"{prefix}-chan-{rand(10)}"
    return driver.channels.create_channel(options={
        "team_id": team_id, "name": name, "display_name": f"Compat {name}", "type": kind,
    })


def pending_post_id(user_id):
    return f"{user_id}:{int(time.time() * 1000)}{rand(4)}"
