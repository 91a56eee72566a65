'use strict';
// Post search, profile pictures, custom emoji, collapsed reply threads and
// editable sidebar categories through Client4, as Mattermost serves them:
// api4/post.go searchPostsInTeam (database search: app.SearchPostsForUser,
// sqlstore SearchPostsForUser), api4/user.go getProfileImage, api4/emoji.go,
// api4/user.go thread routes (app.UpdateThreadReadForUser), and
// api4/channel_category.go with sqlstore/channel_store_categories.go.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const h = require('../lib/helpers');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// A word of letters only, so that no full-text parser splits or reads it as a number.
function word(n = 12) {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    return Array.from(crypto.randomBytes(n), (b) => letters[b % 26]).join('');
}

// ---------------------------------------------------------------------------
// A small PNG, made here: an RGB image of one random colour.

const CRC_TABLE = (() => {
    const table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        table[n] = c;
    }
    return table;
})();

function crc32(buf) {
    let c = -1;
    for (const b of buf) {
        c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    }
    return (c ^ -1) >>> 0;
}

function pngChunk(type, data) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

function makePng(width = 16, height = 16) {
    const [r, g, b] = crypto.randomBytes(3);
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // colour type: RGB
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then pixels
    for (let x = 0; x < width; x++) {
        row[1 + x * 3] = r;
        row[2 + x * 3] = g;
        row[3 + x * 3] = b;
    }
    const raw = Buffer.concat(Array.from({length: height}, () => row));
    return Buffer.concat([
        PNG_SIGNATURE,
        pngChunk('IHDR', ihdr),
        pngChunk('IDAT', zlib.deflateSync(raw)),
        pngChunk('IEND', Buffer.alloc(0)),
    ]);
}

function assertPng(bytes, what) {
    assert.ok(bytes.length > 8 + 25, `${what}: too short for a PNG (${bytes.length} bytes)`);
    assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE, `${what}: must start with the PNG signature`);
    assert.equal(bytes.subarray(12, 16).toString('ascii'), 'IHDR', `${what}: the first chunk must be IHDR`);
    assert.ok(bytes.readUInt32BE(16) > 0 && bytes.readUInt32BE(20) > 0, `${what}: width and height must be positive`);
}

// GET of a URL that Client4 only builds (image routes), with Client4's own
// headers (its bearer token), as the webapp's <img> fetches would be.
async function fetchWithClient(client, url) {
    const response = await fetch(url, client.getOptions({method: 'get'}));
    return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        bytes: Buffer.from(await response.arrayBuffer()),
    };
}

// ---------------------------------------------------------------------------
// Post search

// One team with two public channels and a private one, and posts in each,
// shared by the search tests. `searcher` is a member of both public channels
// but not of the private one.
let searchWorldPromise = null;
function searchWorld() {
    if (!searchWorldPromise) {
        searchWorldPromise = (async () => {
            const {client: adminClient, user: adminUser} = await h.admin();
            const [searcher, other] = await h.users(2);
            const team = await h.newTeam('srch');
            await adminClient.addToTeam(team.id, searcher.user.id);
            await adminClient.addToTeam(team.id, other.user.id);
            const general = await h.newPublicChannel(adminClient, team.id, 'srch');
            const elsewhere = await h.newPublicChannel(adminClient, team.id, 'srch');
            for (const channel of [general, elsewhere]) {
                await adminClient.addToChannel(searcher.user.id, channel.id);
                await adminClient.addToChannel(other.user.id, channel.id);
            }
            const secret = await adminClient.createChannel({
                team_id: team.id, name: `srch-priv-${h.rand(10)}`, display_name: 'Compat private', type: 'P', purpose: '', header: '',
            });

            const w = {common: word(), first: word(), second: word(), hidden: word(), absent: word()};
            const posts = {};
            const say = async (key, client, channel, message) => {
                posts[key] = await client.createPost({channel_id: channel.id, message});
                await h.sleep(5);
            };
            await say('mine', searcher.client, general, `hello ${w.common} from the searcher`);
            await say('theirs', other.client, general, `${w.common} said the other user`);
            await say('there', other.client, elsewhere, `${w.common} in the other channel`);
            await say('private', adminClient, secret, `${w.common} ${w.hidden} in a private channel`);
            await say('phrase', searcher.client, general, `${w.first} ${w.second} in this order`);
            await say('reversed', searcher.client, general, `${w.second} ${w.first} the other way round`);
            await say('apart', searcher.client, general, `${w.first} and then ${w.second}`);
            return {adminClient, adminUser, searcher, other, team, general, elsewhere, secret, w, posts};
        })();
    }
    return searchWorldPromise;
}

async function search(client, teamId, terms) {
    const {data, res} = await h.observe(() => client.searchPostsWithParams(teamId, {terms, is_or_search: false, page: 0, per_page: 60}));
    assert.equal(res.status, 200, `search "${terms}": HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    assert.ok(Array.isArray(data.order), `search "${terms}": order must be an array: ${res.body.slice(0, 300)}`);
    assert.ok(data.posts && typeof data.posts === 'object' && !Array.isArray(data.posts), `search "${terms}": posts must be a map`);
    for (const id of data.order) {
        assert.ok(data.posts[id], `search "${terms}": every id in order has its post (${id})`);
    }
    return data;
}

function ids(list, posts, keys) {
    return {
        got: list.order.filter((id) => Object.values(posts).some((p) => p.id === id)),
        want: keys.map((k) => posts[k].id),
    };
}

test('searchPostsWithParams finds a word: a PostList with order (newest first), posts and matches', async () => {
    const {searcher, team, w, posts} = await searchWorld();
    const list = await search(searcher.client, team.id, w.common);
    const {got, want} = ids(list, posts, ['there', 'theirs', 'mine']);
    assert.deepEqual(got, want, 'every visible post with the word, newest first');
    assert.equal(list.posts[posts.mine.id].message, posts.mine.message);
    assert.equal(list.posts[posts.theirs.id].user_id, posts.theirs.user_id);
    assert.ok('matches' in list, `a search result has a matches field: ${Object.keys(list)}`);
    // Database search (no Elasticsearch/Bleve) answers matches: null; the
    // search engines answer a map of post id -> matched words.
    if (list.matches !== null) {
        assert.equal(typeof list.matches, 'object', 'matches is a map');
        assert.ok(!Array.isArray(list.matches), 'matches is a map keyed by post id, not an array');
        for (const [id, words] of Object.entries(list.matches)) {
            assert.ok(list.order.includes(id), `matches is keyed by the ids of the results (${id})`);
            assert.ok(Array.isArray(words) && words.every((m) => typeof m === 'string'), `matches[${id}] is an array of strings`);
        }
        const mine = list.matches[posts.mine.id];
        assert.ok(Array.isArray(mine) && mine.some((m) => m.toLowerCase() === w.common), `matches names the word: ${JSON.stringify(mine)}`);
    }

    // searchPosts (terms + is_or_search) makes the same request.
    const {data: again, res} = await h.observe(() => searcher.client.searchPosts(team.id, w.common.toUpperCase(), false));
    assert.equal(res.status, 200);
    assert.match(res.url, new RegExp(`/api/v4/teams/${team.id}/posts/search$`));
    assert.deepEqual(again.order, list.order, 'search is case-insensitive');
});

test('a quoted phrase matches only the exact phrase', async () => {
    const {searcher, team, w, posts} = await searchWorld();
    const phrase = await search(searcher.client, team.id, `"${w.first} ${w.second}"`);
    assert.deepEqual(phrase.order, [posts.phrase.id], 'only the post with the words together and in that order');

    const words = await search(searcher.client, team.id, `${w.first} ${w.second}`);
    const {got, want} = ids(words, posts, ['apart', 'reversed', 'phrase']);
    assert.deepEqual(got, want, 'without quotes, every post with both words matches');
});

test('from:username limits the results to that author', async () => {
    const {searcher, other, team, w, posts} = await searchWorld();
    const theirs = await search(searcher.client, team.id, `from:${other.user.username} ${w.common}`);
    assert.deepEqual(theirs.order, [posts.there.id, posts.theirs.id], 'only the other user\'s posts');
    assert.ok(Object.values(theirs.posts).every((p) => p.user_id === other.user.id));

    const mine = await search(searcher.client, team.id, `from:${searcher.user.username} ${w.common}`);
    assert.deepEqual(mine.order, [posts.mine.id], 'only the searcher\'s post');
});

test('in:channel-name limits the results to that channel', async () => {
    const {searcher, team, w, posts, elsewhere, general} = await searchWorld();
    const there = await search(searcher.client, team.id, `in:${elsewhere.name} ${w.common}`);
    assert.deepEqual(there.order, [posts.there.id], 'only the post in that channel');

    const here = await search(searcher.client, team.id, `in:${general.name} ${w.common}`);
    assert.deepEqual(here.order, [posts.theirs.id, posts.mine.id]);
    assert.ok(Object.values(here.posts).every((p) => p.channel_id === general.id));
});

test('a post in a private channel the searcher is not in is never found', async () => {
    const {adminClient, searcher, team, w, posts, secret} = await searchWorld();
    const hidden = await search(searcher.client, team.id, w.hidden);
    assert.deepEqual(hidden.order, [], 'a word only used in the private channel finds nothing');
    const common = await search(searcher.client, team.id, w.common);
    assert.ok(!common.order.includes(posts.private.id), 'the private post is not among the results');
    assert.ok(!(posts.private.id in common.posts));
    const named = await search(searcher.client, team.id, `in:${secret.name} ${w.common}`);
    assert.deepEqual(named.order, [], 'naming the private channel does not reveal it');

    const asMember = await search(adminClient, team.id, w.hidden);
    assert.deepEqual(asMember.order, [posts.private.id], 'a member of the private channel finds the post');
});

test('a search that finds nothing answers order: [] and an empty posts map', async () => {
    const {searcher, team, w} = await searchWorld();
    const {data: list, res} = await h.observe(() => searcher.client.searchPostsWithParams(team.id, {terms: w.absent, is_or_search: false}));
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body);
    assert.deepEqual(body.order, [], `order is an empty array, not null or missing: ${res.body}`);
    assert.deepEqual(body.posts, {}, `posts is an empty map: ${res.body}`);
    assert.deepEqual(list.order, []);
});

test('a search with empty terms is a bad request (400)', async () => {
    // api4/post.go searchPosts: if params.Terms == nil || *params.Terms == "" { c.SetInvalidParam("terms") }
    const {searcher, team} = await searchWorld();
    const {res} = await h.expectError(() => searcher.client.searchPostsWithParams(team.id, {terms: '', is_or_search: false}), 400, 'search with empty terms');
    h.assertMattermostError(res, 400);
});

test('searching a team one is not a member of is forbidden (403)', async () => {
    // api4/post.go searchPostsInTeam: SessionHasPermissionToTeam(..., PermissionViewTeam)
    const {searcher, w} = await searchWorld();
    const otherTeam = await h.newTeam('srch');
    const {res} = await h.expectError(() => searcher.client.searchPosts(otherTeam.id, w.common, false), 403, 'search outside one\'s teams');
    h.assertMattermostError(res, 403);
});

// ---------------------------------------------------------------------------
// Profile pictures

test('GET /users/{id}/image answers 200 image/png with PNG bytes, for oneself and for another user', async () => {
    const {user: adminUser} = await h.admin();
    const [{client, user}] = await h.users(1);
    const me = await client.getMe();

    const url = client.getProfilePictureUrl(user.id, me.last_picture_update);
    assert.match(url, new RegExp(`/api/v4/users/${user.id}/image`));
    const own = await fetchWithClient(client, url);
    assert.equal(own.status, 200, `profile picture: HTTP ${own.status}: ${own.bytes.toString().slice(0, 200)}`);
    assert.equal(own.contentType, 'image/png');
    assert.equal(own.cacheControl, 'max-age=86400, private');
    assertPng(own.bytes, 'own profile picture');

    const theirs = await fetchWithClient(client, client.getProfilePictureUrl(adminUser.id, 0));
    assert.equal(theirs.status, 200);
    assert.equal(theirs.contentType, 'image/png');
    assertPng(theirs.bytes, 'another user\'s profile picture');
});

// ---------------------------------------------------------------------------
// Custom emoji

test('custom emoji: create with a PNG, get by id and by name, the image round-trips, autocomplete, delete, then 404', async () => {
    const [{client, user}] = await h.users(1);
    const name = `js_emoji_${word(10)}`;
    const png = makePng();

    const {data: emoji, res} = await h.observe(() => client.createCustomEmoji(
        {name, creator_id: user.id},
        new File([png], 'emoji.png', {type: 'image/png'}),
    ));
    assert.equal(res.status, 200, 'Mattermost answers 200 to a new emoji');
    h.assertId(emoji.id, 'emoji id');
    assert.equal(emoji.name, name);
    assert.equal(emoji.creator_id, user.id);
    h.assertMillis(emoji.create_at, 'create_at');
    h.assertMillis(emoji.update_at, 'update_at');
    assert.equal(emoji.delete_at, 0);

    const {res: duplicate} = await h.expectError(() => client.createCustomEmoji(
        {name, creator_id: user.id},
        new File([makePng()], 'emoji.png', {type: 'image/png'}),
    ), 400, 'createCustomEmoji with a name in use');
    h.assertMattermostError(duplicate, 400);

    const byName = await client.getCustomEmojiByName(name);
    assert.equal(byName.id, emoji.id);
    assert.equal(byName.name, name);
    assert.equal(byName.creator_id, user.id);
    assert.equal((await client.getCustomEmoji(emoji.id)).name, name);

    const imageUrl = client.getCustomEmojiImageUrl(emoji.id);
    assert.match(imageUrl, new RegExp(`/api/v4/emoji/${emoji.id}/image$`));
    const image = await fetchWithClient(client, imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.contentType, 'image/png');
    assert.equal(image.cacheControl, 'max-age=2592000, private');
    assert.ok(image.bytes.equals(png), `a small PNG is stored as sent (${image.bytes.length} bytes back, ${png.length} sent)`);

    const completed = await client.autocompleteCustomEmoji(name.slice(0, name.length - 4));
    assert.ok(Array.isArray(completed), 'autocomplete answers an array');
    assert.ok(completed.some((e) => e.id === emoji.id && e.name === name), 'autocomplete finds the emoji by a prefix of its name');
    const none = await client.autocompleteCustomEmoji(`zz${word(12)}`);
    assert.deepEqual(none, [], 'an unknown prefix finds nothing');

    const {data: deleted, res: deleteRes} = await h.observe(() => client.deleteCustomEmoji(emoji.id));
    assert.equal(deleteRes.status, 200);
    assert.deepEqual(deleted, {status: 'OK'});

    const {res: gone} = await h.expectError(() => client.getCustomEmojiByName(name), 404, 'getCustomEmojiByName after delete');
    h.assertMattermostError(gone, 404);
    await h.expectError(() => client.getCustomEmoji(emoji.id), 404, 'getCustomEmoji after delete');
    const goneImage = await fetchWithClient(client, imageUrl);
    assert.equal(goneImage.status, 404, 'a deleted emoji has no image');
    const after = await client.autocompleteCustomEmoji(name);
    assert.ok(!after.some((e) => e.id === emoji.id), 'a deleted emoji is not offered any more');
});

test('creating an emoji with another user\'s creator_id is forbidden (403)', async () => {
    const [{client}, {user: other}] = await h.users(2);
    const {res} = await h.expectError(() => client.createCustomEmoji(
        {name: `js_emoji_${word(10)}`, creator_id: other.id},
        new File([makePng()], 'emoji.png', {type: 'image/png'}),
    ), 403, 'createCustomEmoji for another creator');
    h.assertMattermostError(res, 403);
});

// ---------------------------------------------------------------------------
// Collapsed reply threads

test('collapsed threads: a reply mentioning the root author lists the thread unread; reading clears it; unfollowing removes it', async () => {
    const {client: adminClient} = await h.admin();
    const [author, replier] = await h.users(2);
    const team = await h.newTeam('crt');
    await adminClient.addToTeam(team.id, author.user.id);
    await adminClient.addToTeam(team.id, replier.user.id);
    const channel = await h.newPublicChannel(adminClient, team.id, 'crt');
    await adminClient.addToChannel(author.user.id, channel.id);
    await adminClient.addToChannel(replier.user.id, channel.id);

    const root = await author.client.createPost({channel_id: channel.id, message: 'a root post to reply to'});
    const reply = await replier.client.createPost({
        channel_id: channel.id, root_id: root.id, message: `@${author.user.username} a reply that mentions you`,
    });
    assert.equal(reply.root_id, root.id);

    const client = author.client;
    const userId = author.user.id;
    const listed = async () => {
        const {data, res} = await h.observe(() => client.getUserThreads(userId, team.id, {}));
        assert.equal(res.status, 200, `getUserThreads: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
        assert.ok(Array.isArray(data.threads), 'threads is an array');
        for (const key of ['total', 'total_unread_threads', 'total_unread_mentions']) {
            assert.equal(typeof data[key], 'number', `${key} is a number`);
        }
        return data;
    };

    const before = await h.eventually(listed, (l) => l.threads.some((t) => t.id === root.id));
    const thread = before.threads.find((t) => t.id === root.id);
    assert.ok(thread, `the root author follows the thread once someone replies: ${JSON.stringify(before)}`);
    assert.equal(thread.reply_count, 1);
    assert.equal(thread.last_reply_at, reply.create_at, 'last_reply_at is the reply\'s create_at');
    assert.equal(thread.post.id, root.id, 'the thread carries its root post');
    assert.equal(thread.post.message, root.message);
    assert.ok(Array.isArray(thread.participants) && thread.participants.some((p) => p.id === replier.user.id),
        `the replier is a participant: ${JSON.stringify(thread.participants)}`);
    assert.equal(thread.unread_replies, 1, 'one reply not read yet');
    assert.equal(thread.unread_mentions, 1, 'the reply mentions the root author');
    assert.ok(before.total >= 1);
    assert.ok(before.total_unread_threads >= 1, 'the totals count the unread thread');
    assert.ok(before.total_unread_mentions >= 1, 'the totals count the mention');

    // Mattermost counts mentions in posts created at or after the timestamp,
    // so reading "up to now" must be later than the reply.
    const readAt = Math.max(Date.now(), reply.create_at + 1);
    const {data: read, res: readRes} = await h.observe(() => client.updateThreadReadForUser(userId, team.id, root.id, readAt));
    assert.equal(readRes.status, 200);
    assert.equal(read.id, root.id, 'marking read answers the thread');
    assert.equal(read.unread_replies, 0);
    assert.equal(read.unread_mentions, 0);
    assert.equal(read.last_viewed_at, readAt, 'last_viewed_at is the timestamp given');

    const single = await client.getUserThread(userId, team.id, root.id);
    assert.equal(single.id, root.id);
    assert.equal(single.unread_replies, 0);
    assert.equal(single.unread_mentions, 0);
    const afterRead = await listed();
    const readThread = afterRead.threads.find((t) => t.id === root.id);
    assert.ok(readThread, 'a read thread is still followed and listed');
    assert.equal(readThread.unread_replies, 0);
    assert.equal(readThread.unread_mentions, 0);
    assert.equal(afterRead.total_unread_mentions, before.total_unread_mentions - 1, 'the mention leaves the totals');
    assert.equal(afterRead.total_unread_threads, before.total_unread_threads - 1, 'the thread leaves the unread total');

    const {data: unfollowed, res: unfollowRes} = await h.observe(() => client.updateThreadFollowForUser(userId, team.id, root.id, false));
    assert.equal(unfollowRes.method, 'DELETE');
    assert.equal(unfollowRes.status, 200);
    assert.deepEqual(unfollowed, {status: 'OK'});
    const afterUnfollow = await listed();
    assert.ok(!afterUnfollow.threads.some((t) => t.id === root.id), 'an unfollowed thread leaves the list');
    assert.equal(afterUnfollow.total, afterRead.total - 1);

    const {data: followed, res: followRes} = await h.observe(() => client.updateThreadFollowForUser(userId, team.id, root.id, true));
    assert.equal(followRes.method, 'PUT');
    assert.deepEqual(followed, {status: 'OK'});
    assert.ok((await listed()).threads.some((t) => t.id === root.id), 'following again lists the thread again');
});

// ---------------------------------------------------------------------------
// Sidebar categories

test('sidebar categories: a custom category comes after Favorites; moving a channel in, renaming, reordering and deleting it', async () => {
    const {client: adminClient} = await h.admin();
    const [{client, user}] = await h.users(1);
    const team = await h.newTeam('side');
    await adminClient.addToTeam(team.id, user.id);
    const channel = await h.newPublicChannel(client, team.id, 'side');

    const sidebar = async () => {
        const result = await client.getChannelCategories(user.id, team.id);
        assert.deepEqual(result.order, result.categories.map((c) => c.id), 'order lists the categories in their order');
        return result;
    };
    const ofType = (result, type) => result.categories.find((c) => c.type === type);

    const initial = await sidebar();
    assert.deepEqual(initial.categories.map((c) => c.type), ['favorites', 'channels', 'direct_messages']);
    const favorites = ofType(initial, 'favorites');
    const channels = ofType(initial, 'channels');
    const dms = ofType(initial, 'direct_messages');
    assert.ok(channels.channel_ids.includes(channel.id), 'a new channel starts in Channels');

    const displayName = `Compat ${h.rand(6)}`;
    const {data: custom, res} = await h.observe(() => client.createChannelCategory(user.id, team.id, {
        user_id: user.id, team_id: team.id, display_name: displayName, channel_ids: [],
    }));
    assert.equal(res.status, 200, 'Mattermost answers 200 to a new category');
    h.assertId(custom.id, 'category id');
    assert.equal(custom.type, 'custom');
    assert.equal(custom.display_name, displayName);
    assert.equal(custom.user_id, user.id);
    assert.equal(custom.team_id, team.id);
    assert.deepEqual(custom.channel_ids, []);
    assert.equal(custom.sort_order, 10, 'the new category\'s sort_order places it right after Favorites (0)');

    const withCustom = await sidebar();
    assert.deepEqual(withCustom.order, [favorites.id, custom.id, channels.id, dms.id], 'a new category goes right after Favorites');

    const {data: moved} = await h.observe(() => client.updateChannelCategory(user.id, team.id, {...custom, channel_ids: [channel.id]}));
    assert.equal(moved.id, custom.id);
    assert.deepEqual(moved.channel_ids, [channel.id]);
    const afterMove = await sidebar();
    assert.deepEqual(afterMove.categories.find((c) => c.id === custom.id).channel_ids, [channel.id]);
    assert.ok(!ofType(afterMove, 'channels').channel_ids.includes(channel.id), 'a channel moved to a custom category leaves Channels');
    assert.equal((await client.getChannelCategory(user.id, team.id, custom.id)).channel_ids[0], channel.id);

    const current = afterMove.categories.find((c) => c.id === custom.id);
    const {data: updated, res: updateRes} = await h.observe(() => client.updateChannelCategories(user.id, team.id, [
        {...current, display_name: 'Renamed', collapsed: true},
    ]));
    assert.equal(updateRes.status, 200);
    assert.ok(Array.isArray(updated) && updated.length === 1, `PUT .../categories answers the updated categories: ${updateRes.body.slice(0, 300)}`);
    assert.equal(updated[0].id, custom.id);
    assert.equal(updated[0].display_name, 'Renamed');
    assert.equal(updated[0].collapsed, true);
    assert.deepEqual(updated[0].channel_ids, [channel.id]);

    const newOrder = [favorites.id, channels.id, dms.id, custom.id];
    const {data: order, res: orderRes} = await h.observe(() => client.updateChannelCategoryOrder(user.id, team.id, newOrder));
    assert.equal(orderRes.status, 200);
    assert.deepEqual(order, newOrder, 'the new order is answered back');
    assert.deepEqual(await client.getChannelCategoryOrder(user.id, team.id), newOrder);
    const reordered = await sidebar();
    assert.deepEqual(reordered.order, newOrder);
    assert.deepEqual(reordered.categories.map((c) => c.sort_order), [0, 10, 20, 30], 'sort_order is renumbered in steps of 10');
    assert.equal(reordered.categories[3].display_name, 'Renamed');

    const {data: deleted, res: deleteRes} = await h.observe(() => client.deleteChannelCategory(user.id, team.id, custom.id));
    assert.equal(deleteRes.status, 200);
    assert.deepEqual(deleted, {status: 'OK'});
    const afterDelete = await sidebar();
    assert.deepEqual(afterDelete.order, [favorites.id, channels.id, dms.id]);
    assert.ok(ofType(afterDelete, 'channels').channel_ids.includes(channel.id), 'the channels of a deleted category return to Channels');
});

test('deleting a default sidebar category is refused (400)', async () => {
    const {client: adminClient} = await h.admin();
    const [{client, user}] = await h.users(1);
    const team = await h.newTeam('side');
    await adminClient.addToTeam(team.id, user.id);
    const {categories} = await client.getChannelCategories(user.id, team.id);
    const channels = categories.find((c) => c.type === 'channels');
    const {res} = await h.expectError(() => client.deleteChannelCategory(user.id, team.id, channels.id), 400, 'deleting the Channels category');
    h.assertMattermostError(res, 400);
    const after = await client.getChannelCategories(user.id, team.id);
    assert.ok(after.order.includes(channels.id), 'the Channels category stays');
});

test('a category update silently drops channels the user is not a member of', async () => {
    // api4/channel_category.go validateSidebarCategory keeps only the user's own
    // channels in the team ("Stopping user from adding channel to their sidebar
    // when they are not a member") and goes on with the update.
    const {client: adminClient} = await h.admin();
    const [{client, user}] = await h.users(1);
    const team = await h.newTeam('side');
    await adminClient.addToTeam(team.id, user.id);
    const mine = await h.newPublicChannel(client, team.id, 'side');
    const notMine = await h.newPublicChannel(adminClient, team.id, 'side');
    const custom = await client.createChannelCategory(user.id, team.id, {
        user_id: user.id, team_id: team.id, display_name: 'Compat filter', channel_ids: [],
    });
    const {data: updated, res} = await h.observe(() => client.updateChannelCategory(user.id, team.id, {
        ...custom, channel_ids: [mine.id, notMine.id],
    }));
    assert.equal(res.status, 200, `the update succeeds without the foreign channel: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    assert.deepEqual(updated.channel_ids, [mine.id], 'only the user\'s own channel is kept');
    const stored = await client.getChannelCategory(user.id, team.id, custom.id);
    assert.deepEqual(stored.channel_ids, [mine.id]);
});

test('recent mentions: searchPosts without a team searches every team, is_or_search takes any term', async () => {
    // The mobile app's @ tab: POST /posts/search with the user's mention keys, or-ed.
    const {adminClient, searcher, team, general, w} = await searchWorld();
    const otherTeam = await h.newTeam('srch2');
    await adminClient.addToTeam(otherTeam.id, searcher.user.id);
    const away = await h.newPublicChannel(adminClient, otherTeam.id, 'srch2');
    await adminClient.addToChannel(searcher.user.id, away.id);
    const key = word();
    const nick = word();
    const inThisTeam = await adminClient.createPost({channel_id: general.id, message: `hey @${key} look`});
    const inOtherTeam = await adminClient.createPost({channel_id: away.id, message: `${nick}: over here`});
    const both = await h.observe(() => searcher.client.searchPostsWithParams('', {terms: `@${key} ${nick}`, is_or_search: true, page: 0, per_page: 60}));
    assert.equal(both.res.status, 200, both.res.body.slice(0, 300));
    assert.deepEqual(both.data.order, [inOtherTeam.id, inThisTeam.id], 'posts of both teams, newest first');
    const all = await searcher.client.searchPostsWithParams('', {terms: `${key} ${nick}`, is_or_search: false});
    assert.deepEqual(all.order, [], 'without is_or_search every term must match');
    const one = await searcher.client.searchPosts('', w.common, false);
    assert.ok(one.order.length >= 3, 'the same visibility as a team search');
    assert.ok(!one.order.includes((await searchWorld()).posts.private.id), 'never a channel the searcher is not in');
});
