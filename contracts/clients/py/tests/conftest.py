"""Fixtures for the mattermostdriver suite: the shared admin account and
factories for users and teams. See helpers.py for the request helpers."""

import functools
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from mattermostdriver.exceptions import NoAccessTokenProvided
from mattermostdriver.websocket import Websocket

from helpers import ADMIN, PASSWORD, logged_in, new_driver, rand

# Contract recording. When CONTRACTS_RECORD names a file, every HTTP exchange
# (the driver's and the tests' own `requests` calls alike) and every WebSocket
# frame the driver receives is appended to it as one JSON line, for
# contracts/tests/schemas/ to validate against contracts/schemas/. Unset,
# nothing is patched.
RECORD_FILE = os.environ.get("CONTRACTS_RECORD", "")
_record_lock = threading.Lock()


def _record(entry):
    line = json.dumps({"client": "py", **entry}) + "\n"
    with _record_lock, open(RECORD_FILE, "a", encoding="utf-8") as out:
        out.write(line)


def _install_recording():
    send = requests.Session.send

    # requests.get/post/... and the driver all end in Session.send, which calls
    # itself again for each redirect hop: each call records the answer to its
    # own request, the first of the history when redirects were followed.
    # Streamed bodies are left unread.
    @functools.wraps(send)
    def recording_send(self, request, **kwargs):
        response = send(self, request, **kwargs)
        if not kwargs.get("stream"):
            own = response.history[0] if response.history else response
            _record({
                "method": request.method,
                "url": request.url,
                "status": own.status_code,
                "body": own.content.decode("utf-8", "replace"),
            })
        return response

    connect = Websocket.connect

    # The driver passes every frame it receives, replies included, to the
    # event handler given to connect(). (wraps keeps the qualified name, by
    # which test_websocket.py finds the driver's task to cancel it.)
    @functools.wraps(connect)
    async def recording_connect(self, event_handler):
        async def handler(message):
            text = message if isinstance(message, str) else message.decode("utf-8", "replace")
            _record({"ws": True, "frame": text})
            return await event_handler(message)

        return await connect(self, handler)

    requests.Session.send = recording_send
    Websocket.connect = recording_connect


if RECORD_FILE:
    _install_recording()


class Admin:
    def __init__(self, driver, user, created):
        self.driver = driver
        self.user = user
        self.created = created


@pytest.fixture(scope="session")
def admin():
    """The shared admin account: the first user on a fresh server (the
    Client4 suite may have made it already when both suites share a server)."""
    try:
        driver = logged_in(ADMIN["username"])
        return Admin(driver, driver.users.get_user("me"), None)
    except NoAccessTokenProvided:
        pass
    created = new_driver().users.create_user(options=dict(ADMIN))
    driver = logged_in(ADMIN["username"])
    return Admin(driver, driver.users.get_user("me"), created)


class Account:
    def __init__(self, driver, user):
        self.driver = driver
        self.user = user
        self.id = user["id"]
        self.username = user["username"]


class Pool:
    """Users shared by the whole session. Creating and logging in a user costs
    two password hashes on the server, so tests reuse a few accounts (and make
    fresh teams and channels instead); new ones are created in parallel."""

    def __init__(self, admin):
        self.admin = admin
        self.accounts = []

    def create(self):
        username = f"py-{rand(10)}"
        user = self.admin.driver.users.create_user(options={
            "username": username,
            "email": f"{username}@example.com",
            "password": PASSWORD,
            "first_name": "Compat",
            "last_name": "Py",
        })
        return Account(logged_in(username), user)

    def take(self, n):
        missing = n - len(self.accounts)
        if missing > 0:
            with ThreadPoolExecutor(max_workers=missing) as executor:
                self.accounts.extend(executor.map(lambda _: self.create(), range(missing)))
        return self.accounts[:n]


@pytest.fixture(scope="session")
def pool(admin):
    users = Pool(admin)
    users.take(3)  # the most any test asks for, made in parallel up front
    return users


@pytest.fixture
def make_user(pool):
    """Hands out a different pooled user on each call within one test."""
    handed = []

    def make(prefix="py"):
        account = pool.take(len(handed) + 1)[len(handed)]
        handed.append(account)
        return account

    return make


@pytest.fixture
def make_team(admin):
    def make(prefix="py"):
        name = f"{prefix}-team-{rand(10)}"
        return admin.driver.teams.create_team(options={"name": name, "display_name": f"Compat {name}", "type": "O"})

    return make
