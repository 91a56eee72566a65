"""The server's MCP endpoint ({MM_URL}/mcp), driven by the official MCP
Python SDK (mcp, pinned in requirements-agents.txt, in .venv-agents made by
scripts/compat; AGENTS_PYTHON names another interpreter) through
agents/mcp_probe.py, with a user's personal access token as bearer token.

Both ways the SDK connects are run: "legacy" (the initialize handshake) and
"auto" (the SDK's default: a server/discover probe, then the handshake if the
server does not answer it). The tools act as the token's user: what that user
may not read or post to stays out of reach."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import MM_URL, new_channel, rand

PY_DIR = Path(__file__).resolve().parent.parent
PROBE = PY_DIR / "agents" / "mcp_probe.py"
AGENTS_PYTHON = Path(os.environ.get("AGENTS_PYTHON", PY_DIR / ".venv-agents" / "bin" / "python"))
TOOLS = {"list_channels", "read_channel", "get_thread", "search_posts", "post_message", "list_users", "get_user", "add_reaction"}

pytestmark = pytest.mark.skipif(
    not AGENTS_PYTHON.exists(),
    reason=f"the MCP SDK's virtualenv is missing ({AGENTS_PYTHON}): scripts/compat makes it from requirements-agents.txt")


def probe(token, mode, calls=()):
    """Runs the probe; returns (exit code, its JSON output)."""
    done = subprocess.run(
        [str(AGENTS_PYTHON), str(PROBE), "--url", f"{MM_URL}/mcp", "--token", token, "--mode", mode,
         "--calls", json.dumps(list(calls))],
        capture_output=True, text=True, timeout=120)
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        pytest.fail(f"the probe printed no JSON (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.returncode, out


def connected(token, mode, calls=()):
    code, out = probe(token, mode, calls)
    assert code == 0, f"the probe failed in {mode} mode: {out}"
    assert len(out["results"]) == len(calls)
    return out


@pytest.fixture(scope="module")
def mcp_world(admin, pool):
    (user,) = pool.take(1)
    team = admin.driver.teams.create_team(options={"name": f"py-mcp-{rand(10)}", "display_name": "MCP", "type": "O"})
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": user.id})
    public = new_channel(admin.driver, team["id"], prefix="py-mcp")
    admin.driver.channels.add_user(public["id"], options={"user_id": user.id})
    private = new_channel(admin.driver, team["id"], kind="P", prefix="py-mcp-secret")
    secret_word = f"secret{rand(8)}"
    admin.driver.posts.create_post(options={"channel_id": private["id"], "message": f"only for admins {secret_word}"})
    token = admin.driver.users.create_user_access_token(user.id, options={"description": "mcp probe"})
    return {"user": user, "team": team, "public": public, "private": private, "secret_word": secret_word,
            "token": token["token"]}


def messages_in(admin, channel_id):
    return [p["message"] for p in admin.driver.posts.get_posts_for_channel(channel_id)["posts"].values()]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_tools_act_as_the_token_user(admin, mcp_world, mode):
    world = mcp_world
    user, public, private, team = world["user"], world["public"], world["private"], world["team"]
    word = f"mcp{rand(10)}"
    message = f"hello from mcp {word}"

    out = connected(world["token"], mode, [
        {"tool": "post_message", "arguments": {"channel_id": public["id"], "message": message}},
        {"tool": "read_channel", "arguments": {"channel_id": public["id"]}},
        {"tool": "list_channels", "arguments": {"team_id": team["id"]}},
        {"tool": "list_users", "arguments": {"query": user.username}},
        {"tool": "get_user", "arguments": {"username": user.username}},
    ])
    if mode == "legacy":
        assert out["protocol_version"] == "2025-11-25", "the handshake settles on the version the client offers"
    else:
        # The SDK's default tries the era without a handshake first, which the server speaks.
        assert out["protocol_version"] == "2026-07-28", out["protocol_version"]
    assert out["server_name"], "the server names itself"
    assert TOOLS <= set(out["tools"]), f"missing tools: {TOOLS - set(out['tools'])}"

    posted, read, channels, users, got = out["results"]
    assert not posted["is_error"], posted
    post = posted["structured"]["post"]
    assert post["message"] == message and post["channel_id"] == public["id"]
    assert post["user_id"] == user.id, "the post is made as the token's user"

    assert not read["is_error"], read
    found = [p for p in read["structured"]["posts"] if p["id"] == post["id"]]
    assert found, "read_channel returns the new post"
    assert found[0]["message"] == message and found[0]["user_id"] == user.id and found[0]["username"] == user.username
    assert found[0]["root_id"] == "" and isinstance(found[0]["create_at"], int)
    assert isinstance(read["structured"]["has_more"], bool)

    assert not channels["is_error"], channels
    listed = json.dumps(channels["structured"])
    assert public["id"] in listed, "the user's channel is listed"
    assert private["id"] not in listed, "a private channel the user is not in is not listed"

    assert not users["is_error"], users
    match = [u for u in users["structured"]["users"] if u["id"] == user.id]
    assert match and match[0]["username"] == user.username and match[0]["is_bot"] is False
    assert set(match[0]) >= {"id", "username", "first_name", "last_name", "nickname", "is_bot"}
    assert not got["is_error"] and got["structured"]["user"]["id"] == user.id

    # The server saw the same post through the v4 API.
    assert message in messages_in(admin, public["id"])

    # A second connection: the search, the thread, a reaction, and what the user may not touch.
    forbidden = f"should not land {rand(8)}"
    out = connected(world["token"], mode, [
        {"tool": "search_posts", "arguments": {"query": word, "team_id": team["id"]}},
        {"tool": "get_thread", "arguments": {"post_id": post["id"]}},
        {"tool": "add_reaction", "arguments": {"post_id": post["id"], "emoji_name": "thumbsup"}},
        {"tool": "read_channel", "arguments": {"channel_id": private["id"]}},
        {"tool": "post_message", "arguments": {"channel_id": private["id"], "message": forbidden}},
        {"tool": "search_posts", "arguments": {"query": world["secret_word"]}},
    ])
    searched, thread, reaction, read_private, post_private, search_private = out["results"]
    assert not searched["is_error"], searched
    assert post["id"] in [p["id"] for p in searched["structured"]["posts"]], "search finds the post by its word"
    assert not thread["is_error"] and post["id"] in [p["id"] for p in thread["structured"]["posts"]]
    assert not reaction["is_error"], reaction
    made = reaction["structured"]["reaction"]
    assert (made["user_id"], made["post_id"], made["emoji_name"]) == (user.id, post["id"], "thumbsup")
    reactions = admin.driver.reactions.get_reactions_of_post(post["id"])
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(user.id, "thumbsup")]

    assert read_private["is_error"] is True, f"reading a channel the user is not in is refused: {read_private}"
    assert world["secret_word"] not in json.dumps(read_private)
    assert post_private["is_error"] is True, f"posting where the user is not a member is refused: {post_private}"
    assert forbidden not in " ".join(messages_in(admin, private["id"])), "nothing was posted in the private channel"
    assert world["secret_word"] not in json.dumps(search_private), "search does not reach channels the user is not in"


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_wrong_token_is_refused_with_401(mode):
    code, out = probe(f"not-a-token-{rand(12)}", mode)
    assert code != 0, f"the probe must fail with a wrong token: {out}"
    assert out.get("http_status") == 401, f"the server answers 401: {out}"
