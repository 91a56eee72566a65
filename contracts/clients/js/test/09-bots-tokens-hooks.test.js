'use strict';
// Personal access tokens, bot accounts and incoming webhooks through Client4,
// as Mattermost serves them (api4/user.go tokens, api4/bot.go, api4/webhook.go,
// web/webhook.go). The admin is the system admin; the pooled users are plain
// system users, so they hold none of create_user_access_token, create_bot or
// the incoming-webhook permissions outside the teams they administer.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

// Users of this file: `owner` creates teams (and so is their team admin) and
// receives tokens; `member` is a plain team member.
async function people() {
    const [owner, member] = await h.users(2);
    return {owner, member};
}

function tokenClient(token) {
    const client = h.newClient();
    client.setToken(token);
    return client;
}

async function expectLockedOut(client, what) {
    const {error, res} = await h.expectError(() => client.getMe(), 401, what);
    assert.equal(error.server_error_id, 'api.context.session_expired.app_error', `${what}: error id`);
    h.assertMattermostError(res, 401);
}

// POST /hooks/{id}: no Client4 method; a plain fetch as an integration makes it.
async function callHook(id, body, contentType = 'application/json') {
    const response = await fetch(`${h.MM_URL}/hooks/${id}`, {
        method: 'POST',
        headers: {'Content-Type': contentType},
        body,
    });
    return {status: response.status, contentType: response.headers.get('content-type'), text: await response.text(), headers: response.headers};
}

async function findPost(client, channelId, message) {
    const list = await h.eventually(
        () => client.getPosts(channelId, 0, 60),
        (l) => Object.values(l.posts).some((p) => p.message === message),
    );
    const post = Object.values(list.posts).find((p) => p.message === message);
    assert.ok(post, `the post "${message}" must appear in the channel`);
    return post;
}

// ---------------------------------------------------------------------------
// Personal access tokens

test('createUserAccessToken answers 200 with the token; it authenticates as the user; lists omit the secret', async () => {
    const {client: adminClient} = await h.admin();
    const {owner} = await people();
    const description = `compat token ${h.rand(6)}`;

    const {data: created, res} = await h.observe(() => adminClient.createUserAccessToken(owner.user.id, description));
    assert.equal(res.status, 200, 'Mattermost answers 200 (not 201) to a new token');
    h.assertId(created.id, 'token id');
    h.assertId(created.token, 'token secret');
    assert.notEqual(created.token, created.id, 'the secret is not the token id');
    assert.equal(created.user_id, owner.user.id);
    assert.equal(created.description, description);
    assert.equal(created.is_active, true);

    const me = await tokenClient(created.token).getMe();
    assert.equal(me.id, owner.user.id, 'the token authenticates as its user');
    assert.equal(me.username, owner.user.username);

    const list = await adminClient.getUserAccessTokensForUser(owner.user.id, 0, 100);
    assert.ok(Array.isArray(list), 'the token list is an array');
    const listed = list.find((t) => t.id === created.id);
    assert.ok(listed, 'the new token is listed');
    assert.ok(!('token' in listed), `a listed token has no token field: ${JSON.stringify(listed)}`);
    assert.equal(listed.user_id, owner.user.id);
    assert.equal(listed.description, description);
    assert.equal(listed.is_active, true);

    const single = await adminClient.getUserAccessToken(created.id);
    assert.equal(single.id, created.id);
    assert.equal(single.user_id, owner.user.id);
    assert.ok(!('token' in single), `GET /users/tokens/{id} has no token field: ${JSON.stringify(single)}`);
});

test('disable locks a token out (401), enable lets it back in, revoke removes it', async () => {
    const {client: adminClient} = await h.admin();
    const {owner} = await people();
    const created = await adminClient.createUserAccessToken(owner.user.id, 'compat lifecycle');
    const client = tokenClient(created.token);
    assert.equal((await client.getMe()).id, owner.user.id);

    const {data: disabled, res: disableRes} = await h.observe(() => adminClient.disableUserAccessToken(created.id));
    assert.equal(disableRes.status, 200);
    assert.deepEqual(disabled, {status: 'OK'});
    await expectLockedOut(client, 'getMe with a disabled token');
    const whileDisabled = await adminClient.getUserAccessToken(created.id);
    assert.equal(whileDisabled.is_active, false, 'a disabled token reads is_active: false');

    assert.deepEqual(await adminClient.enableUserAccessToken(created.id), {status: 'OK'});
    assert.equal((await client.getMe()).id, owner.user.id, 'an enabled token works again');
    assert.equal((await adminClient.getUserAccessToken(created.id)).is_active, true);

    assert.deepEqual(await adminClient.revokeUserAccessToken(created.id), {status: 'OK'});
    await expectLockedOut(client, 'getMe with a revoked token');
    const list = await adminClient.getUserAccessTokensForUser(owner.user.id, 0, 100);
    assert.ok(!list.some((t) => t.id === created.id), 'a revoked token is gone from the list');
});

test('a plain user may not create a personal access token (403)', async () => {
    const {member} = await people();
    const {error, res} = await h.expectError(
        () => member.client.createUserAccessToken(member.user.id, 'not allowed'), 403, 'createUserAccessToken as a system user');
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);
});

// ---------------------------------------------------------------------------
// Bots

test('createBot answers 201 with the bot; get, list and patch it; its user has is_bot', async () => {
    const {client: adminClient, user: adminUser} = await h.admin();
    const username = `js-bot-${h.rand(8)}`;
    const {data: bot, res} = await h.observe(() => adminClient.createBot({
        username,
        display_name: 'Compat Bot',
        description: 'made by the compat suite',
    }));
    assert.equal(res.status, 201);
    h.assertId(bot.user_id, 'bot user_id');
    assert.equal(bot.username, username);
    assert.equal(bot.display_name, 'Compat Bot');
    assert.equal(bot.description, 'made by the compat suite');
    assert.equal(bot.owner_id, adminUser.id, 'the creator owns the bot');
    h.assertMillis(bot.create_at, 'create_at');
    h.assertMillis(bot.update_at, 'update_at');
    assert.equal(bot.delete_at, 0);

    const fetched = await adminClient.getBot(bot.user_id);
    assert.equal(fetched.user_id, bot.user_id);
    assert.equal(fetched.username, username);
    assert.equal(fetched.owner_id, adminUser.id);

    const bots = await adminClient.getBots(0, 200);
    assert.ok(Array.isArray(bots), 'GET /bots answers an array');
    assert.ok(bots.some((b) => b.user_id === bot.user_id), 'the new bot is listed');

    await h.sleep(5);
    const {data: patched, res: patchRes} = await h.observe(() => adminClient.patchBot(bot.user_id, {display_name: 'Renamed Bot'}));
    assert.equal(patchRes.status, 200);
    assert.equal(patched.user_id, bot.user_id);
    assert.equal(patched.display_name, 'Renamed Bot');
    assert.equal(patched.username, username, 'fields outside the patch stay');
    assert.equal(patched.description, 'made by the compat suite', 'fields outside the patch stay');
    assert.ok(patched.update_at >= bot.update_at, 'update_at moves forward');
    assert.equal((await adminClient.getBot(bot.user_id)).display_name, 'Renamed Bot');

    const user = await adminClient.getUser(bot.user_id);
    assert.equal(user.id, bot.user_id);
    assert.equal(user.username, username);
    assert.equal(user.is_bot, true, 'the bot user reads is_bot: true');
    assert.equal(user.bot_description, 'made by the compat suite', 'the bot user carries bot_description');
});

// A new bot, a member of a fresh team and public channel (added by the admin),
// with a personal access token and a Client4 that uses it.
async function botInChannel(prefix) {
    const {client: adminClient} = await h.admin();
    const bot = await adminClient.createBot({username: `js-${prefix}-${h.rand(8)}`, display_name: 'Poster'});
    const team = await h.newTeam('bot');
    const channel = await h.newPublicChannel(adminClient, team.id, 'bot');
    await adminClient.addToTeam(team.id, bot.user_id);
    await adminClient.addToChannel(bot.user_id, channel.id);
    const token = await adminClient.createUserAccessToken(bot.user_id, 'bot token');
    assert.equal(token.user_id, bot.user_id);
    return {adminClient, bot, channel, botClient: tokenClient(token.token)};
}

test('a bot with a token posts in a channel it was added to; disable locks it out and hides it from the list; enable restores it', async () => {
    const {adminClient, bot, channel, botClient} = await botInChannel('poster');
    const me = await botClient.getMe();
    assert.equal(me.id, bot.user_id);
    assert.equal(me.is_bot, true);

    const {data: post, res} = await h.observe(() => botClient.createPost({channel_id: channel.id, message: 'beep from a bot'}));
    assert.equal(res.status, 201);
    assert.equal(post.user_id, bot.user_id, 'the post is the bot user\'s');
    const seen = await adminClient.getPost(post.id);
    assert.equal(seen.message, 'beep from a bot');
    assert.equal(seen.user_id, bot.user_id);

    const {data: disabled, res: disableRes} = await h.observe(() => adminClient.disableBot(bot.user_id));
    assert.equal(disableRes.status, 200);
    assert.equal(disabled.user_id, bot.user_id);
    assert.ok(disabled.delete_at > 0, `a disabled bot has delete_at > 0, got ${disabled.delete_at}`);
    await expectLockedOut(botClient, "getMe with a disabled bot's token");
    assert.ok(!(await adminClient.getBots(0, 200)).some((b) => b.user_id === bot.user_id), 'GET /bots leaves out disabled bots');
    const withDeleted = await adminClient.getBotsIncludeDeleted(0, 200);
    const listed = withDeleted.find((b) => b.user_id === bot.user_id);
    assert.ok(listed, 'GET /bots?include_deleted=true lists the disabled bot');
    assert.ok(listed.delete_at > 0);
    assert.ok((await adminClient.getUser(bot.user_id)).delete_at > 0, "a disabled bot's user is deactivated");

    const enabled = await adminClient.enableBot(bot.user_id);
    assert.equal(enabled.user_id, bot.user_id);
    assert.equal(enabled.delete_at, 0, 'an enabled bot has delete_at 0');
    assert.ok((await adminClient.getBots(0, 200)).some((b) => b.user_id === bot.user_id), 'the enabled bot is listed again');
    assert.equal((await adminClient.getUser(bot.user_id)).delete_at, 0, "an enabled bot's user is active again");
    // Mattermost keeps the token (still is_active) through the deactivation and
    // makes a new session from it on the next request once the user is active.
    const listed2 = (await adminClient.getUserAccessTokensForUser(bot.user_id, 0, 100)).find((t) => t.user_id === bot.user_id);
    assert.ok(listed2 && listed2.is_active, "the bot's token is still listed as active");
    assert.equal((await botClient.getMe()).id, bot.user_id, "the bot's token works again");
});

test('posts by a bot user carry props.from_bot = "true"', async () => {
    // app/post.go CreatePost: if user.IsBot { post.AddProp(model.PostPropsFromBot, "true") }
    const {adminClient, channel, botClient} = await botInChannel('frombot');
    const post = await botClient.createPost({channel_id: channel.id, message: 'marked as a bot post'});
    assert.equal(post.props.from_bot, 'true', `the created post carries props.from_bot, got props ${JSON.stringify(post.props)}`);
    const seen = await adminClient.getPost(post.id);
    assert.equal(seen.props.from_bot, 'true', `the stored post carries props.from_bot, got props ${JSON.stringify(seen.props)}`);
});

test('a plain user may not create a bot (403)', async () => {
    const {member} = await people();
    const {error, res} = await h.expectError(
        () => member.client.createBot({username: `js-nobot-${h.rand(8)}`}), 403, 'createBot as a system user');
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);
});

// ---------------------------------------------------------------------------
// Incoming webhooks

// A team made by `owner` (its team admin, not a system admin) with a public channel.
async function ownedTeam(owner) {
    const name = `js-hooks-${h.rand(10)}`;
    const team = await owner.client.createTeam({name, display_name: `Compat ${name}`, type: 'O'});
    const channel = await h.newPublicChannel(owner.client, team.id, 'hooks');
    return {team, channel};
}

test('a team admin creates an incoming webhook (201), gets, lists, updates and deletes it', async () => {
    const {owner} = await people();
    const {team, channel} = await ownedTeam(owner);

    const {data: hook, res} = await h.observe(() => owner.client.createIncomingWebhook({
        channel_id: channel.id,
        display_name: 'Compat hook',
        description: 'posts from the compat suite',
        channel_locked: true,
    }));
    assert.equal(res.status, 201);
    h.assertId(hook.id, 'hook id');
    assert.equal(hook.channel_id, channel.id);
    assert.equal(hook.team_id, team.id, 'the hook takes the channel\'s team');
    assert.equal(hook.user_id, owner.user.id, 'the creator owns the hook');
    assert.equal(hook.display_name, 'Compat hook');
    assert.equal(hook.description, 'posts from the compat suite');
    assert.equal(hook.channel_locked, true);
    h.assertMillis(hook.create_at, 'create_at');
    assert.equal(hook.delete_at, 0);

    const fetched = await owner.client.getIncomingWebhook(hook.id);
    assert.equal(fetched.id, hook.id);
    assert.equal(fetched.channel_id, channel.id);
    assert.equal(fetched.display_name, 'Compat hook');

    const {data: list, res: listRes} = await h.observe(() => owner.client.getIncomingWebhooks(team.id, 0, 100));
    assert.match(listRes.url, /[?&]team_id=/);
    assert.ok(Array.isArray(list), 'GET /hooks/incoming answers an array');
    assert.ok(list.some((x) => x.id === hook.id), 'the hook is listed for its team');

    await h.sleep(5);
    const {data: updated, res: updateRes} = await h.observe(() => owner.client.updateIncomingWebhook({
        ...hook,
        display_name: 'Renamed hook',
        description: 'renamed',
    }));
    assert.ok(updateRes.status === 200 || updateRes.status === 201, `updateIncomingWebhook succeeds, got ${updateRes.status}`);
    assert.equal(updated.id, hook.id);
    assert.equal(updated.display_name, 'Renamed hook');
    assert.equal(updated.description, 'renamed');
    assert.equal(updated.channel_id, channel.id);
    assert.equal(updated.user_id, owner.user.id);
    assert.equal(updated.create_at, hook.create_at, 'create_at stays');
    assert.ok(updated.update_at >= hook.update_at);
    assert.equal((await owner.client.getIncomingWebhook(hook.id)).display_name, 'Renamed hook');

    const {data: removed, res: removeRes} = await h.observe(() => owner.client.removeIncomingWebhook(hook.id));
    assert.equal(removeRes.status, 200);
    assert.deepEqual(removed, {status: 'OK'});
    const {res: missing} = await h.expectError(() => owner.client.getIncomingWebhook(hook.id), 404, 'getIncomingWebhook after delete');
    h.assertMattermostError(missing, 404);
    assert.ok(!(await owner.client.getIncomingWebhooks(team.id, 0, 100)).some((x) => x.id === hook.id), 'a deleted hook leaves the list');
});

test('updating an incoming webhook answers 201, as Mattermost does', async () => {
    // api4/webhook.go updateIncomingHook ends with w.WriteHeader(http.StatusCreated).
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'To update'});
    const {data: updated, res} = await h.observe(() => owner.client.updateIncomingWebhook({...hook, display_name: 'Updated'}));
    assert.equal(updated.display_name, 'Updated');
    assert.equal(res.status, 201, `PUT /hooks/incoming/{id} answers 201 in Mattermost, got ${res.status}`);
});

test('POST /hooks/{id} takes JSON and form payloads, answers "ok" and posts with the webhook props', async () => {
    const {client: adminClient} = await h.admin();
    const config = await adminClient.getClientConfig();
    assert.equal(config.EnablePostUsernameOverride, 'true',
        'the client config advertises EnablePostUsernameOverride, so webhook posts carry override_username');

    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Compat caller'});

    const jsonText = `json payload ${h.rand(6)}`;
    const sent = await callHook(hook.id, JSON.stringify({text: jsonText, username: 'compat-json'}));
    assert.equal(sent.status, 200, `POST /hooks/{id} with JSON answers 200, got ${sent.status}: ${sent.text}`);
    assert.equal(sent.text, 'ok', 'the body is the plain word ok');
    assert.match(sent.contentType || '', /^text\/plain/, 'the answer is text/plain');

    const post = await findPost(owner.client, channel.id, jsonText);
    assert.equal(post.user_id, owner.user.id, 'a webhook posts as the hook\'s creator');
    assert.equal(post.props.from_webhook, 'true');
    assert.equal(post.props.override_username, 'compat-json');

    const formText = `form payload ${h.rand(6)}`;
    const form = `payload=${encodeURIComponent(JSON.stringify({text: formText, username: 'compat-form'}))}`;
    const formSent = await callHook(hook.id, form, 'application/x-www-form-urlencoded');
    assert.equal(formSent.status, 200, `a form-encoded payload answers 200, got ${formSent.status}: ${formSent.text}`);
    assert.equal(formSent.text, 'ok');
    const formPost = await findPost(owner.client, channel.id, formText);
    assert.equal(formPost.props.from_webhook, 'true');
    assert.equal(formPost.props.override_username, 'compat-form');
});

test('a webhook payload without text or attachments is a 400 with web.incoming_webhook.text', async () => {
    // app/webhook.go HandleIncomingWebhook: text == "" && attachments == nil
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Empty'});
    const empty = await callHook(hook.id, JSON.stringify({text: ''}));
    assert.equal(empty.status, 400, `a payload without text is a 400, got ${empty.status}: ${empty.text}`);
    assert.equal(JSON.parse(empty.text).id, 'web.incoming_webhook.text.app_error', `error id, got ${empty.text}`);
});

test('a webhook payload with attachments and no text posts them (200)', async () => {
    // Integrations often send only attachments: the post has no message but is not empty.
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Cards'});
    const title = `card ${h.rand(6)}`;
    const sent = await callHook(hook.id, JSON.stringify({attachments: [{title, text: 'body', color: '#00ff00'}]}));
    assert.equal(sent.status, 200, `an attachments-only payload is accepted, got ${sent.status}: ${sent.text}`);
    const list = await h.eventually(
        () => owner.client.getPosts(channel.id, 0, 60),
        (l) => Object.values(l.posts).some((p) => p.props?.attachments?.[0]?.title === title),
    );
    const post = Object.values(list.posts).find((p) => p.props?.attachments?.[0]?.title === title);
    assert.ok(post, 'the attachments-only post appears in the channel');
    assert.equal(post.message, '', 'the post has no message');
    assert.equal(post.props.attachments[0].color, '#00ff00', 'the attachment is kept as sent');
});

test('a webhook post without a username gets override_username "webhook"', async () => {
    // app/webhook.go CreateWebhookPost: with EnablePostUsernameOverride and no
    // username from the payload or the hook, override_username is model.DefaultWebhookUsername.
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Anonymous'});
    const text = `no username ${h.rand(6)}`;
    assert.equal((await callHook(hook.id, JSON.stringify({text}))).status, 200);
    const post = await findPost(owner.client, channel.id, text);
    assert.equal(post.props.from_webhook, 'true');
    assert.equal(post.props.override_username, 'webhook', `props must carry the default override_username, got ${JSON.stringify(post.props)}`);
});

test('a webhook post carries props.webhook_display_name, the hook\'s display name', async () => {
    // app/webhook.go HandleIncomingWebhook: req.Props["webhook_display_name"] = hook.DisplayName
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Named hook'});
    const text = `named ${h.rand(6)}`;
    assert.equal((await callHook(hook.id, JSON.stringify({text}))).status, 200);
    const post = await findPost(owner.client, channel.id, text);
    assert.equal(post.props.from_webhook, 'true');
    assert.equal(post.props.webhook_display_name, 'Named hook', `props must carry webhook_display_name, got ${JSON.stringify(post.props)}`);
});

test('a deleted incoming webhook refuses payloads with web.incoming_webhook.invalid (400)', async () => {
    const {owner} = await people();
    const {channel} = await ownedTeam(owner);
    const hook = await owner.client.createIncomingWebhook({channel_id: channel.id, display_name: 'Short-lived'});
    assert.equal((await callHook(hook.id, JSON.stringify({text: 'before delete'}))).status, 200);
    await owner.client.removeIncomingWebhook(hook.id);

    // app/webhook.go HandleIncomingWebhook: a hook the store cannot find
    // (unknown or deleted) is a 400 with web.incoming_webhook.invalid.app_error.
    const after = await callHook(hook.id, JSON.stringify({text: 'after delete'}));
    assert.notEqual(after.status, 200, 'a deleted hook must not accept a payload');
    const posts = await owner.client.getPosts(channel.id, 0, 60);
    assert.ok(!Object.values(posts.posts).some((p) => p.message === 'after delete'), 'nothing is posted through a deleted hook');
    assert.equal(after.status, 400, `a deleted hook answers 400 in Mattermost, got ${after.status}: ${after.text}`);
    assert.equal(JSON.parse(after.text).id, 'web.incoming_webhook.invalid.app_error');
});

test('a team member who is not a team admin may not create or list incoming webhooks (403)', async () => {
    const {client: adminClient} = await h.admin();
    const {owner, member} = await people();
    const {team, channel} = await ownedTeam(owner);
    await adminClient.addToTeam(team.id, member.user.id);
    await adminClient.addToChannel(member.user.id, channel.id);

    const {error, res} = await h.expectError(
        () => member.client.createIncomingWebhook({channel_id: channel.id, display_name: 'not mine'}), 403, 'createIncomingWebhook as a team user');
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);

    const {res: listRes} = await h.expectError(
        () => member.client.getIncomingWebhooks(team.id, 0, 100), 403, 'getIncomingWebhooks as a team user');
    h.assertMattermostError(listRes, 403);
});
