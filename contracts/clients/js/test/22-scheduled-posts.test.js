'use strict';
// Scheduled posts ("send later") as the apps use them, through Client4:
// scheduling (api4/scheduled_post.go createSchedulePost), the team's list
// with the direct channels' (getTeamScheduledPosts), rescheduling and
// deleting (updateScheduledPost, deleteScheduledPost, both answering 201),
// the sender posting a due one as its author and removing it (the app's
// scheduled post job), Mattermost's error code for one that cannot go out,
// and the scheduled_post_* events to the author's sockets.
//
// The server is expected to poll for due posts every second
// (RUSTCHAT_SCHEDULED_POSTS_POLL_SECONDS=1, as scripts/compat starts it).

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const h = require('../lib/helpers');

// How long a due post may take to go out: the poll interval and some slack.
const SEND_WAIT = 15000;
const WS_URL = h.newClient().getWebSocketUrl().replace(/^http/i, 'ws');

// A team and a public channel with an author and another member in both.
async function world() {
    const {client: adminClient} = await h.admin();
    const [author, other] = await h.users(2);
    const team = await h.newTeam('sched');
    for (const u of [author, other]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    const channel = await h.newPublicChannel(adminClient, team.id, 'sched');
    for (const u of [author, other]) {
        await adminClient.addToChannel(u.user.id, channel.id);
    }
    return {adminClient, author, other, team, channel};
}

// The events a user's socket receives, for waiting on one.
const sockets = [];
async function listen(client) {
    const ws = new WebSocket(WS_URL, {headers: {Authorization: `Bearer ${client.getToken()}`}});
    const frames = [];
    ws.on('message', (data) => {
        try {
            frames.push(JSON.parse(data.toString()));
        } catch (err) {
            // Not JSON: never an event.
        }
    });
    await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
    });
    sockets.push(ws);
    // Events only flow once the hello came.
    await h.eventually(async () => frames, (f) => f.some((e) => e.event === 'hello'));
    return {
        frames,
        async event(name, pred = () => true) {
            const found = await h.eventually(
                async () => frames.find((e) => e.event === name && pred(e)),
                (e) => Boolean(e),
                SEND_WAIT,
            );
            assert.ok(found, `no ${name} event: got ${frames.map((e) => e.event).join(', ')}`);
            return found;
        },
    };
}

after(() => {
    for (const ws of sockets) {
        ws.terminate();
    }
});

// The scheduled post a scheduled_post_* event carries.
const scheduledOf = (e) => JSON.parse(e.data.scheduledPost);

async function listed(client, teamId, withDirect = true) {
    const {data} = await client.getScheduledPosts(teamId, withDirect);
    return data;
}

test('the client config offers scheduled posts', async () => {
    const {client} = await h.newUser('schedcfg');
    const config = await client.getClientConfig();
    assert.equal(config.ScheduledPosts, 'true');
});

test('a scheduled post is listed, goes out as its author when due, and leaves the list', async () => {
    const {author, other, team, channel} = await world();
    const socket = await listen(author.client);
    const at = Date.now() + 2000;
    const {data: made, res} = await h.observe(() => author.client.createScheduledPost({
        channel_id: channel.id,
        message: 'sent later',
        props: {from_test: 'yes'},
        scheduled_at: at,
    }, ''));
    assert.equal(res.status, 201);
    const scheduled = made.data;
    h.assertId(scheduled.id);
    assert.equal(scheduled.user_id, author.user.id);
    assert.equal(scheduled.channel_id, channel.id);
    assert.equal(scheduled.message, 'sent later');
    assert.equal(scheduled.scheduled_at, at);
    assert.equal(scheduled.processed_at, 0);
    assert.equal(scheduled.error_code, '');
    assert.equal(scheduled.props.from_test, 'yes');
    const created = await socket.event('scheduled_post_created');
    assert.equal(scheduledOf(created).id, scheduled.id);
    assert.equal(created.broadcast.user_id, author.user.id, 'for the author only');

    const before = await listed(author.client, team.id);
    assert.deepEqual(before[team.id].map((p) => p.id), [scheduled.id]);
    assert.deepEqual(before.directChannels, []);
    const theirs = await listed(other.client, team.id);
    assert.deepEqual(theirs[team.id], [], 'another member lists only their own');

    // Posted by the sender as the author, for everyone in the channel.
    const posts = await h.eventually(
        () => other.client.getPosts(channel.id, 0, 60),
        (list) => Object.values(list.posts).some((p) => p.message === 'sent later'),
        SEND_WAIT,
    );
    const sent = Object.values(posts.posts).find((p) => p.message === 'sent later');
    assert.ok(sent, 'the scheduled post went out');
    assert.equal(sent.user_id, author.user.id);
    assert.ok(sent.create_at >= at - 5000, 'not before its time');
    assert.equal(sent.props.from_test, 'yes');
    const deleted = await socket.event('scheduled_post_deleted');
    assert.equal(scheduledOf(deleted).id, scheduled.id);
    const posted = await socket.event('posted', (e) => JSON.parse(e.data.post).id === sent.id);
    assert.equal(posted.broadcast.channel_id, channel.id);

    const afterwards = await listed(author.client, team.id);
    assert.deepEqual(afterwards[team.id], [], 'a posted one is gone from the list');
});

test('a reply in a thread and a direct message are scheduled, the latter listed under directChannels', async () => {
    const {author, other, team, channel} = await world();
    const root = await other.client.createPost({channel_id: channel.id, message: 'a thread'});
    const {data: reply} = await author.client.createScheduledPost({
        channel_id: channel.id, root_id: root.id, message: 'a later reply', scheduled_at: Date.now() + 1500,
    }, '');
    assert.equal(reply.root_id, root.id);
    const dm = await author.client.createDirectChannel([author.user.id, other.user.id]);
    const {data: direct} = await author.client.createScheduledPost({
        channel_id: dm.id, message: 'tomorrow, privately', scheduled_at: Date.now() + 86400000,
    }, '');
    const lists = await listed(author.client, team.id);
    assert.deepEqual(lists.directChannels.map((p) => p.id), [direct.id]);
    assert.ok(!lists[team.id].some((p) => p.id === direct.id));
    const {data: teamOnly, res} = await h.observe(() => author.client.getScheduledPosts(team.id, false));
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(teamOnly.data), [team.id], 'without includeDirectChannels, no directChannels');

    const thread = await h.eventually(
        () => other.client.getPostThread(root.id),
        (t) => Object.values(t.posts).some((p) => p.message === 'a later reply'),
        SEND_WAIT,
    );
    const sent = Object.values(thread.posts).find((p) => p.message === 'a later reply');
    assert.ok(sent, 'the reply went out in its thread');
    assert.equal(sent.root_id, root.id);
    await author.client.deleteScheduledPost(author.user.id, direct.id, '');
});

test('the author reschedules, edits and deletes a scheduled post; updates and deletes answer 201', async () => {
    const {author, team, channel} = await world();
    const socket = await listen(author.client);
    const {data: scheduled} = await author.client.createScheduledPost({
        channel_id: channel.id, message: 'draft', scheduled_at: Date.now() + 3600000,
    }, '');

    const later = Date.now() + 7200000;
    const {data: updated, res} = await h.observe(() => author.client.updateScheduledPost(
        {...scheduled, message: 'edited', scheduled_at: later}, ''));
    assert.equal(res.status, 201);
    assert.equal(updated.data.id, scheduled.id);
    assert.equal(updated.data.message, 'edited');
    assert.equal(updated.data.scheduled_at, later);
    assert.equal(updated.data.create_at, scheduled.create_at);
    assert.ok(updated.data.update_at >= scheduled.update_at);
    const event = await socket.event('scheduled_post_updated');
    assert.equal(scheduledOf(event).message, 'edited');
    const [shown] = (await listed(author.client, team.id))[team.id];
    assert.equal(shown.message, 'edited');
    assert.equal(shown.scheduled_at, later);

    // The body's id must be the path's.
    const {res: mismatch} = await h.expectError(
        () => author.client.doFetchWithResponse(
            `${author.client.getPostsRoute()}/schedule/${scheduled.id}`,
            {method: 'put', body: JSON.stringify({...scheduled, id: h.unknownId()})},
        ),
        400,
        'update with another id',
    );
    assert.equal(h.assertMattermostError(mismatch, 400).id, 'api.context.invalid_url_param.app_error');

    const {data: deleted, res: deleteRes} = await h.observe(
        () => author.client.deleteScheduledPost(author.user.id, scheduled.id, ''));
    assert.equal(deleteRes.status, 201);
    assert.equal(deleted.data.id, scheduled.id);
    assert.equal(scheduledOf(await socket.event('scheduled_post_deleted')).id, scheduled.id);
    assert.deepEqual((await listed(author.client, team.id))[team.id], []);
    const {res: again} = await h.expectError(
        () => author.client.deleteScheduledPost(author.user.id, scheduled.id, ''), 404, 'delete again');
    assert.equal(h.assertMattermostError(again, 404).id, 'app.delete_scheduled_post.existing_scheduled_post.not_exist');
    const {res: missing} = await h.expectError(
        () => author.client.updateScheduledPost({...scheduled, message: 'gone'}, ''), 404, 'update a deleted one');
    assert.equal(h.assertMattermostError(missing, 404).id, 'app.update_scheduled_post.existing_scheduled_post.not_exist');
});

test('no one else reads, changes or deletes a scheduled post', async () => {
    const {author, other, team, channel} = await world();
    const {data: scheduled} = await author.client.createScheduledPost({
        channel_id: channel.id, message: 'mine', scheduled_at: Date.now() + 3600000,
    }, '');

    const theirs = await listed(other.client, team.id);
    assert.ok(!JSON.stringify(theirs).includes(scheduled.id), 'not in another member\'s list');
    const {res: update} = await h.expectError(
        () => other.client.updateScheduledPost({...scheduled, message: 'taken over'}, ''), 403, 'update by another');
    assert.equal(h.assertMattermostError(update, 403).id, 'app.update_scheduled_post.update_permission.error');
    const {res: del} = await h.expectError(
        () => other.client.deleteScheduledPost(other.user.id, scheduled.id, ''), 403, 'delete by another');
    assert.equal(h.assertMattermostError(del, 403).id, 'app.delete_scheduled_post.delete_permission.error');

    const {client: outsider} = await h.newUser('schedout');
    const {res: list} = await h.expectError(() => outsider.getScheduledPosts(team.id, true), 403, 'list outside the team');
    h.assertMattermostError(list, 403);
    const {res: into} = await h.expectError(() => outsider.createScheduledPost({
        channel_id: channel.id, message: 'intrusion', scheduled_at: Date.now() + 60000,
    }, ''), 403, 'schedule into a channel of another team');
    h.assertMattermostError(into, 403);
    const anonymous = h.newClient();
    const {res: anon} = await h.expectError(() => anonymous.getScheduledPosts(team.id, false), 401, 'anonymous list');
    assert.equal(h.assertMattermostError(anon, 401).id, 'api.context.session_expired.app_error');

    const [still] = (await listed(author.client, team.id))[team.id];
    assert.equal(still.message, 'mine', 'unchanged');
    await author.client.deleteScheduledPost(author.user.id, scheduled.id, '');
});

test('a time in the past and an empty post are refused with Mattermost\'s errors', async () => {
    const {author, channel} = await world();
    const {res: past} = await h.expectError(() => author.client.createScheduledPost({
        channel_id: channel.id, message: 'yesterday', scheduled_at: Date.now() - 60000,
    }, ''), 400, 'a past time');
    assert.equal(h.assertMattermostError(past, 400).id, 'model.scheduled_post.is_valid.scheduled_at.app_error');
    const {res: empty} = await h.expectError(() => author.client.createScheduledPost({
        channel_id: channel.id, message: '', scheduled_at: Date.now() + 60000,
    }, ''), 400, 'an empty post');
    assert.equal(h.assertMattermostError(empty, 400).id, 'model.scheduled_post.is_valid.empty_post.app_error');

    const {data: scheduled} = await author.client.createScheduledPost({
        channel_id: channel.id, message: 'soon', scheduled_at: Date.now() + 60000,
    }, '');
    const {res: backwards} = await h.expectError(
        () => author.client.updateScheduledPost({...scheduled, scheduled_at: Date.now() - 60000}, ''), 400, 'rescheduled into the past');
    assert.equal(h.assertMattermostError(backwards, 400).id, 'model.scheduled_post.is_valid.scheduled_at.app_error');
    await author.client.deleteScheduledPost(author.user.id, scheduled.id, '');
});

test('a post scheduled in a channel its author left is kept with no_channel_permission', async () => {
    const {adminClient, author, team, channel} = await world();
    const socket = await listen(author.client);
    const {data: scheduled} = await author.client.createScheduledPost({
        channel_id: channel.id, message: 'never sent', scheduled_at: Date.now() + 1500,
    }, '');
    await author.client.removeFromChannel(author.user.id, channel.id);

    const lists = await h.eventually(
        () => listed(author.client, team.id),
        (l) => l[team.id].some((p) => p.id === scheduled.id && p.error_code !== ''),
        SEND_WAIT,
    );
    const failed = lists[team.id].find((p) => p.id === scheduled.id);
    assert.ok(failed, 'still listed for its author');
    assert.equal(failed.error_code, 'no_channel_permission');
    h.assertMillis(failed.processed_at, 'processed_at');
    const event = await socket.event('scheduled_post_updated', (e) => scheduledOf(e).id === scheduled.id);
    assert.equal(scheduledOf(event).error_code, 'no_channel_permission');
    const posts = await adminClient.getPosts(channel.id, 0, 60);
    assert.ok(!Object.values(posts.posts).some((p) => p.message === 'never sent'), 'not posted');

    // Its author still deletes it.
    const {res} = await h.observe(() => author.client.deleteScheduledPost(author.user.id, scheduled.id, ''));
    assert.equal(res.status, 201);
});
