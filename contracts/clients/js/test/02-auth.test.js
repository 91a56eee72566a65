'use strict';
// Login and logout as Client4 does them.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

test('login answers 200 with a Token header and the user without secrets', async () => {
    const [{user}] = await h.users(1);
    const client = h.newClient();
    const {data: me, res} = await h.observe(() => client.login(user.username, h.PASSWORD));
    assert.equal(res.status, 200, 'login answers 200 (the Python driver only accepts 200)');
    const token = h.header(res, 'token');
    assert.ok(token, 'the session token comes back in the Token header');
    assert.match(token, /^[a-z0-9]{26}$/, 'the token is a 26-char id');
    assert.equal(client.getToken(), token, 'Client4 adopts the Token header as its bearer token');
    assert.equal(me.id, user.id);
    assert.equal(me.username, user.username);
    for (const secret of ['password', 'auth_data', 'mfa_secret']) {
        assert.equal(me[secret], undefined, `login must not return ${secret}`);
    }
    h.assertMillis(me.create_at, 'create_at');
    assert.equal(typeof me.roles, 'string');
    assert.equal(typeof me.notify_props, 'object');
});

test('login by email works like login by username', async () => {
    const [{user}] = await h.users(1);
    const client = h.newClient();
    const me = await client.login(`${user.username}@example.com`, h.PASSWORD);
    assert.equal(me.id, user.id);
});

test('X-Version-Id is present, >= 10.11.0, and adopted by Client4', async () => {
    const [{user}] = await h.users(1);
    const client = h.newClient();
    const {res} = await h.observe(() => client.login(user.username, h.PASSWORD));
    const version = h.header(res, 'x-version-id');
    assert.ok(version, 'X-Version-Id header must be present');
    h.assertVersionAtLeast(version, '10.11.0', 'X-Version-Id');
    assert.ok(version.split('.').length >= 4, `X-Version-Id is version.build.hash.licensed, got ${version}`);
    await client.getMe();
    assert.equal(client.getServerVersion(), h.header(h.lastExchange(), 'x-version-id'),
        'Client4 records X-Version-Id only when the response has no Cache-Control');
});

test('a wrong password is a 401 with an invalid_credentials error id', async () => {
    const [{user}] = await h.users(1);
    const client = h.newClient();
    const {error, res} = await h.expectError(() => client.login(user.username, 'not-the-password'), 401, 'bad login');
    assert.match(error.server_error_id, /^api\.user\.login\.invalid_credentials/);
    h.assertMattermostError(res, 401);
    assert.equal(h.header(res, 'token'), null, 'a failed login must not send a Token header');
});

test('logout answers {status: OK}; the old token then gets 401', async () => {
    const [{user}] = await h.users(1);
    const client = h.newClient();
    await client.login(user.username, h.PASSWORD);
    const oldToken = client.getToken();
    await client.getMe();

    const {res} = await h.observe(() => client.logout());
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), {status: 'OK'});

    const stale = h.newClient();
    stale.setToken(oldToken);
    const {error, res: denied} = await h.expectError(() => stale.getMe(), 401, 'getMe with a revoked token');
    assert.equal(error.server_error_id, 'api.context.session_expired.app_error');
    h.assertMattermostError(denied, 401);
});
