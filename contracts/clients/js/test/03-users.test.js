'use strict';
// User accounts through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

test('the first user created on a fresh server is a system admin', async () => {
    const {user, created, createdUser} = await h.admin();
    if (created) {
        assert.ok(createdUser.roles.split(' ').includes('system_admin'),
            `the first user must be created with system_admin, got "${createdUser.roles}"`);
    }
    const roles = user.roles.split(' ');
    assert.ok(roles.includes('system_admin'), `the first user (${user.username}) must be a system admin, got "${user.roles}"`);
    assert.ok(roles.includes('system_user'), 'a system admin is also a system_user');
});

test('createUser answers 201 with the new user, no password, roles system_user', async () => {
    const {client: adminClient} = await h.admin();
    const username = `js-new-${h.rand(10)}`;
    const {data: user, res} = await h.observe(() => adminClient.createUser({
        username,
        email: `${username}@example.com`,
        password: h.PASSWORD,
        nickname: 'nick',
    }));
    assert.equal(res.status, 201);
    h.assertId(user.id, 'user id');
    assert.equal(user.username, username);
    assert.equal(user.email, `${username}@example.com`);
    assert.equal(user.nickname, 'nick');
    assert.equal(user.roles, 'system_user');
    assert.equal(user.password, undefined, 'the password must never be returned');
    assert.equal(user.delete_at, 0);
    h.assertMillis(user.create_at, 'create_at');
    h.assertMillis(user.update_at, 'update_at');
    assert.equal(typeof user.notify_props, 'object');
    assert.equal(user.locale, 'en');
});

test('get a user by id, by username, by ids and by usernames', async () => {
    const {client} = await h.admin();
    const [{user: a}, {user: b}] = await h.users(2);

    const byId = await client.getUser(a.id);
    assert.equal(byId.id, a.id);
    assert.equal(byId.username, a.username);

    const byName = await client.getUserByUsername(b.username);
    assert.equal(byName.id, b.id);

    const {data: byIds, res} = await h.observe(() => client.getProfilesByIds([a.id, b.id]));
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(byIds));
    assert.deepEqual(byIds.map((u) => u.id).sort(), [a.id, b.id].sort());

    const byUsernames = await client.getProfilesByUsernames([a.username, b.username]);
    assert.ok(Array.isArray(byUsernames));
    assert.deepEqual(byUsernames.map((u) => u.username).sort(), [a.username, b.username].sort());
});

test('patchMe changes only the given fields and bumps update_at', async () => {
    const [{client, user}] = await h.users(1);
    const before = await client.getMe();
    await h.sleep(5);
    const patched = await client.patchMe({nickname: 'Patched', position: 'Tester'});
    assert.equal(patched.id, user.id);
    assert.equal(patched.nickname, 'Patched');
    assert.equal(patched.position, 'Tester');
    assert.equal(patched.username, before.username, 'fields not in the patch stay');
    assert.equal(patched.first_name, before.first_name);
    assert.ok(patched.update_at > before.update_at, 'update_at must increase on change');
    const again = await client.getUser(user.id);
    assert.equal(again.nickname, 'Patched');
});

test('autocompleteUsers in a team returns {users: [...]} with the match', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('users');
    const [{user}] = await h.users(1);
    await adminClient.addToTeam(team.id, user.id);
    const prefix = user.username.slice(0, 14);
    const result = await adminClient.autocompleteUsers(prefix, team.id, '');
    assert.ok(Array.isArray(result.users), `autocomplete answers {users: [...]}, got ${JSON.stringify(result)}`);
    assert.ok(result.users.some((u) => u.id === user.id), 'the matching team member must be suggested');
});

test('autocompleteUsers in a channel splits users and out_of_channel', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('users');
    const [{user: inside}, {user: outside}] = await h.users(2);
    await adminClient.addToTeam(team.id, inside.id);
    await adminClient.addToTeam(team.id, outside.id);
    const channel = await h.newPublicChannel(adminClient, team.id);
    await adminClient.addToChannel(inside.id, channel.id);

    const inResult = await adminClient.autocompleteUsers(inside.username, team.id, channel.id);
    assert.ok(Array.isArray(inResult.users));
    assert.ok(inResult.users.some((u) => u.id === inside.id), 'a channel member is in users');

    const outResult = await adminClient.autocompleteUsers(outside.username, team.id, channel.id);
    assert.ok(Array.isArray(outResult.out_of_channel), `out_of_channel must be an array, got ${JSON.stringify(outResult)}`);
    assert.ok(outResult.out_of_channel.some((u) => u.id === outside.id), 'a team member outside the channel is in out_of_channel');
    assert.ok(!outResult.users.some((u) => u.id === outside.id));
});

test("usernames are Mattermost's: 'admin' and a leading digit are fine, only all/channel/matterbot/system are reserved", async () => {
    const {client: adminClient} = await h.admin();
    const admin = await adminClient.createUser({username: 'admin', email: `admin-${h.rand(6)}@example.com`, password: h.PASSWORD});
    assert.equal(admin.username, 'admin', 'an install with a user called admin must be able to move over');
    const digits = `7${h.rand(9)}`;
    const numbered = await adminClient.createUser({username: digits, email: `${digits}@example.com`, password: h.PASSWORD});
    assert.equal(numbered.username, digits);
    for (const reserved of ['all', 'channel', 'matterbot', 'system']) {
        const {res} = await h.expectError(
            () => adminClient.createUser({username: reserved, email: `${reserved}-${h.rand(6)}@example.com`, password: h.PASSWORD}),
            400, `createUser ${reserved}`,
        );
        const body = h.assertMattermostError(res, 400);
        assert.match(body.detailed_error, /username/, `the error names the field: ${res.body}`);
    }
});
