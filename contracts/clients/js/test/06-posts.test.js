'use strict';
// Posts, post lists and threads through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

async function channelOfAdmin(prefix = 'posts') {
    const {client, user} = await h.admin();
    const team = await h.newTeam(prefix);
    const channel = await h.newPublicChannel(client, team.id, prefix);
    return {client, user, team, channel};
}

// Posts messages one after the other, a few milliseconds apart so that every
// post has its own create_at.
async function postSeries(client, channelId, count, label) {
    const posts = [];
    for (let i = 0; i < count; i++) {
        posts.push(await client.createPost({channel_id: channelId, message: `${label} ${i + 1}`}));
        await h.sleep(3);
    }
    return posts;
}

test('createPost answers 201 with the post and echoes pending_post_id', async () => {
    const {client, user, channel} = await channelOfAdmin();
    const pending = h.pendingPostId(user.id);
    const {data: post, res} = await h.observe(() => client.createPost({
        channel_id: channel.id,
        message: 'hello from Client4',
        pending_post_id: pending,
        props: {compat: 'yes'},
    }));
    assert.equal(res.status, 201);
    h.assertId(post.id, 'post id');
    assert.equal(post.pending_post_id, pending, 'the pending_post_id is echoed back');
    assert.equal(post.channel_id, channel.id);
    assert.equal(post.user_id, user.id);
    assert.equal(post.message, 'hello from Client4');
    assert.equal(post.root_id, '');
    assert.equal(post.type, '');
    assert.equal(post.delete_at, 0);
    assert.equal(post.edit_at, 0);
    assert.equal(post.is_pinned, false);
    h.assertMillis(post.create_at, 'create_at');
    assert.equal(post.props.compat, 'yes', 'props round-trip');

    const fetched = await client.getPost(post.id);
    assert.equal(fetched.id, post.id);
    assert.equal(fetched.message, 'hello from Client4');
    assert.equal(fetched.create_at, post.create_at);
});

test('getPosts returns a PostList: order newest first, posts map, empty cursors on a full page', async () => {
    const {client, channel} = await channelOfAdmin();
    const posts = await postSeries(client, channel.id, 5, 'list');
    const {data: list, res} = await h.observe(() => client.getPosts(channel.id, 0, 60));
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(list.order), 'order is an array');
    assert.equal(typeof list.posts, 'object', 'posts is a map');
    assert.ok(!Array.isArray(list.posts), 'posts is a map keyed by id, not an array');
    assert.equal(list.order[0], posts[4].id, 'the newest post comes first');
    const ours = list.order.filter((id) => posts.some((p) => p.id === id));
    assert.deepEqual(ours, posts.map((p) => p.id).reverse(), 'order is newest first');
    for (const id of list.order) {
        assert.ok(list.posts[id], `every id in order has its post in the map (${id})`);
        assert.equal(list.posts[id].id, id);
    }
    assert.equal(list.next_post_id, '', 'nothing newer than the newest post');
    assert.equal(list.prev_post_id, '', 'nothing older than a page that holds every post');
});

test('getPostsBefore / getPostsAfter page around a post and set the cursors', async () => {
    const {client, channel} = await channelOfAdmin();
    const [p1, p2, p3, p4, p5] = await postSeries(client, channel.id, 5, 'cursor');

    const before = await client.getPostsBefore(channel.id, p3.id, 0, 1);
    assert.deepEqual(before.order, [p2.id], 'one post older than p3');
    assert.equal(before.next_post_id, p3.id, 'next_post_id is the cursor post');
    assert.equal(before.prev_post_id, p1.id, 'prev_post_id is the post before the page');

    const allBefore = await client.getPostsBefore(channel.id, p3.id, 0, 60);
    assert.ok(allBefore.order.includes(p1.id) && allBefore.order.includes(p2.id));
    assert.ok(!allBefore.order.includes(p3.id) && !allBefore.order.includes(p4.id));
    assert.equal(allBefore.next_post_id, p3.id);
    assert.equal(allBefore.prev_post_id, '', 'a short page has no older cursor');

    const after = await client.getPostsAfter(channel.id, p2.id, 0, 1);
    assert.deepEqual(after.order, [p3.id], 'one post newer than p2');
    assert.equal(after.prev_post_id, p2.id, 'prev_post_id is the cursor post');
    assert.equal(after.next_post_id, p4.id, 'next_post_id is the post after the page');

    const allAfter = await client.getPostsAfter(channel.id, p3.id, 0, 60);
    assert.deepEqual(allAfter.order, [p5.id, p4.id], 'newer posts, newest first');
    assert.equal(allAfter.prev_post_id, p3.id);
    assert.equal(allAfter.next_post_id, '');
});

test('getPostsSince returns what changed after a time, with empty cursors', async () => {
    const {client, channel} = await channelOfAdmin();
    const [p1, p2] = await postSeries(client, channel.id, 2, 'old');
    await h.sleep(10);
    const since = Date.now();
    await h.sleep(10);
    const [p3, p4] = await postSeries(client, channel.id, 2, 'new');

    const list = await client.getPostsSince(channel.id, since);
    assert.ok(list.order.includes(p3.id) && list.order.includes(p4.id), 'posts made after the time are returned');
    assert.ok(!list.order.includes(p1.id) && !list.order.includes(p2.id), 'older posts are not');
    assert.ok(list.posts[p3.id] && list.posts[p4.id]);
    assert.equal(list.next_post_id, '');
    assert.equal(list.prev_post_id, '');
});

test('getPostThread returns the root and its replies', async () => {
    const {client, channel} = await channelOfAdmin();
    const root = await client.createPost({channel_id: channel.id, message: 'root'});
    const r1 = await client.createPost({channel_id: channel.id, message: 'reply 1', root_id: root.id});
    await h.sleep(3);
    const r2 = await client.createPost({channel_id: channel.id, message: 'reply 2', root_id: root.id});
    assert.equal(r1.root_id, root.id);

    const {data: thread, res} = await h.observe(() => client.getPostThread(root.id));
    assert.match(res.url, /\/thread\?/);
    for (const p of [root, r1, r2]) {
        assert.ok(thread.order.includes(p.id), `thread order includes ${p.message}`);
        assert.ok(thread.posts[p.id], `thread posts include ${p.message}`);
    }
    assert.equal(thread.posts[r2.id].root_id, root.id);
    assert.equal(thread.posts[root.id].reply_count, 2, 'the root counts its replies');

    const fromReply = await client.getPostThread(r1.id);
    assert.ok(fromReply.order.includes(root.id), 'asking with a reply id returns the whole thread');
    const fetchedRoot = await client.getPost(root.id);
    assert.equal(fetchedRoot.reply_count, 2);
});

test('patchPost and updatePost edit the message and set edit_at', async () => {
    const {client, channel} = await channelOfAdmin();
    const post = await client.createPost({channel_id: channel.id, message: 'original'});
    await h.sleep(5);

    const patched = await client.patchPost({id: post.id, message: 'patched'});
    assert.equal(patched.id, post.id, 'an edit keeps the post id');
    assert.equal(patched.message, 'patched');
    assert.ok(patched.edit_at > 0, 'edit_at is set');
    assert.ok(patched.update_at > post.update_at);
    await h.sleep(5);

    const updated = await client.updatePost({...patched, message: 'updated'});
    assert.equal(updated.id, post.id);
    assert.equal(updated.message, 'updated');
    assert.ok(updated.edit_at >= patched.edit_at);

    const fetched = await client.getPost(post.id);
    assert.equal(fetched.message, 'updated');
    assert.ok(fetched.edit_at > 0);
});

test('deletePost answers {status: OK}; the post is then 404 but shows up deleted in a since query', async () => {
    const {client, channel} = await channelOfAdmin();
    const post = await client.createPost({channel_id: channel.id, message: 'short-lived'});
    await h.sleep(5);
    const since = Date.now();
    await h.sleep(5);
    const {res} = await h.observe(() => client.deletePost(post.id));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), {status: 'OK'});

    const {res: missing} = await h.expectError(() => client.getPost(post.id), 404, 'getPost after delete');
    h.assertMattermostError(missing, 404);

    const list = await client.getPostsSince(channel.id, since);
    assert.ok(list.posts[post.id], 'a since query returns the deleted post so clients can drop it');
    assert.ok(list.posts[post.id].delete_at > 0);
});

test('pin and unpin a post; the pinned list follows', async () => {
    const {client, channel} = await channelOfAdmin();
    const post = await client.createPost({channel_id: channel.id, message: 'pin me'});

    const pinned = await client.pinPost(post.id);
    assert.deepEqual(pinned, {status: 'OK'});
    assert.equal((await client.getPost(post.id)).is_pinned, true);
    const list = await client.getPinnedPosts(channel.id);
    assert.ok(Array.isArray(list.order) && list.order.includes(post.id), 'the pinned list holds the post');
    assert.ok(list.posts[post.id]);
    const stats = await client.getChannelStats(channel.id);
    assert.equal(stats.pinnedpost_count, 1);

    const unpinned = await client.unpinPost(post.id);
    assert.deepEqual(unpinned, {status: 'OK'});
    assert.equal((await client.getPost(post.id)).is_pinned, false);
    const after = await client.getPinnedPosts(channel.id);
    assert.ok(!after.order.includes(post.id), 'an unpinned post leaves the pinned list');
});

test('per_page=1000 is accepted and capped at 200', async () => {
    const {client, channel} = await channelOfAdmin('cap');
    for (let i = 0; i < 205; i++) {
        await client.createPost({channel_id: channel.id, message: `bulk ${i}`});
    }
    const {data: list, res} = await h.observe(() => client.getPosts(channel.id, 0, 1000));
    assert.equal(res.status, 200, 'an over-large per_page is not an error');
    assert.match(res.url, /per_page=1000/);
    assert.equal(list.order.length, 200, 'per_page is silently capped at 200');

    const {data: users, res: usersRes} = await h.observe(() => client.getProfiles(0, 1000));
    assert.equal(usersRes.status, 200);
    assert.ok(Array.isArray(users) && users.length > 0 && users.length <= 200);
});

test('getPostInfo tells a permalink where the post lives and whether one has joined', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('plink');
    const [member, visitor] = await h.users(2);
    await adminClient.addToTeam(team.id, member.user.id);
    const open = await h.newPublicChannel(adminClient, team.id, 'plink');
    await adminClient.addToChannel(member.user.id, open.id);
    const post = await member.client.createPost({channel_id: open.id, message: 'link to me'});

    const mine = await member.client.getPostInfo(post.id);
    assert.deepEqual(mine, {
        channel_id: open.id, channel_type: 'O', channel_display_name: open.display_name, has_joined_channel: true,
        team_id: team.id, team_type: team.allow_open_invite ? 'O' : 'I', team_display_name: team.display_name, has_joined_team: true,
    });
    await adminClient.patchTeam({id: team.id, allow_open_invite: true});
    const theirs = await visitor.client.getPostInfo(post.id);
    assert.equal(theirs.has_joined_team, false, 'an open team the visitor may join');
    assert.equal(theirs.has_joined_channel, false);
    assert.equal(theirs.team_type, 'O');

    const secret = await adminClient.createChannel({team_id: team.id, name: `plink-p-${h.rand(8)}`, display_name: 'Secret', type: 'P'});
    const hidden = await adminClient.createPost({channel_id: secret.id, message: 'not for you'});
    const {error, res} = await h.expectError(() => visitor.client.getPostInfo(hidden.id), 404, 'getPostInfo of a private channel');
    assert.equal(error.server_error_id, 'app.post.get.app_error');
    h.assertMattermostError(res, 404);
    await adminClient.patchTeam({id: team.id, allow_open_invite: false});
    await h.expectError(() => visitor.client.getPostInfo(post.id), 404, 'getPostInfo in an invite-only team one is not in');
});
