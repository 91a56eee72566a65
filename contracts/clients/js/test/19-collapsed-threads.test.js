'use strict';
// Collapsed reply threads as the apps use them when the server turns them on
// (CollapsedThreads: default_on), through Client4: channel posts by root only
// with each root's thread state (sqlstore getPostsCollapsedThreads), the
// threads list's cursors and profiles (GetThreadsForUser), marking a thread
// unread from a reply (api4 setThreadUnreadByPostId) and the team unread
// totals with thread counts (getTeamsUnreadForUser, include_collapsed_threads).

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

// A team and a public channel with an author and a replier in both.
async function world() {
    const {client: adminClient} = await h.admin();
    const [author, replier] = await h.users(2);
    const team = await h.newTeam('crt');
    for (const u of [author, replier]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    const channel = await h.newPublicChannel(adminClient, team.id, 'crt');
    for (const u of [author, replier]) {
        await adminClient.addToChannel(u.user.id, channel.id);
    }
    return {adminClient, author, replier, team, channel};
}

test('the client config turns collapsed reply threads on by default', async () => {
    const {client} = await h.newUser('crtcfg');
    const config = await client.getClientConfig();
    assert.equal(config.CollapsedThreads, 'default_on');
});

test('channel posts with collapsedThreads list roots only, each with its participants and whether the reader follows', async () => {
    const {author, replier, channel} = await world();
    const root = await author.client.createPost({channel_id: channel.id, message: 'root with replies'});
    const reply = await replier.client.createPost({channel_id: channel.id, root_id: root.id, message: 'a reply'});
    const lone = await replier.client.createPost({channel_id: channel.id, message: 'a root without replies'});

    const all = await author.client.getPosts(channel.id, 0, 60, true, false, false);
    assert.ok(all.order.includes(reply.id), 'without collapsed threads the reply is listed');

    const {data: collapsed, res} = await h.observe(() => author.client.getPosts(channel.id, 0, 60, true, true, true));
    assert.equal(res.status, 200);
    assert.deepEqual(collapsed.order, [lone.id, root.id], 'only roots, newest first');
    const shown = collapsed.posts[root.id];
    assert.equal(shown.reply_count, 1);
    assert.equal(shown.is_following, true, 'the author follows their thread once replied to');
    assert.equal(shown.participants.length, 1, JSON.stringify(shown.participants));
    assert.equal(shown.participants[0].id, replier.user.id);
    assert.equal(shown.participants[0].username, replier.user.username, 'extended: participants are profiles');
    assert.equal(shown.participants[0].email, '', 'a profile of someone else carries no e-mail');
    assert.deepEqual(collapsed.posts[lone.id].participants, [], 'a root without replies has no participants');
    assert.equal(collapsed.posts[lone.id].is_following, false);

    const notExtended = await author.client.getPosts(channel.id, 0, 60, true, true, false);
    assert.deepEqual(notExtended.posts[root.id].participants, [{id: replier.user.id}], 'without extended only ids');

    const since = await author.client.getPostsSince(channel.id, root.create_at - 1, true, true, true);
    assert.ok(!Object.keys(since.posts).includes(reply.id), 'posts since: no replies with collapsed threads');
    assert.ok(since.order.includes(root.id) && since.order.includes(lone.id));

    const before = await author.client.getPostsBefore(channel.id, lone.id, 0, 60, true, true, true);
    assert.deepEqual(before.order.filter((id) => id === reply.id), [], 'posts before: no replies');
    assert.ok(before.order.includes(root.id));

    const unread = await author.client.getPostsUnread(channel.id, author.user.id, 60, 60, true, true, true);
    assert.ok(!unread.order.includes(reply.id), 'posts around the unread line: no replies');
});

test('the threads list pages with after and before cursors, filters by since and gives profiles when extended', async () => {
    const {author, replier, team, channel} = await world();
    const roots = [];
    for (let i = 0; i < 3; i++) {
        const root = await author.client.createPost({channel_id: channel.id, message: `root ${i}`});
        await replier.client.createPost({channel_id: channel.id, root_id: root.id, message: `reply ${i}`});
        roots.push(root);
        await h.sleep(5);
    }
    const [oldest, middle, newest] = roots.map((r) => r.id);
    const list = (opts) => author.client.getUserThreads(author.user.id, team.id, opts);

    const first = await list({perPage: 1});
    assert.deepEqual(first.threads.map((t) => t.id), [newest], 'the most recently replied thread first');
    assert.equal(first.total, 3, 'totals count every followed thread');
    const older = await list({perPage: 1, before: newest});
    assert.deepEqual(older.threads.map((t) => t.id), [middle]);
    const newer = await list({perPage: 1, after: oldest});
    assert.deepEqual(newer.threads.map((t) => t.id), [middle], 'after: the thread right after the cursor');
    const newerTwo = await list({perPage: 5, after: oldest});
    assert.deepEqual(newerTwo.threads.map((t) => t.id), [newest, middle], 'still listed newest first');
    const none = await list({perPage: 5, after: newest});
    assert.deepEqual(none.threads, [], 'nothing after the newest');

    const middleReplyAt = (await author.client.getUserThread(author.user.id, team.id, middle)).last_reply_at;
    const since = await list({perPage: 10, since: middleReplyAt});
    assert.deepEqual(since.threads.map((t) => t.id).sort(), [middle, newest].sort(), 'since: threads changed since then');

    const extended = await list({perPage: 1, extended: true});
    assert.equal(extended.threads[0].participants[0].username, replier.user.username, 'extended: profiles');
    const plain = await list({perPage: 1});
    assert.deepEqual(plain.threads[0].participants, [{id: replier.user.id}], 'not extended: ids only');

    await h.expectError(() => list({perPage: 1, after: h.unknownId()}), 404, 'an unknown after cursor');

    // A deleted root leaves the list; an app syncing with deleted=true learns of it.
    const deletedAt = Date.now();
    await author.client.deletePost(newest);
    const live = await list({perPage: 10});
    assert.ok(!live.threads.some((t) => t.id === newest), 'a deleted thread is not listed');
    assert.equal(live.total, 2, 'nor counted');
    const synced = await list({perPage: 10, deleted: true, since: deletedAt - 1});
    const gone = synced.threads.find((t) => t.id === newest);
    assert.ok(gone, `deleted=true lists it: ${JSON.stringify(synced.threads.map((t) => t.id))}`);
    assert.ok(gone.delete_at >= deletedAt - 1000, 'with when it was deleted');
    assert.equal(gone.post.message, '', 'a deleted root keeps no message');
    assert.equal(synced.total, 2, 'totals count live threads only');
});

test('marking a thread unread from a reply moves its read point just before that reply and counts its mentions again', async () => {
    const {author, replier, team, channel} = await world();
    const root = await author.client.createPost({channel_id: channel.id, message: 'a thread to mark unread'});
    const first = await replier.client.createPost({
        channel_id: channel.id, root_id: root.id, message: `@${author.user.username} first`,
    });
    await h.sleep(5);
    const second = await replier.client.createPost({channel_id: channel.id, root_id: root.id, message: 'second'});
    const me = author.user.id;
    await author.client.updateThreadReadForUser(me, team.id, root.id, second.create_at + 1);
    const read = await author.client.getUserThread(me, team.id, root.id);
    assert.equal(read.unread_replies, 0);
    assert.equal(read.unread_mentions, 0);

    const {data: fromSecond, res} = await h.observe(() => author.client.markThreadAsUnreadForUser(me, team.id, root.id, second.id));
    assert.equal(res.method, 'POST');
    assert.equal(res.status, 200);
    assert.equal(fromSecond.id, root.id, 'answers the thread');
    assert.equal(fromSecond.last_viewed_at, second.create_at - 1);
    assert.equal(fromSecond.unread_replies, 1);
    assert.equal(fromSecond.unread_mentions, 0, 'the second reply mentions nobody');

    const fromFirst = await author.client.markThreadAsUnreadForUser(me, team.id, root.id, first.id);
    assert.equal(fromFirst.unread_replies, 2);
    assert.equal(fromFirst.unread_mentions, 1, 'the first reply mentions the author');
    const listed = await author.client.getUserThreads(me, team.id, {});
    assert.ok(listed.total_unread_threads >= 1 && listed.total_unread_mentions >= 1, 'the totals follow');

    const unreads = await author.client.getMyTeamUnreads(true);
    const inTeam = unreads.find((u) => u.team_id === team.id);
    assert.ok(inTeam, JSON.stringify(unreads));
    assert.equal(inTeam.thread_count, 1, 'one unread thread in the team');
    assert.equal(inTeam.thread_mention_count, 1, 'one unread thread mention');
    const withoutThreads = (await author.client.getMyTeamUnreads(false)).find((u) => u.team_id === team.id);
    assert.equal(withoutThreads.thread_count, 0, 'thread totals only when asked for');

    const elsewhere = await author.client.createPost({channel_id: channel.id, message: 'not in the thread'});
    const {res: res400} = await h.expectError(() => author.client.markThreadAsUnreadForUser(me, team.id, root.id, elsewhere.id), 400, 'a post of another thread');
    assert.match(res400.body, /post_id/);
    await h.expectError(() => author.client.markThreadAsUnreadForUser(replier.user.id, team.id, root.id, first.id), 403, 'another user\'s thread');

    const outsider = await h.newUser('crtout');
    await h.expectError(() => outsider.client.markThreadAsUnreadForUser(outsider.user.id, team.id, root.id, first.id), 403, 'a thread in a channel the caller cannot read');
});
