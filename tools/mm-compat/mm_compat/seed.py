"""Fills a fresh rustchat server, through the v4 API only, with one of each
thing the GET routes show, and remembers the ids for their path parameters.

The first account created on a fresh server becomes its system admin, which
the admin-only routes need. A step that fails is noted and the run goes on;
the routes that needed its id are then skipped with that reason."""

import secrets
import struct
import time
import zlib
from urllib.parse import parse_qs, urlparse
from dataclasses import dataclass, field

from .api import Api, Exchange, error_id, ok
from .paths import normalise

PASSWORD = "Compat-Passw0rd!"


@dataclass
class Step:
    name: str
    ok: bool
    detail: str = ""
    served: bool = True  # False: the step's route is not served, so it was not tried

    @property
    def result(self) -> str:
        return "ok" if self.ok else "failed" if self.served else "not served"


@dataclass
class Seed:
    values: dict = field(default_factory=dict)  # parameter source name -> value
    steps: list[Step] = field(default_factory=list)
    failed: dict = field(default_factory=dict)  # value name -> the step that should have made it
    admin: Api | None = None

    def why_missing(self, name: str) -> str:
        return self.failed.get(name, f"no seeded value for {name}")


class _Seeder:
    def __init__(self, api: Api, served: set[tuple[str, str]]):
        self.anon = api
        self.served = served
        self.seed = Seed()
        self.tag = secrets.token_hex(3)
        self.admin: Api | None = None

    def run(self) -> Seed:
        s, v = self.seed, self.seed.values
        admin = self._user("admin", first=True)
        if not admin:
            return s
        s.admin = self.admin = self._login("admin")
        if self.admin is None:
            return s
        v.update(user_id=admin["id"], username=admin["username"], email=admin["email"])
        # Admin-only routes answer 403 otherwise: the server was not fresh.
        roles = admin.get("roles", "")
        s.steps.append(Step("first user is system admin", "system_admin" in roles.split(), f"roles: {roles}"))
        team = self._step("team", "POST", "/api/v4/teams", json={"name": f"compat-{self.tag}", "display_name": "Compat", "type": "O"}, makes=("team_id", "team_name", "invite_id"))
        if team:
            v.update(team_id=team["id"], team_name=team["name"])
            got = self._step("team invite id", "GET", "/api/v4/teams/{team_id}", params={"team_id": team["id"]}, makes=("invite_id",))
            if got and got.get("invite_id"):
                v["invite_id"] = got["invite_id"]
            self._channels(team)
        self._people()
        self._posts()
        self._extras()
        return s

    # -- building blocks ---------------------------------------------------

    def _step(self, name, method, template, params=None, api=None, makes=(), **kw):
        """One seeding call; on failure, remembers it for the values it was to make."""
        if (method, normalise(template)) not in self.served:
            detail = f"{method} {template} is not served"
            self.seed.steps.append(Step(name, False, detail, served=False))
            for m in makes:
                self.seed.failed.setdefault(m, f"seed step '{name}' skipped: {detail}")
            return None
        ex: Exchange = (api or self.admin).call(method, template, params, **kw)
        if ok(ex):
            self.seed.steps.append(Step(name, True, f"{method} {template} -> {ex.status}"))
            return ex.body if ex.body is not None else {}
        detail = f"{method} {template} -> HTTP {ex.status} {error_id(ex)}".rstrip()
        self.seed.steps.append(Step(name, False, detail))
        for m in makes:
            self.seed.failed.setdefault(m, f"seed step '{name}' failed: {detail}")
        return None

    def _user(self, who: str, first: bool = False):
        body = {"email": f"compat-{who}-{self.tag}@example.com", "username": f"compat-{who}-{self.tag}", "password": PASSWORD}
        api = self.anon if first else self.admin
        return self._step(f"user {who}", "POST", "/api/v4/users", api=api, json=body, makes=("user_id",) if first else (f"{who}_id",))

    def _login(self, who: str) -> Api | None:
        body = {"login_id": f"compat-{who}-{self.tag}", "password": PASSWORD}
        ex = self.anon.call("POST", "/api/v4/users/login", json=body)
        token = ex.token if ex.status == 200 else ""
        self.seed.steps.append(Step(f"login {who}", bool(token), f"POST /api/v4/users/login -> {ex.status}"))
        return self.anon.with_token(token) if token else None

    # -- the data ----------------------------------------------------------

    def _channels(self, team):
        v = self.seed.values
        for kind, letter in (("public", "O"), ("private", "P")):
            body = {"team_id": team["id"], "name": f"compat-{kind}-{self.tag}", "display_name": f"Compat {kind}", "type": letter}
            ch = self._step(f"{kind} channel", "POST", "/api/v4/channels", json=body, makes=(f"{kind}_channel_id",))
            if ch:
                v[f"{kind}_channel_id"] = ch["id"]
                if kind == "public":
                    v.update(channel_id=ch["id"], channel_name=ch["name"])

    def _people(self):
        v = self.seed.values
        for who in ("member", "third"):
            user = self._user(who)
            if not user:
                continue
            v[f"{who}_id"] = user["id"]
            if "team_id" in v:
                self._step(f"{who} joins the team", "POST", "/api/v4/teams/{team_id}/members", params={"team_id": v["team_id"]}, json={"team_id": v["team_id"], "user_id": user["id"]})
        if "member_id" in v and "channel_id" in v:
            self._step("member joins the public channel", "POST", "/api/v4/channels/{channel_id}/members", params={"channel_id": v["channel_id"]}, json={"user_id": v["member_id"]})
        if "member_id" in v:
            dm = self._step("direct channel", "POST", "/api/v4/channels/direct", json=[v["user_id"], v["member_id"]], makes=("dm_channel_id",))
            if dm:
                v["dm_channel_id"] = dm["id"]
            if "third_id" in v:
                gm = self._step("group channel", "POST", "/api/v4/channels/group", json=[v["user_id"], v["member_id"], v["third_id"]], makes=("gm_channel_id",))
                if gm:
                    v["gm_channel_id"] = gm["id"]

    def _posts(self):
        v = self.seed.values
        if "channel_id" not in v:
            return
        root = self._step("post", "POST", "/api/v4/posts", json={"channel_id": v["channel_id"], "message": "Hello from mm-compat :smile:"}, makes=("post_id", "thread_id"))
        if not root:
            return
        v.update(post_id=root["id"], thread_id=root["id"])
        self._step("second post", "POST", "/api/v4/posts", json={"channel_id": v["channel_id"], "message": "A second post, with a #hashtag"})
        member = self._login("member") if "member_id" in v else None
        if member:
            self._step("reply by another user", "POST", "/api/v4/posts", api=member, json={"channel_id": v["channel_id"], "message": "A reply", "root_id": root["id"]})
        else:
            self._step("reply", "POST", "/api/v4/posts", json={"channel_id": v["channel_id"], "message": "A reply", "root_id": root["id"]})
        if "dm_channel_id" in v:
            self._step("direct message", "POST", "/api/v4/posts", json={"channel_id": v["dm_channel_id"], "message": "A direct message"})
        self._step("reaction", "POST", "/api/v4/reactions", json={"user_id": v["user_id"], "post_id": root["id"], "emoji_name": "smile"})
        self._step("pin", "POST", "/api/v4/posts/{post_id}/pin", params={"post_id": root["id"]})
        self._step("view channel", "POST", "/api/v4/channels/members/{user_id}/view", params={"user_id": v["user_id"]}, json={"channel_id": v["channel_id"]})

    def _extras(self):
        v = self.seed.values
        uid = v["user_id"]
        prefs = [{"user_id": uid, "category": "display_settings", "name": "use_military_time", "value": "true"}]
        if "post_id" in v:
            prefs.append({"user_id": uid, "category": "flagged_post", "name": v["post_id"], "value": "true"})
        if self._step("preferences", "PUT", "/api/v4/users/{user_id}/preferences", params={"user_id": uid}, json=prefs, makes=("category", "preference_name")) is not None:
            v.update(category="display_settings", preference_name="use_military_time")
        self._step("status", "PUT", "/api/v4/users/{user_id}/status", params={"user_id": uid}, json={"user_id": uid, "status": "online"})
        self._step("custom status", "PUT", "/api/v4/users/{user_id}/status/custom", params={"user_id": uid}, json={"emoji": "calendar", "text": "In a meeting"})
        if "team_id" in v:
            body = {"user_id": uid, "team_id": v["team_id"], "display_name": "Compat", "type": "custom", "channel_ids": [v[k] for k in ("private_channel_id",) if k in v]}
            cat = self._step("sidebar category", "POST", "/api/v4/users/{user_id}/teams/{team_id}/channels/categories", params={"user_id": uid, "team_id": v["team_id"]}, json=body, makes=("category_id",))
            if cat:
                v["category_id"] = cat["id"]
        if "channel_id" in v:
            hook = self._step("incoming webhook", "POST", "/api/v4/hooks/incoming", json={"channel_id": v["channel_id"], "display_name": "Compat hook"}, makes=("hook_id",))
            if hook:
                v["hook_id"] = hook["id"]
        bot = self._step("bot", "POST", "/api/v4/bots", json={"username": f"compat-bot-{self.tag}", "display_name": "Compat bot"}, makes=("bot_user_id",))
        if bot:
            v["bot_user_id"] = bot["user_id"]
        token = self._step("personal access token", "POST", "/api/v4/users/{user_id}/tokens", params={"user_id": uid}, json={"description": "mm-compat"}, makes=("token_id",))
        if token:
            v["token_id"] = token["id"]
        emoji_name = f"compat_{self.tag}"
        files = {"image": ("compat.png", tiny_png(), "image/png")}
        data = {"emoji": f'{{"creator_id": "{uid}", "name": "{emoji_name}"}}'}
        emoji = self._step("custom emoji", "POST", "/api/v4/emoji", files=files, data=data, makes=("emoji_id", "emoji_name"))
        if emoji:
            v.update(emoji_id=emoji["id"], emoji_name=emoji["name"])
        self._files()
        self._jobs()

    def _jobs(self):
        """An export job, waited for: its id and its archive's name."""
        v = self.seed.values
        job = self._step("export job", "POST", "/api/v4/jobs", json={"type": "export_process"}, makes=("job_id", "export_name"))
        if not job:
            return
        v["job_id"] = job["id"]
        body = {}
        for _ in range(300):
            ex = self.admin.call("GET", "/api/v4/jobs/{job_id}", {"job_id": job["id"]})
            body = ex.body if isinstance(ex.body, dict) else {}
            if body.get("status") in ("success", "warning", "error", "canceled"):
                break
            time.sleep(0.1)
        name = (body.get("data") or {}).get("export_file")
        if name:
            v["export_name"] = name
        else:
            self.seed.failed.setdefault("export_name", f"the export job ended {body.get('status')!r}")

    def _files(self):
        v = self.seed.values
        if "channel_id" not in v:
            return
        files = {"files": ("compat.png", tiny_png(), "image/png")}
        uploaded = self._step("file upload", "POST", "/api/v4/files", files=files, data={"channel_id": v["channel_id"]}, makes=("file_id",))
        infos = (uploaded or {}).get("file_infos") or []
        if infos:
            v["file_id"] = infos[0]["id"]
            self._step("post with a file", "POST", "/api/v4/posts", json={"channel_id": v["channel_id"], "message": "A file", "file_ids": [v["file_id"]]})
            link = self._step("public link", "GET", "/api/v4/files/{file_id}/link", params={"file_id": v["file_id"]}, makes=("public_link_hash",))
            hashes = parse_qs(urlparse((link or {}).get("link", "")).query).get("h")
            if hashes:
                v["public_link_hash"] = hashes[0]
        body = {"channel_id": v["channel_id"], "filename": "compat.bin", "file_size": 10 * 1024 * 1024}
        upload = self._step("upload session", "POST", "/api/v4/uploads", json=body, makes=("upload_id",))
        if upload:
            v["upload_id"] = upload["id"]


def seed(api: Api, served: set[tuple[str, str]]) -> Seed:
    return _Seeder(api, served).run()


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here rather than shipped as a binary file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
