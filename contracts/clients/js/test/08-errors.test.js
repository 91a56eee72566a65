'use strict';
// Permission denials and bad input: status codes and Mattermost's error body.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

test('a non-member cannot read a private channel or its posts (403, never 401)', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('perm');
    const [outsider] = await h.users(1);
    await adminClient.addToTeam(team.id, outsider.user.id);
    const secret = await adminClient.createChannel({
        team_id: team.id, name: `js-secret-${h.rand(8)}`, display_name: 'Secret', type: 'P',
    });
    await adminClient.createPost({channel_id: secret.id, message: 'classified'});

    const {error, res} = await h.expectError(() => outsider.client.getChannel(secret.id), 403, 'getChannel on a private channel');
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);

    const {res: postsRes} = await h.expectError(() => outsider.client.getPosts(secret.id), 403, 'getPosts on a private channel');
    h.assertMattermostError(postsRes, 403);
});

test("a member cannot delete another user's post (403)", async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('perm');
    const [author, other] = await h.users(2);
    for (const u of [author, other]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    const channel = await h.newPublicChannel(adminClient, team.id, 'perm');
    for (const u of [author, other]) {
        await adminClient.addToChannel(u.user.id, channel.id);
    }
    const post = await author.client.createPost({channel_id: channel.id, message: 'mine'});

    const {error, res} = await h.expectError(() => other.client.deletePost(post.id), 403, "deleting another user's post");
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);
    const still = await author.client.getPost(post.id);
    assert.equal(still.delete_at, 0, 'the post survives the denied delete');
});

test('no token gives 401 with the session_expired error id', async () => {
    const client = h.newClient();
    const {error, res} = await h.expectError(() => client.getMe(), 401, 'getMe without a token');
    assert.equal(error.server_error_id, 'api.context.session_expired.app_error');
    h.assertMattermostError(res, 401);
    await h.expectError(() => client.getMyTeams(), 401, 'getMyTeams without a token');
});

test('a malformed JSON body is a 400 with the full Mattermost error body', async () => {
    const {client} = await h.admin();
    // Client4 serialises its bodies itself; send a truncated one through its own fetch path.
    const {error, res} = await h.expectError(() => client.doFetch(client.getPostsRoute(), {
        method: 'post',
        body: '{"channel_id": "abc", "message": ',
    }), 400, 'createPost with malformed JSON');
    const body = h.assertMattermostError(res, 400);
    assert.equal(body.id, 'api.context.invalid_body_param.app_error');
    assert.equal(error.server_error_id, body.id);
    h.assertId(body.request_id, 'request_id');
});

test('unknown ids give 404', async () => {
    const {client} = await h.admin();
    for (const [what, call] of [
        ['getChannel', () => client.getChannel(h.unknownId())],
        ['getPost', () => client.getPost(h.unknownId())],
        ['getUser', () => client.getUser(h.unknownId())],
        ['getTeam', () => client.getTeam(h.unknownId())],
    ]) {
        const {res} = await h.expectError(call, 404, what);
        h.assertMattermostError(res, 404);
    }
});

test('per_page=1000 on a user list is accepted (capped, not an error)', async () => {
    const {client} = await h.admin();
    const {data, res} = await h.observe(() => client.getProfiles(0, 1000));
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(data));
    assert.ok(data.length <= 200);
});

// What an app expects JSON from is never the web app's page.
async function rawGet(path) {
    const r = await fetch(`${h.MM_URL}${path}`);
    return {status: r.status, headers: r.headers, body: await r.text()};
}

test('plugin, SSO and unknown API paths answer JSON errors, never the web page', async () => {
    const cases = [
        ['/plugins/com.mattermost.calls/version', 501, 'app.plugin.disabled.app_error'],
        ['/api/v3/users/me', 404, 'api.context.404.app_error'],
        ['/api/whatever', 404, 'api.context.404.app_error'],
        ['/oauth/saml/mobile_login', 501, 'api.context.not_implemented.app_error'],
        ['/oauth/authorize', 501, 'api.context.not_implemented.app_error'],
        ['/login/sso/saml', 501, 'api.context.not_implemented.app_error'],
        ['/signup/gitlab', 501, 'api.context.not_implemented.app_error'],
    ];
    for (const [path, status, id] of cases) {
        const res = await rawGet(path);
        const body = h.assertMattermostError(res, status);
        assert.equal(body.id, id, path);
    }
    const page = await rawGet('/signup');
    assert.equal(page.status, 200, 'the sign-up page itself is still the web app');
    assert.match(page.headers.get('content-type'), /text\/html/);
});
