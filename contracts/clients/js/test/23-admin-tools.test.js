'use strict';
// Administrators' tools and integrations' helpers through Client4, as
// Mattermost serves them: roles (api4/role.go getAllRoles, getRole), file
// search across teams (api4/file.go searchFilesInAllTeams), statistics
// (api4/system.go getAnalytics), bot and user conversion (api4/bot.go
// convertBotToUser, api4/user.go convertUserToBot) and ephemeral posts'
// bad input (api4/post.go createEphemeralPost). Client4 has no method for
// listing every role or converting accounts: those go through its doFetch.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

function word(n = 12) {
    return Array.from({length: n}, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
}

test('roles: system admins list every role; anyone signed in reads one by id; an unknown id is Mattermost\'s 404', async () => {
    const {client: admin} = await h.admin();
    const {data: roles, res} = await h.observe(() => admin.doFetch(`${admin.getRolesRoute()}`, {method: 'get'}));
    assert.equal(res.status, 200);
    const names = roles.map((r) => r.name);
    for (const name of ['system_user', 'system_admin', 'team_user', 'team_admin', 'channel_user', 'channel_admin']) {
        assert.ok(names.includes(name), `${name} is listed: ${names}`);
    }
    const teamUser = roles.find((r) => r.name === 'team_user');
    assert.ok(teamUser.permissions.includes('create_private_channel'));

    const {client: member} = await h.newUser('roles');
    const {res: refused} = await h.expectError(() => member.doFetch(`${member.getRolesRoute()}`, {method: 'get'}), 403, 'listing every role as a member');
    h.assertMattermostError(refused, 403);
    const one = await member.getRole(teamUser.id);
    assert.deepEqual(one, teamUser, 'the same role by id');
    const {res: missing} = await h.expectError(() => member.getRole(h.unknownId()), 404, 'an unknown role id');
    assert.equal(JSON.parse(missing.body).id, 'app.role.get.app_error');
    await h.expectError(() => member.getRole('not-an-id'), 400, 'a malformed role id');
});

test('files search across teams finds the caller\'s files of every team, and only theirs', async () => {
    const {client: adminClient} = await h.admin();
    const {client, user} = await h.newUser('fsall');
    const stamp = word();
    const channels = [];
    for (const prefix of ['fsa', 'fsb']) {
        const team = await h.newTeam(prefix);
        await adminClient.addToTeam(team.id, user.id);
        const channel = await h.newPublicChannel(adminClient, team.id, prefix);
        await adminClient.addToChannel(user.id, channel.id);
        channels.push(channel);
    }
    for (const [i, channel] of channels.entries()) {
        const form = new FormData();
        form.append('channel_id', channel.id);
        form.append('files', new Blob([`file ${i}`], {type: 'text/plain'}), `${stamp}-${i}.txt`);
        const {file_infos: [info]} = await client.uploadFile(form);
        await client.createPost({channel_id: channel.id, message: 'attached', file_ids: [info.id]});
    }

    const {data: all, res} = await h.observe(() => client.searchFiles('', stamp, false));
    assert.equal(res.status, 200);
    assert.equal(res.method, 'POST');
    assert.ok(res.url.endsWith('/api/v4/files/search'), res.url);
    assert.equal(all.order.length, 2, `both teams' files: ${JSON.stringify(all.order)}`);
    assert.deepEqual(Object.keys(all.file_infos).sort(), [...all.order].sort());
    const inOne = await client.searchFiles(channels[0].team_id, stamp, false);
    assert.equal(inOne.order.length, 1, 'the team route keeps to its team');

    const {client: outsider} = await h.newUser('fsout');
    const theirs = await outsider.searchFiles('', stamp, false);
    assert.deepEqual(theirs.order, [], 'nobody else finds them');
    const {res: empty} = await h.expectError(() => client.searchFiles('', '  ', false), 400, 'empty terms');
    assert.match(empty.body, /terms/);
});

test('statistics: the standard rows count what the server holds, per team too; the per-day report names days; members are refused', async () => {
    const {client: admin} = await h.admin();
    const team = await h.newTeam('stats');
    const value = (list, name) => list.find((r) => r.name === name).value;
    const fresh = await admin.getAnalytics('standard', team.id);
    const channel = await h.newPublicChannel(admin, team.id, 'stats');
    await admin.createPost({channel_id: channel.id, message: 'counted'});

    const {data: rows, res} = await h.observe(() => admin.getAnalytics('standard', ''));
    assert.equal(res.status, 200);
    assert.deepEqual(rows.map((r) => r.name), [
        'channel_open_count', 'channel_private_count', 'post_count', 'unique_user_count', 'team_count',
        'total_websocket_connections', 'total_master_db_connections', 'total_read_db_connections',
        'daily_active_users', 'monthly_active_users', 'inactive_user_count',
    ]);
    assert.ok(value(rows, 'team_count') >= 1);
    assert.ok(value(rows, 'post_count') >= 1);
    assert.ok(value(rows, 'total_master_db_connections') >= 1, 'the database pool holds a connection');

    const inTeam = await admin.getAnalytics('standard', team.id);
    assert.equal(value(inTeam, 'post_count'), value(fresh, 'post_count') + 1, 'one more post in the team\'s channels');
    assert.equal(value(inTeam, 'channel_open_count'), value(fresh, 'channel_open_count') + 1, 'one more open channel');
    assert.equal(value(inTeam, 'channel_private_count'), value(fresh, 'channel_private_count'));
    assert.equal(value(inTeam, 'inactive_user_count'), -1, 'not counted per team');

    const days = await admin.getAnalytics('post_counts_day', '');
    assert.ok(Array.isArray(days));
    for (const d of days) {
        assert.match(d.name, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(d.value > 0);
    }
    const extra = await admin.getAnalytics('extra_counts', '');
    assert.ok(value(extra, 'session_count') >= 1, 'the admin\'s own session');

    const {res: unknown} = await h.expectError(() => admin.getAnalytics('everything', ''), 400, 'an unknown report');
    assert.match(unknown.body, /name/);
    const {client: member} = await h.newUser('stats');
    const {res: refused} = await h.expectError(() => member.getAnalytics('standard', ''), 403, 'a member');
    h.assertMattermostError(refused, 403);
});

test('a bot becomes a person who signs in with a password, and a person becomes a bot who cannot', async () => {
    const {client: admin} = await h.admin();
    const bot = await admin.createBot({username: `conv${h.rand(6)}`, display_name: 'Converted', description: ''});
    const toUser = `${admin.getBotRoute(bot.user_id)}/convert_to_user`;
    const email = `${bot.username}@example.com`;

    const {res: noPassword} = await h.expectError(() => admin.doFetch(toUser, {method: 'post', body: JSON.stringify({email})}), 400, 'no password');
    assert.match(noPassword.body, /password/);
    const {client: member} = await h.newUser('conv');
    await h.expectError(() => member.doFetch(toUser, {method: 'post', body: JSON.stringify({email, password: h.PASSWORD})}), 403, 'a member converting');

    const {data: person, res} = await h.observe(() => admin.doFetch(toUser, {method: 'post', body: JSON.stringify({email, password: h.PASSWORD})}));
    assert.equal(res.status, 200);
    assert.equal(person.id, bot.user_id);
    assert.equal(person.email, email);
    assert.ok(!person.is_bot, 'no longer a bot');
    await h.expectError(() => admin.getBot(bot.user_id), 404, 'the bot row is gone');
    const personClient = h.newClient();
    const me = await personClient.login(bot.username, h.PASSWORD);
    assert.equal(me.id, bot.user_id, 'the person signs in with the password');

    const {data: back, res: backRes} = await h.observe(() => admin.doFetch(`${admin.getUserRoute(bot.user_id)}/convert_to_bot`, {method: 'post'}));
    assert.equal(backRes.status, 200);
    assert.equal(back.user_id, bot.user_id);
    assert.equal(back.owner_id, bot.user_id, 'the bot owns itself');
    assert.equal((await admin.getUser(bot.user_id)).is_bot, true);
    await h.expectError(() => personClient.getMe(), 401, 'its sessions ended');
    await h.expectError(() => h.newClient().login(bot.username, h.PASSWORD), 401, 'a bot signs in with tokens only');
    await h.expectError(() => admin.doFetch(`${admin.getUserRoute(bot.user_id)}/convert_to_bot`, {method: 'post'}), 400, 'already a bot');
});

test('ephemeral posts: the recipient and the post are required, and the channel must be an id', async () => {
    const {client: admin, user} = await h.admin();
    const route = `${admin.getPostsRoute()}/ephemeral`;
    const send = (body) => admin.doFetch(route, {method: 'post', body: JSON.stringify(body)});
    const {res: noUser} = await h.expectError(() => send({post: {channel_id: h.unknownId(), message: 'x'}}), 400, 'no user_id');
    assert.match(noUser.body, /user_id/);
    const {res: noPost} = await h.expectError(() => send({user_id: user.id}), 400, 'no post');
    assert.match(noPost.body, /post/);
    const {res: badChannel} = await h.expectError(() => send({user_id: user.id, post: {channel_id: 'nope', message: 'x'}}), 400, 'a malformed channel id');
    assert.match(badChannel.body, /channel_id/);
});

// Client4 has no server-busy methods: its doFetch makes the calls.
const busyRoute = (client) => `${client.getBaseRoute()}/server_busy`;
const setBusy = (client, seconds) => client.doFetch(`${busyRoute(client)}?seconds=${seconds}`, {method: 'post'});
const getBusy = (client) => client.doFetch(busyRoute(client), {method: 'get'});
const clearBusy = (client) => client.doFetch(busyRoute(client), {method: 'delete'});

test('a system admin marks the server busy: searches answer 503 until it is cleared; members may not see or change it', async () => {
    const {client: admin} = await h.admin();
    const {client: member} = await h.newUser('busy');
    const team = await h.newTeam('busy');
    await admin.addToTeam(team.id, (await member.getMe()).id);

    await h.expectError(() => setBusy(member, 60), 403, 'a member marking the server busy');
    await h.expectError(() => getBusy(member), 403, 'a member reading the busy state');
    const idle = await getBusy(admin);
    assert.equal(idle.busy, false);

    const {res: bad} = await h.expectError(() => setBusy(admin, 0), 400, 'zero seconds');
    assert.match(bad.body, /seconds/);
    const before = Math.floor(Date.now() / 1000);
    try {
        const {res} = await h.observe(() => setBusy(admin, 30));
        assert.equal(res.status, 200);
        const state = await getBusy(admin);
        assert.equal(state.busy, true);
        assert.ok(state.expires >= before + 29 && state.expires <= before + 31, `expires in 30 s: ${JSON.stringify(state)}`);
        assert.equal(Date.parse(state.expires_ts) / 1000, state.expires, 'expires_ts is the same time');
        const {res: refused} = await h.expectError(() => member.searchPosts(team.id, 'anything', false), 503, 'a search while busy');
        assert.equal(JSON.parse(refused.body).id, 'api.context.server_busy.app_error');
        await h.expectError(() => member.searchFiles('', 'anything', false), 503, 'a file search while busy');
        assert.ok(await member.getMe(), 'everything else is served');
    } finally {
        await clearBusy(admin);
    }
    assert.equal((await getBusy(admin)).busy, false);
    const found = await member.searchPosts(team.id, 'anything', false);
    assert.deepEqual(found.order, [], 'searches work again');
});

test('resetting failed login attempts is for system admins, and needs a password account that exists', async () => {
    const {client: admin} = await h.admin();
    const {client: member, user} = await h.newUser('reset');
    await h.expectError(() => member.resetFailedAttempts(user.id), 403, 'a member');
    const {data, res} = await h.observe(() => admin.resetFailedAttempts(user.id));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    await h.expectError(() => admin.resetFailedAttempts(h.unknownId()), 404, 'an unknown user');
});
