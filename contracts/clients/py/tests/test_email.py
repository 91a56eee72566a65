"""Password reset and address verification through mattermostdriver, as
Mattermost serves them (api4/user.go, app/user.go). The server mails to the
SMTP test server, which delivers into a maildir (RUSTCHAT_TEST_MAILDIR); the
token is read from there, as a user would click it."""

import os
import pathlib
import re
import time

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters

from helpers import PASSWORD, logged_in, new_driver, rand

MAILDIR = os.environ.get("RUSTCHAT_TEST_MAILDIR", "")
if not MAILDIR and os.environ.get("CI") == "true":
    raise RuntimeError("RUSTCHAT_TEST_MAILDIR is required under CI=true (the test script starts an SMTP server)")
pytestmark = pytest.mark.skipif(not MAILDIR, reason="no SMTP test server (RUSTCHAT_TEST_MAILDIR is not set)")


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
                if address in to:
                    found.append(decode_quoted_printable(raw))
        if len(found) >= count or time.monotonic() > end:
            return found
        time.sleep(0.1)


def token_in(mail):
    match = re.search(r"token=([A-Za-z0-9]{64})", mail)
    assert match, "the mail carries a 64-character token link"
    return match.group(1)


def test_password_reset_through_the_driver(admin):
    username = f"py-reset-{rand(8)}"
    email = f"{username}@example.com"
    admin.driver.users.create_user(options={"username": username, "email": email, "password": PASSWORD})
    anonymous = new_driver()
    assert anonymous.users.send_password_reset_mail(options={"email": email}) == {"status": "OK"}
    mail = mail_to(email)
    assert len(mail) == 1, "one message"
    token = token_in(mail[0])
    assert anonymous.users.reset_password(options={"token": token, "new_password": "Another-passw0rd!"}) == {"status": "OK"}
    assert logged_in(username, "Another-passw0rd!").users.get_user("me")["username"] == username
    with pytest.raises(InvalidOrMissingParameters):
        anonymous.users.reset_password(options={"token": token, "new_password": "Third-passw0rd!"})


def test_verification_through_the_driver(admin):
    username = f"py-verify-{rand(8)}"
    email = f"{username}@example.com"
    admin.driver.users.create_user(options={"username": username, "email": email, "password": PASSWORD})
    assert new_driver().users.send_verification_mail(options={"email": email}) == {"status": "OK"}
    token = token_in(mail_to(email)[0])
    assert new_driver().users.verify_user_email(options={"token": token}) == {"status": "OK"}
    assert logged_in(username).users.get_user("me")["email_verified"] is True
