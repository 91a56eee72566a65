'use strict';
// The calls the mobile app makes when a server is added and when it launches,
// in that order, through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

// The account the launch tests log in with: a user in one team, set up once.
let launchPromise = null;
function launchUser() {
    if (!launchPromise) {
        launchPromise = (async () => {
            const {client: adminClient} = await h.admin();
            const team = await h.newTeam('launch');
            const {user} = await h.newUser('launch');
            await adminClient.addToTeam(team.id, user.id);
            const client = h.newClient();
            const {data: me, res: loginRes} = await h.observe(() => client.login(user.username, h.PASSWORD));
            return {client, user: me, team, loginRes};
        })();
    }
    return launchPromise;
}

test('unauthenticated: GET /system/ping answers status OK', async () => {
    const client = h.newClient();
    const {data, res} = await h.observe(() => client.ping());
    assert.equal(res.status, 200);
    assert.equal(data.status, 'OK');
    for (const key of ['AndroidLatestVersion', 'AndroidMinVersion', 'IosLatestVersion', 'IosMinVersion']) {
        assert.equal(typeof data[key], 'string', `ping ${key} must be a string`);
    }
});

test('unauthenticated: GET /config/client?format=old is a map of strings with DiagnosticId and Version >= 10.11.0', async () => {
    const client = h.newClient();
    const {data: config, res} = await h.observe(() => client.getClientConfig());
    assert.equal(res.status, 200);
    assert.match(res.url, /\/api\/v4\/config\/client\?format=old$/);
    assert.equal(typeof config, 'object', `config must be a JSON object, got ${typeof config}`);
    for (const [key, value] of Object.entries(config)) {
        assert.equal(typeof value, 'string', `config ${key} must be a string, got ${JSON.stringify(value)}`);
    }
    assert.ok(config.DiagnosticId && config.DiagnosticId.length > 0, 'DiagnosticId must not be empty (mobile refuses the server)');
    h.assertVersionAtLeast(config.Version, '10.11.0', 'config Version');
    for (const key of ['SiteName', 'EnableSignInWithEmail', 'EnableSignInWithUsername', 'BuildNumber']) {
        assert.equal(typeof config[key], 'string', `config must carry ${key}`);
    }
    assert.ok(['true', 'false'].includes(config.EnableSignInWithUsername), 'booleans are the strings "true"/"false"');
});

test('unauthenticated: GET /license/client?format=old is a map of strings with IsLicensed', async () => {
    const client = h.newClient();
    const {data: license, res} = await h.observe(() => client.getClientLicenseOld());
    assert.equal(res.status, 200);
    assert.equal(typeof license, 'object');
    for (const [key, value] of Object.entries(license)) {
        assert.equal(typeof value, 'string', `license ${key} must be a string, got ${JSON.stringify(value)}`);
    }
    assert.ok(['true', 'false'].includes(license.IsLicensed), `IsLicensed must be "true" or "false", got ${license.IsLicensed}`);
});

test('unauthenticated: GET /plugins/webapp is an array', async () => {
    const client = h.newClient();
    const {data, res} = await h.observe(() => client.getWebappPlugins());
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(data), `plugins/webapp must be a JSON array, got ${JSON.stringify(data)}`);
});

test('login, then the launch sequence: me, teams, team members, status, preferences', async () => {
    const {client, user, team, loginRes} = await launchUser();
    assert.equal(loginRes.status, 200);
    assert.ok(client.getToken(), 'login leaves Client4 with a token');

    const me = await client.getMe();
    assert.equal(me.id, user.id);
    assert.equal(me.username, user.username);
    assert.equal(me.password, undefined, 'getMe must not return the password');

    const teams = await client.getMyTeams();
    assert.ok(Array.isArray(teams));
    const mine = teams.find((t) => t.id === team.id);
    assert.ok(mine, 'getMyTeams must list the team the user was added to');
    assert.equal(mine.name, team.name);

    const members = await client.getMyTeamMembers();
    assert.ok(Array.isArray(members));
    const member = members.find((m) => m.team_id === team.id);
    assert.ok(member, 'getMyTeamMembers must list the membership');
    assert.equal(member.user_id, user.id);
    assert.ok(member.roles.split(' ').includes('team_user'), `team member roles must include team_user, got ${member.roles}`);

    const status = await client.getStatus(user.id);
    assert.equal(status.user_id, user.id);
    assert.ok(['online', 'away', 'dnd', 'offline', 'ooo'].includes(status.status), `unexpected status ${status.status}`);

    const prefs = await client.getMyPreferences();
    assert.ok(Array.isArray(prefs), 'preferences must be an array');
    for (const p of prefs) {
        assert.equal(p.user_id, user.id);
        for (const key of ['category', 'name', 'value']) {
            assert.equal(typeof p[key], 'string', `preference ${key} must be a string`);
        }
    }
});

test('launch: my channels and channel members for the team include town-square', async () => {
    const {client, user, team} = await launchUser();

    const channels = await client.getMyChannels(team.id, true);
    assert.ok(Array.isArray(channels));
    const townSquare = channels.find((c) => c.name === 'town-square');
    assert.ok(townSquare, `the default channel town-square must be listed, got ${channels.map((c) => c.name)}`);
    assert.equal(townSquare.team_id, team.id);
    assert.equal(townSquare.type, 'O');
    h.assertId(townSquare.id, 'channel id');

    const members = await client.getMyChannelMembers(team.id);
    assert.ok(Array.isArray(members));
    const member = members.find((m) => m.channel_id === townSquare.id);
    assert.ok(member, 'the town-square membership must be listed');
    assert.equal(member.user_id, user.id);
    assert.equal(typeof member.msg_count, 'number');
    assert.equal(typeof member.mention_count, 'number');
    assert.equal(typeof member.last_viewed_at, 'number');
    assert.equal(typeof member.notify_props, 'object');
    assert.ok(member.roles.split(' ').includes('channel_user'));
});

test('launch: sidebar categories have favorites, channels and direct_messages', async () => {
    const {client, user, team} = await launchUser();
    const result = await client.getChannelCategories(user.id, team.id);
    assert.ok(Array.isArray(result.categories), 'categories must be an array');
    assert.ok(Array.isArray(result.order), 'order must be an array');
    const byType = Object.fromEntries(result.categories.map((c) => [c.type, c]));
    for (const type of ['favorites', 'channels', 'direct_messages']) {
        const category = byType[type];
        assert.ok(category, `a ${type} category must exist`);
        assert.equal(category.team_id, team.id);
        assert.equal(category.user_id, user.id);
        assert.ok(Array.isArray(category.channel_ids), `${type}.channel_ids must be an array`);
        assert.ok(result.order.includes(category.id), `order must list the ${type} category`);
    }
    const townSquare = (await client.getMyChannels(team.id)).find((c) => c.name === 'town-square');
    assert.ok(townSquare, 'town-square is one of my channels');
    assert.ok(byType.channels.channel_ids.includes(townSquare.id), 'town-square belongs to the channels category');
});

test('launch: roles by names returns system_user, team_user and channel_user with permissions', async () => {
    const {client} = await launchUser();
    const roles = await client.getRolesByNames(['system_user', 'team_user', 'channel_user']);
    assert.ok(Array.isArray(roles));
    const byName = Object.fromEntries(roles.map((r) => [r.name, r]));
    const expected = {
        system_user: 'create_direct_channel',
        team_user: 'view_team',
        channel_user: 'create_post',
    };
    for (const [name, permission] of Object.entries(expected)) {
        const role = byName[name];
        assert.ok(role, `role ${name} must be returned`);
        assert.ok(Array.isArray(role.permissions), `${name}.permissions must be an array`);
        assert.ok(role.permissions.includes(permission), `${name} must grant ${permission}`);
        h.assertId(role.id, `${name}.id`);
    }
    assert.ok(byName.channel_user.permissions.includes('read_channel'));
});

test('every response so far carried X-Request-Id, X-Version-Id and Content-Type application/json', () => {
    assert.ok(h.exchanges.length > 0);
    for (const ex of h.exchanges) {
        const where = `${ex.method} ${ex.url} (${ex.status})`;
        const requestId = h.header(ex, 'x-request-id');
        assert.ok(requestId && /^[a-z0-9]{26}$/.test(requestId), `${where}: X-Request-Id must be a 26-char id, got ${requestId}`);
        h.assertVersionAtLeast(h.header(ex, 'x-version-id'), '10.11.0', `${where}: X-Version-Id`);
        assert.equal(h.header(ex, 'content-type'), 'application/json', `${where}: Content-Type must be exactly application/json`);
        assert.equal(h.header(ex, 'cache-control'), null, `${where}: no Cache-Control on API JSON (mobile then ignores X-Version-Id)`);
    }
});
