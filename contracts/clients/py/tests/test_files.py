"""File attachments through mattermostdriver, as Mattermost serves them
(api4/file.go, app/file.go, app/imaging, web.WriteFileResponse): uploads,
downloads with their thumbnail and preview, file infos, files on posts, file
search, the limits on image resolution, and who may read a file.

The driver's ``files.get_file*`` methods hand back the raw ``requests``
response for anything that is not application/json, which is how a file's
bytes and headers are read here. The driver has no file search method; that
call goes through its own client (``driver.client.post``)."""

import base64
import re
import secrets
import struct
import zlib

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from helpers import assert_id, assert_mattermost_error, assert_millis, new_channel, raw, rand, unknown_id

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def word(n=12):
    """A word of letters only, so that no full-text parser splits it or reads it as a number."""
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_ihdr(width, height):
    return png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))


def make_png(width, height):
    """An RGB PNG of one random colour, made here."""
    row = b"\x00" + secrets.token_bytes(3) * width  # filter byte 0, then the pixels
    return PNG_SIGNATURE + png_ihdr(width, height) + png_chunk(b"IDAT", zlib.compress(row * height)) + png_chunk(b"IEND", b"")


def make_bomb_png(width, height):
    """A tiny PNG whose header (with a correct CRC) claims width × height pixels."""
    tiny = make_png(1, 1)
    return PNG_SIGNATURE + png_ihdr(width, height) + tiny[8 + 25:]


def jpeg_size(data, what):
    """(width, height) of a JPEG, from its SOF segment."""
    assert data[:2] == b"\xff\xd8", f"{what}: must start with the JPEG SOI marker FF D8, got {data[:4]!r}"
    i = 2
    while i + 4 <= len(data):
        assert data[i] == 0xFF, f"{what}: no JPEG marker at offset {i}"
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise AssertionError(f"{what}: no SOF segment in the JPEG")


def upload(driver, channel_id, name, data, content_type="application/octet-stream"):
    result = driver.files.upload_file(channel_id, files={"files": (name, data, content_type)})
    assert isinstance(result.get("file_infos"), list) and len(result["file_infos"]) == 1, f"upload {name}: {result}"
    return result["file_infos"][0]


def assert_file_info(info, what, **expected):
    assert_id(info.get("id"), f"{what}: id")
    for key, value in expected.items():
        assert info.get(key) == value, f"{what}: {key} must be {value!r}, got {info.get(key)!r}"
    assert_millis(info["create_at"], f"{what}: create_at")
    assert_millis(info["update_at"], f"{what}: update_at")
    assert info["delete_at"] == 0, f"{what}: delete_at"
    for hidden in ("path", "thumbnail_path", "preview_path", "content", "creator_id"):
        assert hidden not in info, f"{what}: {hidden} is never sent to clients"


class World:
    """One team with a public channel and a private one, made by the admin.
    `member` belongs to both the team and the public channel; `outsider` to the
    team only."""

    def __init__(self, admin, pool):
        self.admin = admin
        self.member, self.outsider = pool.take(2)
        name = f"py-files-team-{rand(10)}"
        self.team = admin.driver.teams.create_team(options={"name": name, "display_name": f"Compat {name}", "type": "O"})
        for account in (self.member, self.outsider):
            admin.driver.teams.add_user_to_team(self.team["id"], options={"team_id": self.team["id"], "user_id": account.id})
        self.open = new_channel(admin.driver, self.team["id"], prefix="files")
        admin.driver.channels.add_user(self.open["id"], options={"user_id": self.member.id})
        self.secret = new_channel(admin.driver, self.team["id"], kind="P", prefix="files-priv")


@pytest.fixture(scope="module")
def world(admin, pool):
    return World(admin, pool)


class Posted:
    """A 300×200 PNG uploaded by the admin into the public channel and posted."""

    def __init__(self, world):
        self.png = make_png(300, 200)
        self.name = f"compat {word()} chart.png"
        self.info = upload(world.admin.driver, world.open["id"], self.name, self.png, "image/png")
        self.post = world.admin.driver.posts.create_post(options={
            "channel_id": world.open["id"], "message": "a chart", "file_ids": [self.info["id"]],
        })


@pytest.fixture(scope="module")
def posted(world):
    return Posted(world)


# ---------------------------------------------------------------------------
# Upload


def test_upload_file_answers_the_file_info_of_a_png(world):
    png = make_png(300, 200)
    response = world.admin.driver.client.make_request(
        "post", "/files", data={"channel_id": world.open["id"]}, files={"files": ("picture.png", png, "image/png")},
    )
    assert response.status_code == 201, f"POST /files answers 201, got {response.status_code}"
    assert response.headers.get("Content-Type") == "application/json"
    result = response.json()
    assert result.get("client_ids") == [], f"no client_ids sent, none echoed: {result.get('client_ids')!r}"
    info = result["file_infos"][0]
    assert_file_info(
        info, "PNG upload",
        user_id=world.admin.user["id"], channel_id=world.open["id"], name="picture.png", extension="png",
        size=len(png), mime_type="image/png", width=300, height=200, has_preview_image=True,
    )
    assert not info.get("post_id"), f"a file not yet posted has no post_id, got {info.get('post_id')!r}"
    assert isinstance(info.get("mini_preview"), str), "an image has a mini_preview (base64)"
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", info["mini_preview"]), "mini_preview is standard base64, as Go encodes []byte"
    assert jpeg_size(base64.b64decode(info["mini_preview"]), "mini_preview") == (16, 16)


def test_upload_file_through_the_driver_echoes_client_ids(world):
    client_id = f"py-{rand(12)}"
    result = world.admin.driver.files.upload_file(world.open["id"], files=[
        ("client_ids", (None, client_id)),
        ("files", ("notes.txt", b"some notes\n", "text/plain")),
    ])
    assert result["client_ids"] == [client_id]
    info = result["file_infos"][0]
    assert_file_info(info, "text upload", channel_id=world.open["id"], name="notes.txt", extension="txt", size=11)
    assert info["mime_type"].startswith("text/plain"), f"a text file is text/plain, got {info['mime_type']!r}"
    for key in ("width", "height", "has_preview_image"):
        assert not info.get(key), f"a text file has no {key}"
    assert info["mini_preview"] is None


def test_upload_with_the_file_part_before_channel_id(world):
    """The mobile app's order; the driver's own client sends the parts as listed."""
    png = make_png(40, 30)
    result = world.admin.driver.client.post("/files", files=[
        ("files", ("mobile.png", png, "image/png")),
        ("channel_id", (None, world.open["id"])),
    ])
    assert len(result["file_infos"]) == 1
    assert_file_info(result["file_infos"][0], "mobile upload", channel_id=world.open["id"], name="mobile.png",
                     size=len(png), mime_type="image/png", width=40, height=30)
    download = world.admin.driver.files.get_file(result["file_infos"][0]["id"])
    assert download.content == png


def test_upload_into_a_private_channel_of_others_raises_403(world):
    with pytest.raises(NotEnoughPermissions):
        upload(world.outsider.driver, world.secret["id"], "intruder.txt", b"intruder\n", "text/plain")


def test_an_image_above_the_resolution_limit_is_refused(world):
    bomb = make_bomb_png(100_000, 100_000)
    with pytest.raises(InvalidOrMissingParameters):
        upload(world.admin.driver, world.open["id"], "bomb.png", bomb, "image/png")
    response = raw(world.admin.driver, "POST", "/files", data={"channel_id": world.open["id"]},
                   files={"files": ("bomb.png", bomb, "image/png")})
    body = assert_mattermost_error(response, 400)
    assert body["id"] == "api.file.upload_file.large_image_detailed.app_error"


# ---------------------------------------------------------------------------
# Posts with files


def test_create_post_with_file_ids_carries_metadata_files(world):
    info = upload(world.admin.driver, world.open["id"], "attached.png", make_png(64, 48), "image/png")
    post = world.admin.driver.posts.create_post(options={
        "channel_id": world.open["id"], "message": "with a file", "file_ids": [info["id"]],
    })
    assert post["file_ids"] == [info["id"]]
    files = post.get("metadata", {}).get("files")
    assert isinstance(files, list) and [f["id"] for f in files] == [info["id"]], f"metadata.files: {post.get('metadata')}"
    assert files[0]["post_id"] == post["id"]
    assert files[0]["width"] == 64 and files[0]["height"] == 48

    fetched = world.admin.driver.posts.get_post(post["id"])
    assert [f["id"] for f in fetched["metadata"]["files"]] == [info["id"]]

    infos = world.member.driver.posts.get_file_info_for_post(post["id"])
    assert isinstance(infos, list) and [f["id"] for f in infos] == [info["id"]]
    assert infos[0]["post_id"] == post["id"]

    metadata = world.member.driver.files.get_file_metadata(info["id"])
    assert metadata["id"] == info["id"]
    assert metadata["post_id"] == post["id"]
    assert metadata["name"] == "attached.png"


def test_deleting_a_post_deletes_its_files(world):
    info = upload(world.admin.driver, world.open["id"], "doomed.txt", b"doomed\n", "text/plain")
    post = world.admin.driver.posts.create_post(options={
        "channel_id": world.open["id"], "message": "doomed", "file_ids": [info["id"]],
    })
    world.admin.driver.posts.delete_post(post["id"])
    with pytest.raises(ResourceNotFound):
        world.admin.driver.files.get_file_metadata(info["id"])


# ---------------------------------------------------------------------------
# Downloads


def test_get_file_returns_the_bytes_uploaded(posted, world):
    response = world.member.driver.files.get_file(posted.info["id"])
    assert response.status_code == 200
    assert response.content == posted.png, "the downloaded bytes equal the upload"
    assert response.headers.get("Content-Type") == "image/png"
    disposition = response.headers.get("Content-Disposition", "")
    assert re.match(r"inline\s*;", disposition, re.I), f"an image is shown in place: {disposition!r}"
    assert "filename" in disposition

    forced = raw(world.member.driver, "GET", f"/files/{posted.info['id']}", params={"download": "1"})
    assert forced.status_code == 200
    assert forced.content == posted.png
    assert re.match(r"attachment\s*;", forced.headers.get("Content-Disposition", ""), re.I), "?download=1 forces a download"


def test_get_file_metadata_answers_the_file_info(posted, world):
    metadata = world.member.driver.files.get_file_metadata(posted.info["id"])
    assert_file_info(
        metadata, "file info",
        id=posted.info["id"], user_id=world.admin.user["id"], post_id=posted.post["id"], channel_id=world.open["id"],
        name=posted.name, extension="png", size=len(posted.png), mime_type="image/png",
        width=300, height=200, has_preview_image=True,
    )


def test_get_file_thumbnail_and_preview_are_jpegs(posted, world):
    thumb = world.member.driver.files.get_file_thumbnail(posted.info["id"])
    assert thumb.status_code == 200
    assert thumb.headers.get("Content-Type") == "image/jpeg"
    assert jpeg_size(thumb.content, "thumbnail") == (120, 80), "a landscape image is scaled to 120 pixels wide"

    preview = world.member.driver.files.get_file_preview(posted.info["id"])
    assert preview.status_code == 200
    assert preview.headers.get("Content-Type") == "image/jpeg"
    assert jpeg_size(preview.content, "preview") == (300, 200), "a preview is never enlarged"


def test_a_text_file_has_no_thumbnail(world):
    info = upload(world.admin.driver, world.open["id"], "plain.txt", b"plain\n", "text/plain")
    with pytest.raises(InvalidOrMissingParameters):
        world.admin.driver.files.get_file_thumbnail(info["id"])
    download = world.admin.driver.files.get_file(info["id"])
    assert download.content == b"plain\n"
    assert download.headers.get("Content-Type", "").startswith("text/plain")
    assert re.match(r"attachment\s*;", download.headers.get("Content-Disposition", ""), re.I)


def test_an_html_file_is_served_as_plain_text_attachment(world):
    html = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
    info = upload(world.admin.driver, world.open["id"], "page.html", html, "text/html")
    download = world.admin.driver.files.get_file(info["id"])
    assert download.content == html
    assert download.headers.get("Content-Type", "").startswith("text/plain"), download.headers.get("Content-Type")
    assert re.match(r"attachment\s*;", download.headers.get("Content-Disposition", ""), re.I)


def test_public_links_are_disabled(posted, world):
    with pytest.raises(NotEnoughPermissions):
        world.admin.driver.files.get_public_file_link(posted.info["id"])


def test_an_unknown_file_raises_404(world):
    with pytest.raises(ResourceNotFound):
        world.admin.driver.files.get_file_metadata(unknown_id())


# ---------------------------------------------------------------------------
# Permissions


def test_a_non_member_of_a_private_channel_gets_403(world):
    png = make_png(30, 20)
    info = upload(world.admin.driver, world.secret["id"], "secret.png", png, "image/png")
    post = world.admin.driver.posts.create_post(options={
        "channel_id": world.secret["id"], "message": "secret", "file_ids": [info["id"]],
    })
    outsider = world.outsider.driver
    for call in (outsider.files.get_file, outsider.files.get_file_metadata,
                 outsider.files.get_file_thumbnail, outsider.files.get_file_preview):
        with pytest.raises(NotEnoughPermissions) as denied:
            call(info["id"])
        assert denied.value.args, f"{call.__name__}: the error carries the server's message"
    with pytest.raises(NotEnoughPermissions):
        outsider.posts.get_file_info_for_post(post["id"])
    body = assert_mattermost_error(raw(outsider, "GET", f"/files/{info['id']}/info"), 403)
    assert body["id"] == "api.context.permissions.app_error"
    assert world.admin.driver.files.get_file(info["id"]).content == png, "a member still reads it"


# ---------------------------------------------------------------------------
# Resumable uploads (api4/upload.go): the driver has no methods for them; its
# client sends them with its session.


def test_a_resumable_upload_in_two_multipart_parts_becomes_a_file(world):
    client = world.member.driver.client
    data = secrets.token_bytes(5 * 1024 * 1024 + 777)
    session = client.post("/uploads", options={"channel_id": world.open["id"], "filename": "two parts.bin", "file_size": len(data)})
    assert_id(session["id"], "upload id")
    assert session["file_offset"] == 0 and session["file_size"] == len(data) and session["type"] == "attachment"
    first = client.make_request("post", f"/uploads/{session['id']}", files={"data": ("blob", data[:5 * 1024 * 1024])})
    assert first.status_code == 204, first.text[:300]
    assert client.get(f"/uploads/{session['id']}")["file_offset"] == 5 * 1024 * 1024
    assert [u["id"] for u in client.get("/users/me/uploads")] == [session["id"]]
    last = client.make_request("post", f"/uploads/{session['id']}", files={"data": ("blob", data[5 * 1024 * 1024:])})
    assert last.status_code == 200, last.text[:300]
    info = last.json()
    assert_file_info(info, "completed upload", name="two parts.bin", size=len(data), channel_id=world.open["id"])
    assert world.member.driver.files.get_file(info["id"]).content == data, "the file is the two parts joined"
    body = assert_mattermost_error(raw(world.member.driver, "GET", f"/uploads/{session['id']}"), 404)
    assert body["id"] == "app.upload.get.app_error"


def test_someone_elses_upload_is_forbidden(world):
    session = world.admin.driver.client.post(
        "/uploads", options={"channel_id": world.open["id"], "filename": "mine.bin", "file_size": 10})
    body = assert_mattermost_error(raw(world.member.driver, "GET", f"/uploads/{session['id']}"), 403)
    assert body["id"] == "api.upload.get_upload.forbidden.app_error"
    with pytest.raises(NotEnoughPermissions):
        world.member.driver.client.make_request("post", f"/uploads/{session['id']}", data=b"0123456789")
    body = assert_mattermost_error(raw(world.member.driver, "GET", f"/users/{world.admin.user['id']}/uploads"), 403)
    assert body["id"] == "api.user.get_uploads_for_user.forbidden.app_error"


# ---------------------------------------------------------------------------
# Search


def search_files(driver, team_id, terms):
    result = driver.client.post(f"/teams/{team_id}/files/search", options={"terms": terms, "is_or_search": False})
    for key in ("order", "file_infos", "next_file_info_id", "prev_file_info_id", "first_inaccessible_file_time"):
        assert key in result, f"a FileInfoList has {key}: {list(result)}"
    assert isinstance(result["order"], list) and isinstance(result["file_infos"], dict)
    for fid in result["order"]:
        assert fid in result["file_infos"], f"every id in order has its file info ({fid})"
    return result


def test_search_files_finds_posted_files_the_user_may_read(posted, world):
    term = posted.name.split(" ")[1]
    found = search_files(world.member.driver, world.team["id"], term)
    assert found["order"] == [posted.info["id"]]
    assert found["file_infos"][posted.info["id"]]["post_id"] == posted.post["id"]
    assert found["next_file_info_id"] == "" and found["prev_file_info_id"] == ""
    assert found["first_inaccessible_file_time"] == 0
    assert search_files(world.outsider.driver, world.team["id"], term)["order"] == [], \
        "a user outside the channel does not find its files"
