"""The real-time API (/api/v4/websocket) through mattermostdriver's own
websocket client: ``Driver.init_websocket(event_handler)``.

The driver runs its websocket loop with ``run_until_complete`` and never
returns while connected, so each listener runs it on an event loop of its own
in a background thread. Every wait has a timeout of a few seconds, and the loop
is always shut down: the driver's task is cancelled (its connect loop would
otherwise retry forever), the socket it opened is closed and the loop closed.
"""

import asyncio
import json
import threading
import time

from websockets.legacy.client import WebSocketClientProtocol

from helpers import assert_id, new_channel, new_driver, rand

WAIT = 5.0


def post_id_of(event):
    post = (event.get("data") or {}).get("post")
    if not isinstance(post, str):
        return None
    try:
        return json.loads(post).get("id")
    except ValueError:
        return None


def describe(frame):
    if frame.get("seq_reply"):
        return f"reply({frame.get('seq_reply')} {frame.get('status')})"
    return f"{frame.get('event')}#{frame.get('seq')}"


class Listener:
    """mattermostdriver's websocket for one account, run in a background thread."""

    def __init__(self, account):
        self.account = account
        # A driver of its own on the account's session (token login), so that
        # the websocket state never touches the shared driver.
        self.driver = new_driver(token=account.driver.client.token, websocket_kw_args={"create_protocol": self._protocol})
        self.driver.login()
        self.frames = []
        self.cond = threading.Condition()
        self.protocols = []
        self.loop = None
        self.error = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"ws-{account.username}", daemon=True)

    def _protocol(self, *args, **kwargs):
        # Keeps a handle on the socket the driver opens, to close it at the end.
        protocol = WebSocketClientProtocol(*args, **kwargs)
        self.protocols.append(protocol)
        return protocol

    async def _handle(self, message):
        # The driver passes every frame as text, replies included.
        frame = json.loads(message)
        with self.cond:
            self.frames.append(frame)
            self.cond.notify_all()

    def _run(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.ready.set()
        try:
            self.driver.init_websocket(self._handle)
        except asyncio.CancelledError:
            pass
        except BaseException as err:  # noqa: BLE001 - reported by the test
            self.error = err
        finally:
            # Close the socket the driver left open, then drop what is left.
            for protocol in self.protocols:
                try:
                    self.loop.run_until_complete(asyncio.wait_for(protocol.close(), 2))
                except BaseException:  # noqa: BLE001 - closing is best effort
                    if protocol.transport is not None:
                        protocol.transport.abort()
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    def start(self):
        self.thread.start()
        assert self.ready.wait(WAIT), "the websocket thread did not start"
        return self

    def events(self):
        with self.cond:
            return [f for f in self.frames if not f.get("seq_reply") and isinstance(f.get("event"), str)]

    def wait_for(self, predicate, what, timeout=WAIT, replies=False):
        """The first event (or, with replies=True, reply) that matches."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for frame in self.frames:
                    if bool(frame.get("seq_reply")) == replies and predicate(frame):
                        return frame
                left = end - time.monotonic()
                if left <= 0 or (not self.thread.is_alive() and self.error is not None):
                    seen = ", ".join(describe(f) for f in self.frames[-20:]) or "nothing"
                    raise AssertionError(f"no {what} within {timeout} s (error: {self.error!r}); received: {seen}")
                self.cond.wait(min(left, 0.2))

    async def _shutdown(self):
        self.driver.disconnect()
        # The driver's connect loop retries forever on errors, so cancel it.
        # Cancel again until it is done: before Python 3.12, asyncio.wait_for
        # (which the driver awaits) can swallow a cancellation.
        driver_tasks = [t for t in asyncio.all_tasks() if getattr(t.get_coro(), "__qualname__", "") == "Websocket.connect"]
        for _ in range(250):
            if all(task.done() for task in driver_tasks):
                return
            for task in driver_tasks:
                task.cancel()
            await asyncio.sleep(0.02)

    def stop(self):
        if self.loop is not None and self.thread.is_alive() and not self.loop.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop)
            except RuntimeError:
                pass  # the loop just stopped on its own
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "the websocket loop did not shut down"


def listen(account):
    return Listener(account).start()


def setup_team(admin, make_team, *accounts):
    team = make_team("pyws")
    for account in accounts:
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
    channel = new_channel(admin.driver, team["id"], prefix="pyws")
    for account in accounts:
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    return team, channel


def test_websocket_authenticates_and_gets_hello(make_user):
    account = make_user()
    listener = listen(account)
    try:
        hello = listener.wait_for(lambda f: f.get("event") == "hello", "hello")
        assert hello["seq"] == 0
        assert_id(hello["data"]["connection_id"], "hello data.connection_id")
        assert isinstance(hello["data"]["server_version"], str) and hello["data"]["server_version"]
        assert hello["broadcast"]["user_id"] == account.id
        # The driver's authentication_challenge (seq 1) is answered OK; the
        # driver hands that reply to the handler too (before or after hello).
        reply = listener.wait_for(lambda f: f.get("seq_reply") == 1, "the reply to the challenge", replies=True)
        assert reply == {"status": "OK", "seq_reply": 1}
        assert listener.error is None, f"the driver's websocket failed: {listener.error!r}"
    finally:
        listener.stop()


def test_websocket_receives_posted_for_a_channel_member(admin, make_user, make_team):
    account = make_user()
    team, channel = setup_team(admin, make_team, account)
    listener = listen(account)
    try:
        listener.wait_for(lambda f: f.get("event") == "hello", "hello")

        own = account.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"mine {rand(6)}"})
        theirs = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"theirs {rand(6)}"})
        for post in (own, theirs):
            event = listener.wait_for(lambda f, pid=post["id"]: f.get("event") == "posted" and post_id_of(f) == pid, f"posted {post['id']}")
            assert isinstance(event["data"]["post"], str), "data.post is a JSON string"
            parsed = json.loads(event["data"]["post"])
            assert parsed["channel_id"] == channel["id"]
            assert parsed["message"] == post["message"]
            assert event["data"]["channel_type"] == "O"
            assert event["data"]["channel_name"] == channel["name"]
            assert event["data"]["team_id"] == team["id"]
            assert event["broadcast"]["channel_id"] == channel["id"]

        seqs = [e["seq"] for e in listener.events()]
        assert seqs == list(range(len(seqs))), f"event seqs must run 0, 1, 2, …: {seqs}"
    finally:
        listener.stop()


def test_websocket_gets_nothing_from_a_private_channel_it_is_not_in(admin, make_user, make_team):
    account = make_user()
    team, channel = setup_team(admin, make_team, account)
    secret = new_channel(admin.driver, team["id"], kind="P", prefix="pyws-secret")
    listener = listen(account)
    try:
        listener.wait_for(lambda f: f.get("event") == "hello", "hello")

        hidden = admin.driver.posts.create_post(options={"channel_id": secret["id"], "message": "members only"})
        time.sleep(0.15)
        # A later post in a channel the user is in: once it has arrived, the
        # private post would have arrived before it.
        later = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "for everyone"})
        listener.wait_for(lambda f: f.get("event") == "posted" and post_id_of(f) == later["id"], "the later public post")

        leaked = [describe(e) for e in listener.events() if secret["id"] in json.dumps(e) or post_id_of(e) == hidden["id"]]
        assert leaked == [], f"events about a private channel reached a non-member: {leaked}"
    finally:
        listener.stop()
