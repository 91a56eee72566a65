'use strict';
// Account administration through Client4 as Mattermost serves it
// (api4/user.go, api4/limits.go): the full user update, activation, signing
// out everywhere, an admin's e-mail verification, user counts, known users,
// everyone's access tokens, the server limits and the REST typing event.
// Signing everyone out ends every session, so that test comes last.

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const h = require('../lib/helpers');

const WS_URL = h.newClient().getWebSocketUrl().replace(/^http/i, 'ws');
const WAIT = 4000;

async function call(client, path, method, body) {
    return client.doFetch(`${client.getBaseRoute()}${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body)});
}

// A raw socket of one session: every event frame, and when it closed.
const sockets = new Set();
async function openSocket(client, label) {
    const ws = new WebSocket(WS_URL, {headers: {Authorization: `Bearer ${client.getToken()}`}});
    const sock = {ws, label, events: [], closed: false, waiters: new Set()};
    const wake = () => sock.waiters.forEach((w) => w());
    ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (!frame.seq_reply && typeof frame.event === 'string') {
            sock.events.push(frame);
        }
        wake();
    });
    ws.on('close', () => {
        sock.closed = true;
        sockets.delete(sock);
        wake();
    });
    ws.on('error', () => {});
    sockets.add(sock);
    await until(sock, () => sock.events.some((e) => e.event === 'hello'), 'hello');
    return sock;
}

function until(sock, check, what) {
    return new Promise((resolve, reject) => {
        const done = () => {
            const value = check();
            if (value) {
                sock.waiters.delete(done);
                clearTimeout(timer);
                resolve(value);
            }
        };
        const timer = setTimeout(() => {
            sock.waiters.delete(done);
            reject(new Error(`${sock.label}: no ${what} within ${WAIT} ms; got ${sock.events.map((e) => e.event).join(', ')}`));
        }, WAIT);
        sock.waiters.add(done);
        done();
    });
}

const eventOf = (sock, pred, what) => until(sock, () => sock.events.find(pred), what);

after(() => {
    for (const sock of sockets) {
        sock.ws.terminate();
    }
});

async function expectSignedOut(client, what) {
    const {error} = await h.expectError(() => client.getMe(), 401, what);
    assert.equal(error.server_error_id, 'api.context.session_expired.app_error', what);
}

async function loggedIn(username) {
    const client = h.newClient();
    await client.login(username, h.PASSWORD);
    return client;
}

test('POST /users/{id}/typing: the channel hears typing from the typist; admins may speak for others; only who may post there', async () => {
    const {client: adminClient} = await h.admin();
    const [a, b, c] = await h.users(3);
    const team = await h.newTeam('typing');
    for (const u of [a, b]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    const channel = await h.newPublicChannel(a.client, team.id, 'typing');
    await a.client.addToChannel(b.user.id, channel.id);
    const sock = await openSocket(b.client, 'b');

    const {data, res} = await h.observe(() => call(a.client, '/users/me/typing', 'post', {channel_id: channel.id, parent_id: ''}));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    const typing = await eventOf(sock, (e) => e.event === 'typing' && e.data.user_id === a.user.id, 'typing from a');
    assert.equal(typing.broadcast.channel_id, channel.id);
    assert.deepEqual(typing.data, {parent_id: '', user_id: a.user.id});

    // A system admin publishes for a member; the event names the member.
    const root = await a.client.createPost({channel_id: channel.id, message: 'a thread'});
    await call(adminClient, `/users/${a.user.id}/typing`, 'post', {channel_id: channel.id, parent_id: root.id});
    await eventOf(sock, (e) => e.event === 'typing' && e.data.parent_id === root.id && e.data.user_id === a.user.id, 'typing in the thread, said by the admin');

    const {res: other} = await h.expectError(() => call(b.client, `/users/${a.user.id}/typing`, 'post', {channel_id: channel.id}), 403, 'b says that a types');
    h.assertMattermostError(other, 403);
    const {res: outside} = await h.expectError(() => call(c.client, '/users/me/typing', 'post', {channel_id: channel.id}), 403, 'typing in a channel one is not in');
    h.assertMattermostError(outside, 403);
    await h.expectError(() => call(a.client, '/users/me/typing', 'post', {channel_id: h.unknownId()}), 403, 'typing in an unknown channel');
    await h.expectError(() => call(adminClient, `/users/${c.user.id}/typing`, 'post', {channel_id: channel.id}), 403, 'the admin speaks for a user who is not in the channel');
    const {res: bad} = await h.expectError(() => call(a.client, '/users/me/typing', 'post', ['not', 'a', 'request']), 400, 'a body that is not a typing request');
    assert.equal(h.assertMattermostError(bad, 400).id, 'api.context.invalid_body_param.app_error');
    await h.expectError(() => call(h.newClient(), `/users/${a.user.id}/typing`, 'post', {channel_id: channel.id}), 401, 'anonymous');
    sock.ws.close();
});

test('POST /users/{id}/sessions/revoke/all signs the user out everywhere and closes their sockets; only they or an admin may', async () => {
    const {client: adminClient} = await h.admin();
    const {user} = await h.newUser('revoke');
    const first = await loggedIn(user.username);
    const second = await loggedIn(user.username);
    const sock = await openSocket(second, 'second session');
    const [stranger] = await h.users(1);

    const {res: refused} = await h.expectError(() => stranger.client.revokeAllSessionsForUser(user.id), 403, 'another user revokes');
    h.assertMattermostError(refused, 403);
    assert.equal((await first.getMe()).id, user.id, 'the refused call ended nothing');

    const {data, res} = await h.observe(() => first.revokeAllSessionsForUser(user.id));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    await expectSignedOut(first, 'the calling session');
    await expectSignedOut(second, 'the other session');
    await until(sock, () => sock.closed, 'the socket to close');

    // An admin signs out someone else.
    const third = await loggedIn(user.username);
    await adminClient.revokeAllSessionsForUser(user.id);
    await expectSignedOut(third, 'a session after the admin revoked them all');
    assert.ok((await adminClient.getMe()).id, 'the admin stays signed in');
});

test('PUT /users/{id}/active deactivates (signing out) and reactivates; admins for anyone, users only themselves off', async () => {
    const {client: adminClient} = await h.admin();
    const {client, user} = await h.newUser('active');
    const watcher = await openSocket(adminClient, 'admin');
    const before = (await adminClient.getTotalUsersStats()).total_users_count;

    const {data, res} = await h.observe(() => adminClient.updateUserActive(user.id, false));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    assert.ok((await adminClient.getUser(user.id)).delete_at > 0, 'deactivated');
    await expectSignedOut(client, 'the deactivated user');
    await eventOf(watcher, (e) => e.event === 'user_activation_status_change', 'user_activation_status_change');
    const updated = await eventOf(watcher, (e) => e.event === 'user_updated' && e.data.user.id === user.id && e.data.user.delete_at > 0, 'user_updated');
    assert.ok(updated);
    assert.equal((await adminClient.getTotalUsersStats()).total_users_count, before - 1, 'a deactivated user is not counted');
    const {error: login} = await h.expectError(() => h.newClient().login(user.username, h.PASSWORD), 401, 'a deactivated user logs in');
    assert.equal(login.server_error_id, 'api.user.login.inactive.app_error');

    await adminClient.updateUserActive(user.id, true);
    assert.equal((await adminClient.getUser(user.id)).delete_at, 0, 'active again');
    const back = await loggedIn(user.username);
    assert.equal((await back.getMe()).id, user.id, 'the user logs in again');

    const [other] = await h.users(1);
    const {error: refused, res: refusedRes} = await h.expectError(() => other.client.updateUserActive(user.id, false), 403, 'a user deactivates someone else');
    assert.equal(refused.server_error_id, 'api.user.update_active.permissions.app_error');
    h.assertMattermostError(refusedRes, 403);
    await h.expectError(() => back.updateUserActive(user.id, true), 403, 'a user activates themselves');
    const {res: bad} = await h.expectError(() => call(adminClient, `/users/${user.id}/active`, 'put', {active: 'no'}), 400, 'active is not a boolean');
    assert.match(h.assertMattermostError(bad, 400).message, /active/);
    const {res: missing} = await h.expectError(() => adminClient.updateUserActive(h.unknownId(), false), 404, 'an unknown user');
    assert.equal(h.assertMattermostError(missing, 404).id, 'app.user.missing_account.const');

    // Users may deactivate themselves.
    await back.updateUserActive('me', false);
    await expectSignedOut(back, 'after deactivating oneself');
    assert.ok((await adminClient.getUser(user.id)).delete_at > 0);
    await adminClient.updateUserActive(user.id, true);
    watcher.ws.close();
});

test('GET /users/stats counts active users, bots included; anyone may ask', async () => {
    const {client: adminClient} = await h.admin();
    const [plain] = await h.users(1);
    const {data, res} = await h.observe(() => plain.client.getTotalUsersStats());
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(data), ['total_users_count']);
    const before = data.total_users_count;
    assert.ok(Number.isInteger(before) && before >= 2);

    await h.newUser('stats');
    assert.equal((await plain.client.getTotalUsersStats()).total_users_count, before + 1, 'a new user counts');
    await adminClient.createBot({username: `statsbot-${h.rand(6)}`, display_name: 'Stats'});
    assert.equal((await plain.client.getTotalUsersStats()).total_users_count, before + 2, 'a bot counts too');
    await h.expectError(() => h.newClient().getTotalUsersStats(), 401, 'anonymous');
});

test('GET /users/stats/filtered counts by team, channel, activation, bots and roles, for system admins', async () => {
    const {client: adminClient, user: admin} = await h.admin();
    const team = await h.newTeam('fstats');
    const {user: lead} = await h.newUser('fstats');
    const {user: gone} = await h.newUser('fstats');
    for (const u of [lead, gone]) {
        await adminClient.addToTeam(team.id, u.id);
    }
    const bot = await adminClient.createBot({username: `fstatsbot-${h.rand(6)}`, display_name: 'Filtered'});
    await adminClient.addToTeam(team.id, bot.user_id);
    await adminClient.updateTeamMemberSchemeRoles(team.id, lead.id, true, true);
    const count = async (options) => (await adminClient.getFilteredUsersStats(options)).total_users_count;

    const {data, res} = await h.observe(() => adminClient.getFilteredUsersStats({in_team: team.id}));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {total_users_count: 3}, 'the admin and two members; the bot is left out');
    assert.equal(await count({in_team: team.id, include_bots: true}), 4);
    assert.equal(await count({in_team: team.id, team_roles: 'team_admin'}), 1, 'team admins, system admins left out');
    assert.equal(await count({in_team: team.id, team_roles: 'team_user'}), 1, 'plain team members');
    assert.equal(await count({in_team: team.id, roles: 'system_admin'}), 1);
    assert.equal(await count({in_team: team.id, roles: 'system_admin', team_roles: 'team_admin'}), 2, 'the role lists add up');
    assert.equal(await count({in_team: team.id, roles: 'system_user'}), 2, 'users who are nothing more');
    assert.equal(await count({team_roles: 'team_admin'}), await count({}), 'team roles need a team');

    await adminClient.updateUserActive(gone.id, false);
    assert.equal(await count({in_team: team.id}), 2, 'deactivated users are left out');
    assert.equal(await count({in_team: team.id, include_deleted: true}), 3);
    await adminClient.updateUserActive(gone.id, true);

    const channel = await h.newPublicChannel(adminClient, team.id, 'fstats');
    await adminClient.addToChannel(lead.id, channel.id);
    assert.equal(await count({in_channel: channel.id}), 2);
    assert.equal(await count({in_channel: channel.id, channel_roles: 'channel_user'}), 1, 'the member; the admin is a system admin');
    assert.equal(await count({in_channel: channel.id, roles: 'system_admin'}), 1);
    assert.ok((await count({})) >= (await count({roles: 'system_admin'})) + 2);
    assert.equal(await count({in_team: h.unknownId()}), 0);
    assert.ok(admin.id);

    const {res: badRoles} = await h.expectError(() => adminClient.getFilteredUsersStats({roles: 'System-Admin'}), 400, 'a malformed role name');
    assert.match(h.assertMattermostError(badRoles, 400).message, /roles/);
    const [plain] = await h.users(1);
    await h.expectError(() => plain.client.getFilteredUsersStats({roles: 'Bad Role'}), 400, 'names are checked before the permission');
    const {res: refused} = await h.expectError(() => plain.client.getFilteredUsersStats({in_team: team.id}), 403, 'a plain user');
    h.assertMattermostError(refused, 403);
});

test('GET /users/known lists the ids of everyone sharing a channel with the caller, once, the caller left out', async () => {
    const {client: adminClient} = await h.admin();
    const {client, user} = await h.newUser('known');
    const {data: none, res} = await h.observe(() => client.getKnownUsers());
    assert.equal(res.status, 200);
    assert.deepEqual(none, [], 'a user in no channel knows nobody');

    const {user: friend} = await h.newUser('known');
    const {user: colleague} = await h.newUser('known');
    await h.newUser('known'); // a stranger
    await client.createDirectChannel([user.id, friend.id]);
    const team = await h.newTeam('known');
    for (const u of [user, colleague, friend]) {
        await adminClient.addToTeam(team.id, u.id);
    }
    const channel = await h.newPublicChannel(client, team.id, 'known');
    await client.addToChannel(colleague.id, channel.id);
    await client.addToChannel(friend.id, channel.id);

    const known = await client.getKnownUsers();
    assert.equal(new Set(known).size, known.length, 'each id once');
    // The team's default channels hold the team's admin too.
    const expected = new Set([friend.id, colleague.id, ...(await adminClient.getTeamMembers(team.id)).map((m) => m.user_id)]);
    expected.delete(user.id);
    assert.deepEqual(new Set(known), expected);
    assert.ok(!known.includes(user.id), 'not the caller');
    await h.expectError(() => h.newClient().getKnownUsers(), 401, 'anonymous');
});

test('PUT /users/{id} replaces the profile: the id must match, one\'s own e-mail needs the password, others need an admin', async () => {
    const {client: adminClient} = await h.admin();
    const {client, user} = await h.newUser('update');
    const me = await client.getMe();

    const changed = {...me, nickname: 'Nick', first_name: 'Changed', position: 'Tester', notify_props: {...me.notify_props, push: 'all'}};
    const {data, res} = await h.observe(() => client.updateUser(changed));
    assert.equal(res.status, 200);
    assert.equal(data.id, user.id);
    assert.equal(data.nickname, 'Nick');
    assert.equal(data.first_name, 'Changed');
    assert.equal(data.position, 'Tester');
    assert.equal(data.notify_props.push, 'all');
    assert.equal(data.password, undefined, 'no password in the answer');
    assert.equal((await client.getMe()).nickname, 'Nick', 'stored');

    // A full update: what the body leaves out is written empty.
    const {position, ...withoutPosition} = changed;
    assert.equal(position, 'Tester');
    const cleared = await client.updateUser({...withoutPosition, notify_props: {}});
    assert.equal(cleared.position, '');
    assert.equal(cleared.notify_props.push, 'mention', 'empty notify props fall back to the defaults');

    const {res: mismatch} = await h.expectError(() => call(client, `/users/${user.id}`, 'put', {...changed, id: h.unknownId()}), 400, 'another id in the body');
    assert.match(h.assertMattermostError(mismatch, 400).message, /user_id/);
    const email = `${user.username}-new@example.com`;
    const {res: noPassword} = await h.expectError(() => client.updateUser({...changed, email}), 400, 'an e-mail change without the password');
    assert.match(h.assertMattermostError(noPassword, 400).message, /password/);
    await h.expectError(() => client.updateUser({...changed, email, password: 'wrong-password'}), 400, 'with a wrong password');
    const moved = await client.updateUser({...changed, email, password: h.PASSWORD});
    assert.equal(moved.email, email);
    assert.ok(!moved.email_verified, 'a new address is unverified (false is left out, as by Mattermost)');
    await h.expectError(() => client.updateUser({...changed, email, username: ''}), 400, 'an empty username');

    const [other] = await h.users(1);
    const {res: refused} = await h.expectError(() => other.client.updateUser({...changed, email, nickname: 'Hijacked'}), 403, 'another user');
    h.assertMattermostError(refused, 403);
    const byAdmin = await adminClient.updateUser({...changed, email: `${user.username}-admin@example.com`, nickname: 'Set by the admin'});
    assert.equal(byAdmin.nickname, 'Set by the admin');
    assert.equal(byAdmin.email, `${user.username}-admin@example.com`, 'an admin needs no password');
    await h.expectError(() => adminClient.updateUser({...changed, id: h.unknownId()}), 404, 'an unknown user');
});

test('POST /users/{id}/email/verify/member marks the address verified, for system admins', async () => {
    const {client: adminClient} = await h.admin();
    const {user} = await h.newUser('verify');
    assert.ok(!(await adminClient.getUser(user.id)).email_verified, 'not verified yet');
    const [plain] = await h.users(1);
    const {res: refused} = await h.expectError(() => call(plain.client, `/users/${user.id}/email/verify/member`, 'post'), 403, 'a plain user');
    h.assertMattermostError(refused, 403);
    const {res: missing} = await h.expectError(() => call(plain.client, `/users/${h.unknownId()}/email/verify/member`, 'post'), 404, 'an unknown user, even for a plain user');
    assert.equal(h.assertMattermostError(missing, 404).id, 'app.user.missing_account.const');

    const {data, res} = await h.observe(() => call(adminClient, `/users/${user.id}/email/verify/member`, 'post'));
    assert.equal(res.status, 200);
    assert.equal(data.id, user.id);
    assert.equal(data.email, user.email);
    assert.equal((await adminClient.getUser(user.id)).email_verified, true, 'verified');
});

test('GET /users/tokens and POST /users/tokens/search: every user\'s tokens without their secret, for system admins', async () => {
    const {client: adminClient} = await h.admin();
    const {user: one} = await h.newUser('tokens');
    const {user: two} = await h.newUser('tokens');
    const t1 = await adminClient.createUserAccessToken(one.id, 'first');
    const t2 = await adminClient.createUserAccessToken(two.id, 'second');

    const {data: all, res} = await h.observe(() => adminClient.getUserAccessTokens(0, 200));
    assert.equal(res.status, 200);
    for (const t of [t1, t2]) {
        const listed = all.find((x) => x.id === t.id);
        assert.ok(listed, `token ${t.id} is listed`);
        assert.equal(listed.user_id, t.user_id);
        assert.equal(listed.token, undefined, 'no secret');
        assert.equal(listed.is_active, true);
    }
    const firstPage = await adminClient.getUserAccessTokens(0, 1);
    const secondPage = await adminClient.getUserAccessTokens(1, 1);
    assert.equal(firstPage.length, 1);
    assert.equal(secondPage.length, 1);
    assert.notEqual(firstPage[0].id, secondPage[0].id, 'pages do not overlap');

    const search = (term) => call(adminClient, '/users/tokens/search', 'post', {term});
    assert.deepEqual((await search(one.username)).map((t) => t.id), [t1.id], 'by username');
    assert.deepEqual((await search(two.id)).map((t) => t.id), [t2.id], 'by user id');
    const {data: byId} = await h.observe(() => search(t1.id));
    assert.deepEqual(byId.map((t) => [t.id, t.description, t.token]), [[t1.id, 'first', undefined]], 'by token id');
    assert.deepEqual(await search(one.username.slice(0, 5)), [], 'no partial matches');
    const {res: empty} = await h.expectError(() => search(''), 400, 'an empty term');
    assert.match(h.assertMattermostError(empty, 400).message, /term/);

    const [plain] = await h.users(1);
    const {res: refused} = await h.expectError(() => plain.client.getUserAccessTokens(0, 60), 403, 'a plain user lists');
    h.assertMattermostError(refused, 403);
    await h.expectError(() => call(plain.client, '/users/tokens/search', 'post', {term: one.username}), 403, 'a plain user searches');
});

test('GET /limits/server: no user limits, and the active people, for system admins', async () => {
    const {client: adminClient} = await h.admin();
    const {data, res} = await h.observe(() => adminClient.getServerLimits());
    assert.equal(res.status, 200);
    const limits = data.data;
    assert.deepEqual(Object.keys(limits).sort(), ['activeUserCount', 'maxUsersHardLimit', 'maxUsersLimit']);
    assert.equal(limits.maxUsersLimit, 0);
    assert.equal(limits.maxUsersHardLimit, 0);
    assert.equal(limits.activeUserCount, (await adminClient.getFilteredUsersStats({})).total_users_count, 'active users without bots');
    await h.newUser('limits');
    assert.equal((await adminClient.getServerLimits()).data.activeUserCount, limits.activeUserCount + 1);

    const [plain] = await h.users(1);
    const {res: refused} = await h.expectError(() => plain.client.getServerLimits(), 403, 'a plain user');
    h.assertMattermostError(refused, 403);
});

test('POST /users/sessions/revoke/all signs everyone out, the admin too, and closes every socket', async () => {
    const {client: adminClient} = await h.admin();
    const [plain] = await h.users(1);
    const {res: refused} = await h.expectError(() => plain.client.revokeSessionsForAllUsers(), 403, 'a plain user');
    h.assertMattermostError(refused, 403);
    assert.ok((await plain.client.getMe()).id, 'the refused call ended nothing');

    const sock = await openSocket(plain.client, 'plain');
    const adminSock = await openSocket(adminClient, 'admin');
    const {data, res} = await h.observe(() => adminClient.revokeSessionsForAllUsers());
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    await expectSignedOut(plain.client, 'a user');
    await expectSignedOut(adminClient, 'the admin who asked');
    await until(sock, () => sock.closed, 'the user\'s socket to close');
    await until(adminSock, () => adminSock.closed, 'the admin\'s socket to close');
    const again = await loggedIn(h.ADMIN.username);
    assert.ok((await again.getMe()).id, 'signing in works as before');
});
