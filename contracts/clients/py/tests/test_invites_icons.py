"""Team invitations by e-mail, team icons and the test e-mail through
mattermostdriver, as Mattermost serves them (api4/team.go, api4/system.go).
Mail goes to the SMTP test server, which delivers into a maildir
(RUSTCHAT_TEST_MAILDIR); the invitation links are read from there."""

import json
import os
import pathlib
import re
import struct
import time
import urllib.parse
import zlib

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from helpers import rand

MAILDIR = os.environ.get("RUSTCHAT_TEST_MAILDIR", "")
if not MAILDIR and os.environ.get("CI") == "true":
    raise RuntimeError("RUSTCHAT_TEST_MAILDIR is required under CI=true (the test script starts an SMTP server)")
needs_mail = pytest.mark.skipif(not MAILDIR, reason="no SMTP test server (RUSTCHAT_TEST_MAILDIR is not set)")


def decode_quoted_printable(raw):
    raw = re.sub(r"=\r?\n", "", raw)
    return re.sub(r"=([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), raw)


def mail_to(address, count=1, timeout=5.0):
    end = time.monotonic() + timeout
    while True:
        found = []
        for sub in ("new", "cur"):
            folder = pathlib.Path(MAILDIR) / sub
            for path in folder.glob("*") if folder.is_dir() else []:
                raw = path.read_text(errors="replace")
                to = next((line for line in raw.splitlines() if line.lower().startswith("to:")), "")
                if address in to.lower():
                    found.append(decode_quoted_printable(raw))
        if len(found) >= count or time.monotonic() > end:
            return found
        time.sleep(0.1)


def png(width, height):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x33\x99\xcc" * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def team_with_member(admin, make_team, make_user):
    team = make_team("pyinv")
    member = make_user()
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    return team, member


@needs_mail
def test_invite_users_to_team_by_mail(admin, make_team, make_user):
    team, member = team_with_member(admin, make_team, make_user)
    tag = rand(8)
    sent = [f"Py-{tag}@Example.com", f"py2-{tag}@example.com"]
    assert member.driver.teams.invite_users_to_team_by_mail(team["id"], options=sent) == {"status": "OK"}
    for address in (a.lower() for a in sent):
        mail = mail_to(address)
        assert len(mail) == 1, f"one invitation to {address}"
        link = re.search(r"(https?://\S+?/signup_user_complete/\?d=[^\s\"&]+&t=[A-Za-z0-9]{64})", mail[0])
        assert link, "a sign-up link with a 64-character token"
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.group(1)).query)
        assert json.loads(query["d"][0]) == {"display_name": team["display_name"], "email": address, "name": team["name"]}


def test_invitations_need_a_member_and_an_address(admin, make_team, make_user):
    team = make_team("pyinv")
    outsider = make_user()
    with pytest.raises(NotEnoughPermissions):
        outsider.driver.teams.invite_users_to_team_by_mail(team["id"], options=["x@example.com"])
    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.teams.invite_users_to_team_by_mail(team["id"], options=[])


def test_team_icon_set_get_delete(admin, make_team, make_user):
    team, member = team_with_member(admin, make_team, make_user)
    with pytest.raises(NotEnoughPermissions):
        member.driver.teams.set_team_icon(team["id"], {"image": ("icon.png", png(20, 20), "image/png")})
    answer = admin.driver.teams.set_team_icon(team["id"], {"image": ("icon.png", png(200, 50), "image/png")})
    assert answer == {"status": "OK"}
    assert member.driver.teams.get_team(team["id"])["last_team_icon_update"] > 0

    icon = member.driver.teams.get_team_icon(team["id"])
    assert icon.status_code == 200
    assert icon.headers["Content-Type"] == "image/png"
    assert icon.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", icon.content[16:24]) == (128, 128), "a 128×128 PNG"

    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.teams.set_team_icon(team["id"], {"image": ("icon.png", b"not an image", "image/png")})

    admin.driver.teams.delete_team_icon(team["id"])
    assert "last_team_icon_update" not in member.driver.teams.get_team(team["id"]), "omitted when 0"
    with pytest.raises(ResourceNotFound):
        member.driver.teams.get_team_icon(team["id"])


@needs_mail
def test_send_test_email(admin, make_user):
    assert admin.driver.system.send_test_email() == {"status": "OK"}
    with pytest.raises(NotEnoughPermissions):
        make_user().driver.system.send_test_email()
