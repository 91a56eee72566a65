"""A2A agents as chat bots, against agents served by the official A2A SDK
(a2a-sdk, pinned in requirements-agents.txt and installed by scripts/compat
into .venv-agents; AGENTS_PYTHON names another interpreter).

Each agent (agents/a2a_agent.py) runs as its own process on 127.0.0.1. The
admin registers it through POST /api/v1/agents with its card URL; the server
reads the card, makes a bot user, and from then on forwards what users say to
the bot (in a DM, or when mentioned in a channel) to the agent and posts the
answer as the bot. The agents' answers carry what the server sent them (the
contextId, the turn within it), so the tests see the server's side too."""

import json
import os
import re
import select
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from websockets.sync.client import connect

from helpers import MM_URL, assert_id, assert_millis, eventually, new_channel, rand

PY_DIR = Path(__file__).resolve().parent.parent
AGENT_SCRIPT = PY_DIR / "agents" / "a2a_agent.py"
AGENTS_PYTHON = Path(os.environ.get("AGENTS_PYTHON", PY_DIR / ".venv-agents" / "bin" / "python"))
START_WAIT = 60  # seconds for an agent process to listen (imports are slow on a busy machine)
ANSWER_WAIT = 20  # seconds for a bot's answer to show up

pytestmark = pytest.mark.skipif(
    not AGENTS_PYTHON.exists(),
    reason=f"the A2A SDK's virtualenv is missing ({AGENTS_PYTHON}): scripts/compat makes it from requirements-agents.txt")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AgentProcess:
    """One agents/a2a_agent.py process, listening once it printed "ready"."""

    def __init__(self, kind, api_key="", v03=False):
        self.kind = kind
        self.port = free_port()
        self.card_url = f"http://127.0.0.1:{self.port}/.well-known/agent-card.json"
        self.endpoint_url = f"http://127.0.0.1:{self.port}/a2a"
        args = [str(AGENTS_PYTHON), str(AGENT_SCRIPT), "--port", str(self.port), "--kind", kind]
        if api_key:
            args += ["--api-key", api_key]
        if v03:
            args.append("--v03")
        self.log = tempfile.NamedTemporaryFile("w", prefix=f"a2a-{kind}-", suffix=".log", delete=False, encoding="utf-8")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        end = time.monotonic() + START_WAIT
        line = ""
        while not line and time.monotonic() < end and self.process.poll() is None:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline().strip()
        if line != "ready":
            self.stop()
            pytest.fail(f"the {kind} agent did not start (got {line!r}):\n{self.tail()}")

    def tail(self):
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)


def agents_api(driver, method, path, **kwargs):
    """The server's native agent routes, with the driver's session token."""
    headers = {"Authorization": f"Bearer {driver.client.token}"}
    return requests.request(method, f"{MM_URL}/api/v1/agents{path}", headers=headers, timeout=30, **kwargs)


def register(driver, agent, secret=None, username=None):
    body = {"card_url": agent.card_url, "username": username or f"{agent.kind}{rand(8)}"}
    if secret is not None:
        body["secret"] = secret
    response = agents_api(driver, "post", "", json=body)
    assert response.status_code == 201, f"registering the {agent.kind} agent: HTTP {response.status_code} {response.text[:500]}"
    created = response.json()
    assert created["username"] == body["username"], "the bot takes the username asked for"
    return created


class World:
    """Agent processes and their bots, shared by the module: each kind starts
    once (a process costs seconds) and each test talks in its own DM or thread."""

    def __init__(self, admin):
        self.admin = admin
        self.processes = []
        self.bots = {}

    def start(self, kind, **options):
        agent = AgentProcess(kind, **options)
        self.processes.append(agent)
        return agent

    def bot(self, kind, v03=False):
        key = (kind, v03)
        if key not in self.bots:
            agent = self.start(kind, v03=v03)
            self.bots[key] = (agent, register(self.admin.driver, agent))
        return self.bots[key]

    def close(self):
        for _, registered in self.bots.values():
            agents_api(self.admin.driver, "delete", f"/{registered['id']}")
        for agent in self.processes:
            agent.stop()


@pytest.fixture(scope="module")
def world(admin):
    shared = World(admin)
    try:
        yield shared
    finally:
        shared.close()


def dm_with(account, bot_user_id):
    return account.driver.channels.create_direct_message_channel(options=[account.id, bot_user_id])


def say(account, channel_id, message, root_id=""):
    return account.driver.posts.create_post(options={"channel_id": channel_id, "message": message, "root_id": root_id})


def bot_posts(account, channel_id, bot_user_id):
    posts = account.driver.posts.get_posts_for_channel(channel_id, params={"per_page": 200})["posts"].values()
    return sorted((p for p in posts if p["user_id"] == bot_user_id), key=lambda p: p["create_at"])


def wait_bot_post(account, channel_id, bot_user_id, check, what, agent=None, timeout=ANSWER_WAIT):
    """The bot's first post in the channel that passes check, or a failure naming what never came."""
    found = eventually(
        lambda: [p for p in bot_posts(account, channel_id, bot_user_id) if check(p)],
        lambda matching: bool(matching),
        timeout=timeout,
    )
    seen = [p["message"] for p in bot_posts(account, channel_id, bot_user_id)]
    assert found, f"{what} never came; the bot posted {seen}" + (f"\nagent log:\n{agent.tail()}" if agent else "")
    return found[0]


def channel_with(admin, team, *user_ids):
    """A new public channel of `team` whose members (of the team too) are `user_ids`."""
    for user_id in user_ids:
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": user_id})
    channel = new_channel(admin.driver, team["id"], prefix="py-agent")
    for user_id in user_ids:
        admin.driver.channels.add_user(channel["id"], options={"user_id": user_id})
    return channel


def echo_text(text, context, turn):
    return f"echo: {text} | context={context} | turn={turn}"


# ---------------------------------------------------------------------------
# Registration


def test_register_reads_the_card_and_makes_a_bot(admin, world):
    agent = world.start("echo")
    username = f"echo{rand(8)}"
    created = register(admin.driver, agent, username=username)
    try:
        assert_id(created["id"], "agent id")
        assert created["id"] == created["user_id"], "an agent's id is its bot's user id"
        assert created["display_name"] == "Echo Agent"
        assert created["description"] == "Repeats what it is told, with the conversation it belongs to."
        assert created["icon_url"] == "https://example.com/icons/echo.png"
        assert created["card_url"] == agent.card_url
        assert created["endpoint_url"] == agent.endpoint_url, "the endpoint is the card's interface URL"
        assert created["protocol_version"] == "1.0"
        assert created["streaming"] is False
        assert created["auth"]["scheme"] == "none" and created["auth"]["has_secret"] is False, created["auth"]
        assert created["enabled"] is True
        assert created["creator_id"] == admin.user["id"]
        assert_millis(created["create_at"], "create_at")
        assert_millis(created["update_at"], "update_at")
        assert created["last_error"] == ""
        skills = {s["id"]: s for s in created["skills"]}
        assert set(skills) == {"echo-main", "echo-help"}
        assert skills["echo-main"] == {
            "id": "echo-main", "name": "Echo Agent: main skill",
            "description": "Repeats what it is told, with the conversation it belongs to.",
            "tags": ["echo", "test"], "examples": ["echo hello", "say something"],
        }

        user = admin.driver.users.get_user(created["user_id"])
        assert user["is_bot"] is True, f"the agent's user is a bot: {user}"
        assert user["username"] == username

        listed = agents_api(admin.driver, "get", "")
        assert listed.status_code == 200
        assert created["id"] in [a["id"] for a in listed.json()]
        single = agents_api(admin.driver, "get", f"/{created['id']}")
        assert single.status_code == 200 and single.json()["card_url"] == agent.card_url

        patched = agents_api(admin.driver, "patch", f"/{created['id']}", json={"enabled": False})
        assert patched.status_code == 200, patched.text[:300]
        assert patched.json()["enabled"] is False
        assert agents_api(admin.driver, "get", f"/{created['id']}").json()["enabled"] is False
        refreshed = agents_api(admin.driver, "patch", f"/{created['id']}", json={"enabled": True, "refresh": True})
        assert refreshed.status_code == 200, refreshed.text[:300]
        assert refreshed.json()["enabled"] is True
        assert refreshed.json()["display_name"] == "Echo Agent"
    finally:
        agents_api(admin.driver, "delete", f"/{created['id']}")


def test_plain_user_may_not_register_an_agent(make_user, world):
    agent = world.bot("echo")[0]
    user = make_user()
    response = agents_api(user.driver, "post", "", json={"card_url": agent.card_url, "username": f"nope{rand(8)}"})
    assert response.status_code == 403, f"a plain user is refused: HTTP {response.status_code} {response.text[:300]}"


def test_a_url_that_is_no_agent_card_is_refused(admin):
    for url in (f"http://127.0.0.1:{free_port()}/.well-known/agent-card.json", f"{MM_URL}/api/v4/system/ping"):
        response = agents_api(admin.driver, "post", "", json={"card_url": url, "username": f"bad{rand(8)}"})
        assert response.status_code == 400, f"{url}: HTTP {response.status_code} {response.text[:300]}"
        assert response.json().get("message"), f"a refusal says why: {response.text[:300]}"


def test_deleted_agent_no_longer_answers(admin, make_user, world):
    agent = world.start("echo")
    created = register(admin.driver, agent)
    user = make_user()
    dm = dm_with(user, created["user_id"])
    say(user, dm["id"], "before")
    wait_bot_post(user, dm["id"], created["user_id"], lambda p: p["message"].startswith("echo: before"), "the answer", agent)

    deleted = agents_api(admin.driver, "delete", f"/{created['id']}")
    assert deleted.status_code in (200, 204), deleted.text[:300]
    assert agents_api(admin.driver, "get", f"/{created['id']}").status_code == 404
    assert created["id"] not in [a["id"] for a in agents_api(admin.driver, "get", "").json()]

    try:
        say(user, dm["id"], "after")
    except Exception:
        return  # refusing the post outright is a way of not answering
    time.sleep(5)
    assert not [p for p in bot_posts(user, dm["id"], created["user_id"]) if "after" in p["message"]], (
        "a deleted agent's bot does not answer")


# ---------------------------------------------------------------------------
# Conversations


def test_dm_keeps_one_context_per_conversation(make_user, world):
    agent, bot = world.bot("echo")
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    first, second = f"hello {rand(6)}", f"again {rand(6)}"

    say(user, dm["id"], first)
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: first in p["message"], "the first answer", agent)
    assert answer["message"] == echo_text(first, dm["id"], 1), "the DM channel's id is the contextId"
    assert answer["channel_id"] == dm["id"] and answer["root_id"] == ""

    say(user, dm["id"], second)
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: second in p["message"], "the second answer", agent)
    assert answer["message"] == echo_text(second, dm["id"], 2), "the second message is turn 2 of the same context"


def test_mention_answers_in_the_thread(admin, make_user, make_team, world):
    agent, bot = world.bot("echo")
    user = make_user()
    channel = channel_with(admin, make_team(), user.id, bot["user_id"])

    word = rand(8)
    root = say(user, channel["id"], f"@{bot['username']} what about {word}?")
    answer = wait_bot_post(user, channel["id"], bot["user_id"], lambda p: word in p["message"], "the answer to the mention", agent)
    assert answer["root_id"] == root["id"], "the answer goes in the mentioning post's thread"
    assert answer["message"].startswith("echo: ")
    assert answer["message"].endswith(f"| context={root['id']} | turn=1"), answer["message"]

    # A mention in a reply belongs to the thread's conversation.
    word2 = rand(8)
    say(user, channel["id"], f"@{bot['username']} and {word2}?", root_id=root["id"])
    answer = wait_bot_post(user, channel["id"], bot["user_id"], lambda p: word2 in p["message"], "the answer in the thread", agent)
    assert answer["root_id"] == root["id"]
    assert answer["message"].endswith(f"| context={root['id']} | turn=2"), answer["message"]

    # A post that does not mention the bot gets no answer.
    quiet = rand(8)
    say(user, channel["id"], f"nothing for the bot {quiet}")
    time.sleep(3)
    assert not [p for p in bot_posts(user, channel["id"], bot["user_id"]) if quiet in p["message"]]


def ws_url():
    return MM_URL.replace("http", "ws", 1) + "/api/v4/websocket"


def test_streamed_answer_is_posted_once_and_edited(make_user, world):
    agent, bot = world.bot("stream")
    assert bot["streaming"] is True
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    text = f"tell me about {rand(8)}"
    expected = f"streamed: {text}"

    with connect(ws_url(), additional_headers={"Authorization": f"Bearer {user.driver.client.token}"}, open_timeout=10) as ws:
        assert json.loads(ws.recv(timeout=10)).get("event") == "hello"
        say(user, dm["id"], text)
        seen = []  # (event, post) of the bot's posts in this DM
        end = time.monotonic() + ANSWER_WAIT
        while time.monotonic() < end and not (seen and seen[-1][1]["message"] == expected):
            try:
                frame = json.loads(ws.recv(timeout=max(0.1, end - time.monotonic())))
            except TimeoutError:
                break
            if frame.get("event") in ("posted", "post_edited"):
                post = json.loads(frame["data"]["post"])
                if post["user_id"] == bot["user_id"] and post["channel_id"] == dm["id"]:
                    seen.append((frame["event"], post))
    assert seen, f"the bot's answer never came over the socket\nagent log:\n{agent.tail()}"
    assert [e for e, _ in seen].count("posted") == 1, f"the answer is posted once, then edited: {[e for e, _ in seen]}"
    assert seen[0][0] == "posted"
    assert len({p["id"] for _, p in seen}) == 1, "every edit is of the same post"
    assert any(e == "post_edited" for e, _ in seen), "the post grows by edits as the stream comes"
    assert seen[-1][1]["message"] == expected, f"the final message holds the whole text: {seen[-1][1]['message']!r}"
    assert seen[0][1]["message"] != expected, "the first post came before the whole answer had"

    final = user.driver.posts.get_post(seen[0][1]["id"])
    assert final["message"] == expected
    assert final["update_at"] > final["create_at"], "the post was edited after it was made"


def test_input_required_continues_in_the_dm(make_user, world):
    agent, bot = world.bot("ask")
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    say(user, dm["id"], "deploy the app")
    wait_bot_post(user, dm["id"], bot["user_id"], lambda p: "Which environment?" in p["message"], "the question", agent)

    environment = f"staging-{rand(6)}"
    say(user, dm["id"], environment)
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: environment in p["message"], "the deployment", agent)
    assert f"deploying to {environment}" in answer["message"], "the answer continues the task that asked"


def test_input_required_continues_in_the_thread_without_a_new_mention(admin, make_user, make_team, world):
    agent, bot = world.bot("ask")
    user = make_user()
    bystander = make_user()
    channel = channel_with(admin, make_team(), user.id, bot["user_id"], bystander.id)

    root = say(user, channel["id"], f"@{bot['username']} deploy please")
    question = wait_bot_post(user, channel["id"], bot["user_id"], lambda p: "Which environment?" in p["message"], "the question", agent)
    assert question["root_id"] == root["id"]

    # Somebody else's reply in the thread is not the answer the agent waits for.
    say(bystander, channel["id"], "not me", root_id=root["id"])
    time.sleep(3)
    assert len(bot_posts(user, channel["id"], bot["user_id"])) == 1, "the bystander's reply went to the agent"

    environment = f"prod-{rand(6)}"
    say(user, channel["id"], environment, root_id=root["id"])
    answer = wait_bot_post(user, channel["id"], bot["user_id"], lambda p: environment in p["message"], "the deployment", agent)
    assert answer["root_id"] == root["id"]
    assert f"deploying to {environment}" in answer["message"]


def test_data_part_becomes_a_json_code_block(make_user, world):
    agent, bot = world.bot("data")
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    say(user, dm["id"], "the numbers, please")
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: "```" in p["message"], "the data", agent)
    assert "Here is the data." in answer["message"], "the text part is kept"
    block = re.search(r"```json\n(.*?)\n```", answer["message"], re.S)
    assert block, f"the data part is a ```json code block: {answer['message']!r}"
    assert json.loads(block.group(1)) == {"status": "ok", "items": [1, 2, 3]}
    # A file sent by address is a link; one sent inline is attached to the post.
    assert "[the full report](https://example.com/reports/full)" in answer["message"], answer["message"]
    assert len(answer["file_ids"]) == 1, answer
    info = user.driver.files.get_file_metadata(answer["file_ids"][0])
    assert info["name"] == "report.csv", info
    content = user.driver.files.get_file(answer["file_ids"][0])
    assert content.content == b"region,total\nnorth,42\n", content.content


def test_agent_error_gives_a_warning_post(make_user, world):
    agent, bot = world.bot("fail")
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    say(user, dm["id"], "please work")
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: True, "a failure post", agent)
    assert answer["message"].startswith(":warning:"), answer["message"]
    assert "fails on purpose" in answer["message"], f"the post says what the agent answered: {answer['message']!r}"


def test_agent_timeout_gives_a_warning_post(make_user, world):
    agent, bot = world.bot("slow")
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    started = time.monotonic()
    say(user, dm["id"], "take your time")
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: True, "a timeout post", agent)
    assert time.monotonic() - started < 9, "the server gives up before the agent's 10 s are over"
    assert answer["message"].startswith(":warning:"), answer["message"]
    assert "did not answer" in answer["message"], answer["message"]


def test_api_key_agent_gets_its_stored_key(admin, make_user, world):
    key = f"key-{rand(16)}"
    agent = world.start("echo", api_key=key)
    created = register(admin.driver, agent, secret=key)
    try:
        assert created["auth"] == {"scheme": "api_key", "header": "X-API-Key", "has_secret": True}
        for response in (agents_api(admin.driver, "get", f"/{created['id']}"), agents_api(admin.driver, "get", "")):
            assert response.status_code == 200
            assert key not in response.text, "the secret is never shown"
        assert "secret" not in agents_api(admin.driver, "get", f"/{created['id']}").json()

        user = make_user()
        dm = dm_with(user, created["user_id"])
        text = f"with key {rand(6)}"
        say(user, dm["id"], text)
        answer = wait_bot_post(user, dm["id"], created["user_id"], lambda p: text in p["message"], "the answer", agent)
        assert answer["message"] == echo_text(text, dm["id"], 1)

        # A wrong key is refused by the agent (HTTP 401), and the user is told.
        patched = agents_api(admin.driver, "patch", f"/{created['id']}", json={"secret": "wrong"})
        assert patched.status_code == 200 and patched.json()["auth"]["has_secret"] is True
        assert "wrong" not in json.dumps(patched.json()["auth"])
        say(user, dm["id"], "with the wrong key")
        warning = wait_bot_post(user, dm["id"], created["user_id"], lambda p: p["message"].startswith(":warning:"),
                                "a failure post", agent)
        assert "401" in warning["message"] or "auth" in warning["message"].lower(), warning["message"]
    finally:
        agents_api(admin.driver, "delete", f"/{created['id']}")


def test_a2a_0_3_agent_is_spoken_to_in_0_3(make_user, world):
    agent, bot = world.bot("echo", v03=True)
    assert bot["protocol_version"] == "0.3"
    assert bot["endpoint_url"] == agent.endpoint_url
    user = make_user()
    dm = dm_with(user, bot["user_id"])
    text = f"old school {rand(6)}"
    say(user, dm["id"], text)
    # The agent refuses the 1.0 method names: an answer means message/send was used.
    answer = wait_bot_post(user, dm["id"], bot["user_id"], lambda p: text in p["message"], "the answer", agent)
    assert answer["message"] == echo_text(text, dm["id"], 1)
