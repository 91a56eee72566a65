"""Post search, profile pictures, custom emoji, collapsed reply threads and
editable sidebar categories through mattermostdriver, as Mattermost serves
them: api4/post.go searchPostsInTeam (database search: app.SearchPostsForUser,
sqlstore SearchPostsForUser), api4/user.go getProfileImage, api4/emoji.go, the
thread routes of api4/user.go (app.UpdateThreadReadForUser), and
api4/channel_category.go with sqlstore/channel_store_categories.go.

The driver has no methods for threads or sidebar categories; those calls go
through its own client (``driver.client.get/put/post/delete``)."""

import json
import secrets
import struct
import time
import zlib

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from helpers import assert_id, assert_mattermost_error, assert_millis, eventually, new_channel, raw, rand

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def word(n=12):
    """A word of letters only, so that no full-text parser splits it or reads it as a number."""
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def make_png(width=16, height=16):
    """A small RGB PNG of one random colour, made here."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    pixel = secrets.token_bytes(3)
    row = b"\x00" + pixel * width  # filter byte 0, then the pixels
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


def assert_png(data, what):
    assert len(data) > 8 + 25, f"{what}: too short for a PNG ({len(data)} bytes)"
    assert data[:8] == PNG_SIGNATURE, f"{what}: must start with the PNG signature, got {data[:8]!r}"
    assert data[12:16] == b"IHDR", f"{what}: the first chunk must be IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 0 and height > 0, f"{what}: width and height must be positive"


def add_to_team(admin, team, account):
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})


# ---------------------------------------------------------------------------
# Post search


class SearchWorld:
    """One team with two public channels and a private one, and posts in each.
    `searcher` belongs to both public channels but not to the private one."""

    def __init__(self, admin, pool, make_team_name):
        self.admin = admin
        self.searcher, self.other = pool.take(2)
        self.team = admin.driver.teams.create_team(options={
            "name": make_team_name, "display_name": f"Compat {make_team_name}", "type": "O",
        })
        for account in (self.searcher, self.other):
            add_to_team(admin, self.team, account)
        self.general = new_channel(admin.driver, self.team["id"], prefix="srch")
        self.elsewhere = new_channel(admin.driver, self.team["id"], prefix="srch")
        for channel in (self.general, self.elsewhere):
            for account in (self.searcher, self.other):
                admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
        self.secret = new_channel(admin.driver, self.team["id"], kind="P", prefix="srch-priv")

        self.w = {key: word() for key in ("common", "first", "second", "hidden", "absent")}
        w = self.w
        self.posts = {}
        self.say("mine", self.searcher.driver, self.general, f"hello {w['common']} from the searcher")
        self.say("theirs", self.other.driver, self.general, f"{w['common']} said the other user")
        self.say("there", self.other.driver, self.elsewhere, f"{w['common']} in the other channel")
        self.say("private", admin.driver, self.secret, f"{w['common']} {w['hidden']} in a private channel")
        self.say("phrase", self.searcher.driver, self.general, f"{w['first']} {w['second']} in this order")
        self.say("reversed", self.searcher.driver, self.general, f"{w['second']} {w['first']} the other way round")
        self.say("apart", self.searcher.driver, self.general, f"{w['first']} and then {w['second']}")

    def say(self, key, driver, channel, message):
        self.posts[key] = driver.posts.create_post(options={"channel_id": channel["id"], "message": message})
        time.sleep(0.005)

    def ids(self, *keys):
        return [self.posts[k]["id"] for k in keys]

    def ours(self, result):
        known = {p["id"] for p in self.posts.values()}
        return [pid for pid in result["order"] if pid in known]


@pytest.fixture(scope="module")
def world(admin, pool):
    return SearchWorld(admin, pool, f"py-srch-team-{rand(10)}")


def search(driver, team_id, terms):
    result = driver.posts.search_for_team_posts(team_id, options={"terms": terms, "is_or_search": False, "page": 0, "per_page": 60})
    assert isinstance(result.get("order"), list), f"search {terms!r}: order must be a list: {result}"
    assert isinstance(result.get("posts"), dict), f"search {terms!r}: posts must be a map: {result}"
    for pid in result["order"]:
        assert pid in result["posts"], f"search {terms!r}: every id in order has its post ({pid})"
    return result


def test_search_finds_a_word_post_list_with_matches(world):
    result = search(world.searcher.driver, world.team["id"], world.w["common"])
    assert world.ours(result) == world.ids("there", "theirs", "mine"), "every visible post with the word, newest first"
    assert result["posts"][world.posts["mine"]["id"]]["message"] == world.posts["mine"]["message"]
    assert "matches" in result, f"a search result has a matches field: {list(result)}"
    # Database search (no Elasticsearch/Bleve) answers matches: null; the
    # search engines answer a map of post id -> matched words.
    if result["matches"] is not None:
        assert isinstance(result["matches"], dict), f"matches is a map: {result['matches']!r}"
        for pid, words in result["matches"].items():
            assert pid in result["order"], f"matches is keyed by the ids of the results ({pid})"
            assert isinstance(words, list) and all(isinstance(m, str) for m in words)
        mine = result["matches"].get(world.posts["mine"]["id"])
        assert mine and any(m.lower() == world.w["common"] for m in mine), f"matches names the word: {mine!r}"

    upper = search(world.searcher.driver, world.team["id"], world.w["common"].upper())
    assert upper["order"] == result["order"], "search is case-insensitive"


def test_recent_mentions_search_every_team_with_or(world, admin):
    """The mobile app's @ tab: POST /posts/search (no team) with the mention keys, or-ed."""
    other_team = admin.driver.teams.create_team(options={
        "name": f"py-srch-other-{rand(8)}", "display_name": "Compat other", "type": "O",
    })
    add_to_team(admin, other_team, world.searcher)
    away = new_channel(admin.driver, other_team["id"], prefix="srch")
    admin.driver.channels.add_user(away["id"], options={"user_id": world.searcher.id})
    key, nick = word(), word()
    here = admin.driver.posts.create_post(options={"channel_id": world.general["id"], "message": f"ping @{key}"})
    time.sleep(0.005)
    there = admin.driver.posts.create_post(options={"channel_id": away["id"], "message": f"{nick}, see this"})
    driver = world.searcher.driver
    found = driver.client.make_request("post", "/posts/search", options={
        "terms": f"@{key} {nick}", "is_or_search": True, "page": 0, "per_page": 60,
    }).json()
    assert found["order"] == [there["id"], here["id"]], "both teams, newest first"
    assert set(found["posts"]) >= {there["id"], here["id"]}
    every = driver.client.make_request("post", "/posts/search", options={"terms": f"{key} {nick}"}).json()
    assert every["order"] == [], "without is_or_search every term must match"
    common = driver.client.make_request("post", "/posts/search", options={"terms": world.w["common"]}).json()
    assert world.posts["private"]["id"] not in common["order"], "never a channel the searcher is not in"
    assert set(world.ids("mine", "theirs", "there")) <= set(common["order"])


def test_search_quoted_phrase_matches_only_the_exact_phrase(world):
    first, second = world.w["first"], world.w["second"]
    phrase = search(world.searcher.driver, world.team["id"], f'"{first} {second}"')
    assert phrase["order"] == world.ids("phrase"), "only the post with the words together and in that order"
    words = search(world.searcher.driver, world.team["id"], f"{first} {second}")
    assert world.ours(words) == world.ids("apart", "reversed", "phrase"), "without quotes, every post with both words"


def test_search_from_username(world):
    theirs = search(world.searcher.driver, world.team["id"], f"from:{world.other.username} {world.w['common']}")
    assert theirs["order"] == world.ids("there", "theirs"), "only the other user's posts"
    assert all(p["user_id"] == world.other.id for p in theirs["posts"].values())
    mine = search(world.searcher.driver, world.team["id"], f"from:{world.searcher.username} {world.w['common']}")
    assert mine["order"] == world.ids("mine")


def test_search_in_channel_name(world):
    there = search(world.searcher.driver, world.team["id"], f"in:{world.elsewhere['name']} {world.w['common']}")
    assert there["order"] == world.ids("there"), "only the post in that channel"
    here = search(world.searcher.driver, world.team["id"], f"in:{world.general['name']} {world.w['common']}")
    assert here["order"] == world.ids("theirs", "mine")
    assert all(p["channel_id"] == world.general["id"] for p in here["posts"].values())


def test_search_never_finds_a_private_channel_the_searcher_is_not_in(world):
    driver, team_id = world.searcher.driver, world.team["id"]
    assert search(driver, team_id, world.w["hidden"])["order"] == [], "a word only used in the private channel finds nothing"
    common = search(driver, team_id, world.w["common"])
    assert world.posts["private"]["id"] not in common["order"]
    assert world.posts["private"]["id"] not in common["posts"]
    named = search(driver, team_id, f"in:{world.secret['name']} {world.w['common']}")
    assert named["order"] == [], "naming the private channel does not reveal it"
    as_member = search(world.admin.driver, team_id, world.w["hidden"])
    assert as_member["order"] == world.ids("private"), "a member of the private channel finds the post"


def test_search_with_no_results_answers_empty_order(world):
    response = world.searcher.driver.client.make_request(
        "post", f"/teams/{world.team['id']}/posts/search", options={"terms": world.w["absent"], "is_or_search": False})
    assert response.status_code == 200
    body = response.json()
    assert body["order"] == [], f"order is an empty list, not null or missing: {body}"
    assert body["posts"] == {}, f"posts is an empty map: {body}"


def test_search_with_empty_terms_is_a_bad_request(world):
    # api4/post.go searchPosts: if params.Terms == nil || *params.Terms == "" { c.SetInvalidParam("terms") }
    response = raw(world.searcher.driver, "POST", f"/teams/{world.team['id']}/posts/search", json={"terms": "", "is_or_search": False})
    assert_mattermost_error(response, 400)


def test_search_outside_ones_team_is_forbidden(world, make_team):
    # api4/post.go searchPostsInTeam: SessionHasPermissionToTeam(..., PermissionViewTeam)
    other_team = make_team("srch")
    with pytest.raises(NotEnoughPermissions):
        world.searcher.driver.posts.search_for_team_posts(other_team["id"], options={"terms": world.w["common"], "is_or_search": False})


# ---------------------------------------------------------------------------
# Profile pictures


def test_profile_image_is_a_png(admin, make_user):
    account = make_user("img")
    response = account.driver.users.get_user_profile_image(account.id)
    # The driver hands back the raw response when Content-Type is not JSON.
    assert response.status_code == 200
    assert response.headers.get("Content-Type") == "image/png"
    assert response.headers.get("Cache-Control") == "max-age=86400, private"
    assert_png(response.content, "own profile picture")

    theirs = account.driver.users.get_user_profile_image(admin.user["id"])
    assert theirs.status_code == 200
    assert theirs.headers.get("Content-Type") == "image/png"
    assert_png(theirs.content, "another user's profile picture")


# ---------------------------------------------------------------------------
# Custom emoji


def test_custom_emoji_lifecycle(make_user):
    account = make_user("emoji")
    driver = account.driver
    name = f"py_emoji_{word(10)}"
    png = make_png()

    emoji = driver.emoji.create_custom_emoji(name, files={"image": ("emoji.png", png, "image/png")})
    assert_id(emoji["id"], "emoji id")
    assert emoji["name"] == name
    assert emoji["creator_id"] == account.id
    assert_millis(emoji["create_at"], "create_at")
    assert_millis(emoji["update_at"], "update_at")
    assert emoji["delete_at"] == 0

    with pytest.raises(InvalidOrMissingParameters):
        driver.emoji.create_custom_emoji(name, files={"image": ("emoji.png", make_png(), "image/png")})

    by_name = driver.emoji.get_custom_emoji_by_name(name)
    assert by_name["id"] == emoji["id"] and by_name["creator_id"] == account.id
    assert driver.emoji.get_custom_emoji(emoji["id"])["name"] == name

    image = driver.emoji.get_custom_emoji_image(emoji["id"])
    assert image.status_code == 200
    assert image.headers.get("Content-Type") == "image/png"
    assert image.headers.get("Cache-Control") == "max-age=2592000, private"
    assert image.content == png, "a small PNG is stored as sent"

    completed = driver.emoji.autocomplete_custom_emoji(params={"name": name[:-4]})
    assert isinstance(completed, list)
    assert any(e["id"] == emoji["id"] and e["name"] == name for e in completed), "autocomplete finds the emoji by a prefix"
    assert driver.emoji.autocomplete_custom_emoji(params={"name": f"zz{word(12)}"}) == []

    assert driver.emoji.delete_custom_emoji(emoji["id"]) == {"status": "OK"}
    with pytest.raises(ResourceNotFound):
        driver.emoji.get_custom_emoji_by_name(name)
    with pytest.raises(ResourceNotFound):
        driver.emoji.get_custom_emoji(emoji["id"])
    with pytest.raises(ResourceNotFound):
        driver.emoji.get_custom_emoji_image(emoji["id"])
    assert all(e["id"] != emoji["id"] for e in driver.emoji.autocomplete_custom_emoji(params={"name": name}))


def test_custom_emoji_for_another_creator_is_forbidden(make_user):
    account, other = make_user("emoji"), make_user("emoji")
    emoji = {"name": f"py_emoji_{word(10)}", "creator_id": other.id}
    response = raw(account.driver, "POST", "/emoji", data={"emoji": json.dumps(emoji)},
                   files={"image": ("emoji.png", make_png(), "image/png")})
    assert_mattermost_error(response, 403)


# ---------------------------------------------------------------------------
# Collapsed reply threads


def test_collapsed_threads_unread_read_unfollow(admin, make_user, make_team):
    author, replier = make_user("crt"), make_user("crt")
    team = make_team("crt")
    add_to_team(admin, team, author)
    add_to_team(admin, team, replier)
    channel = new_channel(admin.driver, team["id"], prefix="crt")
    for account in (author, replier):
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})

    root = author.driver.posts.create_post(options={"channel_id": channel["id"], "message": "a py root post"})
    reply = replier.driver.posts.create_post(options={
        "channel_id": channel["id"], "root_id": root["id"], "message": f"@{author.username} a reply that mentions you",
    })
    assert reply["root_id"] == root["id"]

    client = author.driver.client
    base = f"/users/{author.id}/teams/{team['id']}/threads"

    def listed():
        threads = client.get(base)
        assert isinstance(threads.get("threads"), list), f"threads is a list: {threads}"
        for key in ("total", "total_unread_threads", "total_unread_mentions"):
            assert isinstance(threads.get(key), int), f"{key} is a number: {threads}"
        return threads

    def find(threads):
        return next((t for t in threads["threads"] if t["id"] == root["id"]), None)

    before = eventually(listed, lambda t: find(t) is not None)
    thread = find(before)
    assert thread, f"the root author follows the thread once someone replies: {before}"
    assert thread["reply_count"] == 1
    assert thread["last_reply_at"] == reply["create_at"]
    assert thread["post"]["id"] == root["id"]
    assert any(p["id"] == replier.id for p in thread["participants"]), f"the replier is a participant: {thread['participants']}"
    assert thread["unread_replies"] == 1
    assert thread["unread_mentions"] == 1, "the reply mentions the root author"
    assert before["total_unread_threads"] >= 1 and before["total_unread_mentions"] >= 1

    # Mention counts start at the timestamp (inclusive), so read "up to now", after the reply.
    read_at = max(int(time.time() * 1000), reply["create_at"] + 1)
    read = client.put(f"{base}/{root['id']}/read/{read_at}")
    assert read["id"] == root["id"], "marking read answers the thread"
    assert read["unread_replies"] == 0
    assert read["unread_mentions"] == 0
    assert read["last_viewed_at"] == read_at

    single = client.get(f"{base}/{root['id']}")
    assert single["unread_replies"] == 0 and single["unread_mentions"] == 0
    after_read = listed()
    assert find(after_read) and find(after_read)["unread_replies"] == 0 and find(after_read)["unread_mentions"] == 0
    assert after_read["total_unread_mentions"] == before["total_unread_mentions"] - 1
    assert after_read["total_unread_threads"] == before["total_unread_threads"] - 1

    assert client.delete(f"{base}/{root['id']}/following") == {"status": "OK"}
    after_unfollow = listed()
    assert find(after_unfollow) is None, "an unfollowed thread leaves the list"
    assert after_unfollow["total"] == after_read["total"] - 1

    assert client.put(f"{base}/{root['id']}/following") == {"status": "OK"}
    assert find(listed()) is not None, "following again lists the thread again"


# ---------------------------------------------------------------------------
# Sidebar categories


def test_sidebar_categories_custom_move_reorder_delete(admin, make_user, make_team):
    account = make_user("side")
    team = make_team("side")
    add_to_team(admin, team, account)
    channel = new_channel(account.driver, team["id"], prefix="side")
    client = account.driver.client
    base = f"/users/{account.id}/teams/{team['id']}/channels/categories"

    def sidebar():
        result = client.get(base)
        assert result["order"] == [c["id"] for c in result["categories"]], "order lists the categories in their order"
        return result

    def of_type(result, kind):
        return next(c for c in result["categories"] if c["type"] == kind)

    def by_id(result, category_id):
        return next(c for c in result["categories"] if c["id"] == category_id)

    initial = sidebar()
    assert [c["type"] for c in initial["categories"]] == ["favorites", "channels", "direct_messages"]
    favorites, channels, dms = (of_type(initial, k)["id"] for k in ("favorites", "channels", "direct_messages"))
    assert channel["id"] in of_type(initial, "channels")["channel_ids"], "a new channel starts in Channels"

    display_name = f"Py {rand(6)}"
    response = client.make_request("post", base, options={
        "user_id": account.id, "team_id": team["id"], "display_name": display_name, "channel_ids": [],
    })
    assert response.status_code == 200, "Mattermost answers 200 to a new category"
    custom = response.json()
    assert_id(custom["id"], "category id")
    assert custom["type"] == "custom"
    assert custom["display_name"] == display_name
    assert custom["user_id"] == account.id and custom["team_id"] == team["id"]
    assert custom["channel_ids"] == []
    assert custom["sort_order"] == 10, "the new category's sort_order places it right after Favorites (0)"
    assert sidebar()["order"] == [favorites, custom["id"], channels, dms], "a new category goes right after Favorites"

    moved = client.put(f"{base}/{custom['id']}", options={**custom, "channel_ids": [channel["id"]]})
    assert moved["id"] == custom["id"] and moved["channel_ids"] == [channel["id"]]
    after_move = sidebar()
    assert by_id(after_move, custom["id"])["channel_ids"] == [channel["id"]]
    assert channel["id"] not in of_type(after_move, "channels")["channel_ids"], "a moved channel leaves Channels"

    current = by_id(after_move, custom["id"])
    updated = client.put(base, options=[{**current, "display_name": "Renamed", "collapsed": True}])
    assert isinstance(updated, list) and len(updated) == 1, f"PUT .../categories answers the updated categories: {updated}"
    assert updated[0]["display_name"] == "Renamed" and updated[0]["collapsed"] is True
    assert updated[0]["channel_ids"] == [channel["id"]]

    new_order = [favorites, channels, dms, custom["id"]]
    assert client.put(f"{base}/order", options=new_order) == new_order
    assert client.get(f"{base}/order") == new_order
    reordered = sidebar()
    assert reordered["order"] == new_order
    assert [c["sort_order"] for c in reordered["categories"]] == [0, 10, 20, 30], "sort_order is renumbered in steps of 10"
    assert reordered["categories"][3]["display_name"] == "Renamed"

    assert client.delete(f"{base}/{custom['id']}") == {"status": "OK"}
    after_delete = sidebar()
    assert after_delete["order"] == [favorites, channels, dms]
    assert channel["id"] in of_type(after_delete, "channels")["channel_ids"], "the channels of a deleted category return to Channels"


def test_deleting_a_default_category_is_refused(admin, make_user, make_team):
    account = make_user("side")
    team = make_team("side")
    add_to_team(admin, team, account)
    base = f"/users/{account.id}/teams/{team['id']}/channels/categories"
    channels = next(c for c in account.driver.client.get(base)["categories"] if c["type"] == "channels")
    assert_mattermost_error(raw(account.driver, "DELETE", f"{base}/{channels['id']}"), 400)
    assert channels["id"] in account.driver.client.get(base)["order"], "the Channels category stays"


def test_category_update_drops_channels_the_user_is_not_in(admin, make_user, make_team):
    # api4/channel_category.go validateSidebarCategory keeps only the user's own
    # channels in the team ("Stopping user from adding channel to their sidebar
    # when they are not a member") and goes on with the update.
    account = make_user("side")
    team = make_team("side")
    add_to_team(admin, team, account)
    mine = new_channel(account.driver, team["id"], prefix="side")
    not_mine = new_channel(admin.driver, team["id"], prefix="side")
    client = account.driver.client
    base = f"/users/{account.id}/teams/{team['id']}/channels/categories"
    custom = client.post(base, options={"user_id": account.id, "team_id": team["id"], "display_name": "Py filter", "channel_ids": []})
    response = raw(account.driver, "PUT", f"{base}/{custom['id']}", json={**custom, "channel_ids": [mine["id"], not_mine["id"]]})
    assert response.status_code == 200, f"the update succeeds without the foreign channel: {response.status_code} {response.text[:300]}"
    assert response.json()["channel_ids"] == [mine["id"]], "only the user's own channel is kept"
    assert client.get(f"{base}/{custom['id']}")["channel_ids"] == [mine["id"]]
