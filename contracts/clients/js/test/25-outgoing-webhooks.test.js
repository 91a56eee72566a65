'use strict';
// Outgoing webhooks through Client4, as Mattermost serves them
// (api4/webhook.go createOutgoingHook … regenOutgoingHookToken) and fires them
// (app/webhook.go handleWebhookEvents, TriggerWebhook): a real integration
// server on 127.0.0.1 receives Mattermost's payload, as JSON or as a form,
// for channel-bound and team-wide hooks with first-word and starts-with
// triggers, and what it answers is posted (in the thread for a `comment`).
//
// The server must allow calls to loopback
// (RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS="127.0.0.1 localhost", as
// scripts/compat starts it).

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const h = require('../lib/helpers');

// How long a fired hook may take to reach the integration, and its answer the channel.
const FIRE_WAIT = 10000;

// ---------------------------------------------------------------------------
// The integration: every request it receives is kept; what it answers is set
// per path (an object is sent as JSON; none answers an empty 200).

const received = [];
const answers = new Map();
const integration = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        received.push({path: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8')});
        const answer = answers.get(req.url);
        if (answer === undefined) {
            res.writeHead(200);
            res.end();
            return;
        }
        res.writeHead(200, {'Content-Type': 'application/json'});
        res.end(JSON.stringify(answer));
    });
});
const listening = new Promise((resolve) => integration.listen(0, '127.0.0.1', resolve));
after(() => integration.close());

// A fresh callback URL on the integration, answering `answer` (if any).
async function callback(answer) {
    await listening;
    const path = `/hook/${h.rand(10)}`;
    if (answer !== undefined) {
        answers.set(path, answer);
    }
    return {path, url: `http://127.0.0.1:${integration.address().port}${path}`};
}

// The requests that reached `path`.
function requestsTo(path) {
    return received.filter((r) => r.path === path);
}

// Waits for the first request to `path` that `pred` accepts.
async function requestTo(path, pred = () => true) {
    const found = await h.eventually(
        async () => requestsTo(path).find(pred),
        (r) => r !== undefined,
        FIRE_WAIT,
    );
    assert.ok(found, `the integration must receive a request at ${path}; got ${JSON.stringify(received.map((r) => r.path))}`);
    return found;
}

// ---------------------------------------------------------------------------
// People and places.

// A team made by `owner` (its team admin, not a system admin) with a public
// channel, and `member` in both as a plain team member.
async function world() {
    const [owner, member, outsider] = await h.users(3);
    const name = `js-out-${h.rand(10)}`;
    const team = await owner.client.createTeam({name, display_name: `Compat ${name}`, type: 'O'});
    const channel = await h.newPublicChannel(owner.client, team.id, 'out');
    await owner.client.addToTeam(team.id, member.user.id);
    await owner.client.addToChannel(member.user.id, channel.id);
    return {owner, member, outsider, team, channel};
}

async function findPost(client, channelId, pred, what) {
    const list = await h.eventually(
        () => client.getPosts(channelId, 0, 60),
        (l) => Object.values(l.posts).some(pred),
        FIRE_WAIT,
    );
    const post = Object.values(list.posts).find(pred);
    assert.ok(post, `${what} must appear in the channel`);
    return post;
}

function hookFields(hook) {
    h.assertId(hook.id, 'hook id');
    h.assertId(hook.token, 'hook token');
    assert.notEqual(hook.token, hook.id, 'the token is not the hook id');
    h.assertMillis(hook.create_at, 'create_at');
    assert.equal(hook.delete_at, 0);
}

// ---------------------------------------------------------------------------
// Managing hooks.

test('a team admin creates an outgoing webhook (201), gets, lists, updates, regenerates its token and deletes it', async () => {
    const {owner, team, channel} = await world();
    const {url} = await callback();
    const {data: hook, res} = await h.observe(() => owner.client.createOutgoingWebhook({
        team_id: team.id,
        channel_id: channel.id,
        trigger_words: ['build', 'ship'],
        trigger_when: 0,
        callback_urls: [url],
        display_name: 'Compat CI',
        description: 'builds on demand',
        content_type: 'application/json',
        username: 'ci-bot',
    }));
    assert.equal(res.status, 201);
    hookFields(hook);
    assert.equal(hook.creator_id, owner.user.id, 'the caller is the creator');
    assert.equal(hook.team_id, team.id);
    assert.equal(hook.channel_id, channel.id);
    assert.deepEqual(hook.trigger_words, ['build', 'ship']);
    assert.equal(hook.trigger_when, 0);
    assert.deepEqual(hook.callback_urls, [url]);
    assert.equal(hook.display_name, 'Compat CI');
    assert.equal(hook.content_type, 'application/json');
    assert.equal(hook.username, 'ci-bot');

    assert.deepEqual(await owner.client.getOutgoingWebhook(hook.id), hook, 'GET answers the hook as created');

    const byChannel = await owner.client.getOutgoingWebhooks(channel.id, '', 0, 100);
    assert.ok(Array.isArray(byChannel), 'GET /hooks/outgoing answers an array');
    assert.deepEqual(byChannel.map((x) => x.id), [hook.id], 'the channel\'s hooks');
    const byTeam = await owner.client.getOutgoingWebhooks('', team.id, 0, 100);
    assert.deepEqual(byTeam.map((x) => x.id), [hook.id], 'the team\'s hooks');
    assert.deepEqual(await owner.client.getOutgoingWebhooks('', team.id, 1, 100), [], 'page 1 is past the end');

    const {data: updated, res: updateRes} = await h.observe(() => owner.client.updateOutgoingWebhook({
        ...hook,
        trigger_words: ['release'],
        trigger_when: 1,
        display_name: 'Renamed CI',
        token: 'ignored',
    }));
    assert.equal(updateRes.status, 200, 'PUT /hooks/outgoing/{id} answers 200');
    assert.equal(updated.id, hook.id);
    assert.deepEqual(updated.trigger_words, ['release']);
    assert.equal(updated.trigger_when, 1);
    assert.equal(updated.display_name, 'Renamed CI');
    assert.equal(updated.token, hook.token, 'an update keeps the token');
    assert.equal(updated.creator_id, owner.user.id);
    assert.ok(updated.update_at >= hook.update_at);

    const {data: renewed, res: regenRes} = await h.observe(() => owner.client.regenOutgoingHookToken(hook.id));
    assert.equal(regenRes.status, 200);
    h.assertId(renewed.token, 'new token');
    assert.notEqual(renewed.token, hook.token, 'a new token');
    assert.equal((await owner.client.getOutgoingWebhook(hook.id)).token, renewed.token, 'the new token is kept');

    const {data: removed, res: removeRes} = await h.observe(() => owner.client.removeOutgoingWebhook(hook.id));
    assert.equal(removeRes.status, 200);
    assert.deepEqual(removed, {status: 'OK'});
    const {error, res: missing} = await h.expectError(() => owner.client.getOutgoingWebhook(hook.id), 404, 'getOutgoingWebhook after delete');
    assert.equal(error.server_error_id, 'app.webhooks.get_outgoing.app_error');
    h.assertMattermostError(missing, 404);
    assert.deepEqual(await owner.client.getOutgoingWebhooks('', team.id, 0, 100), [], 'a deleted hook leaves the list');
});

test('a hook needs a public channel of its team or trigger words, and valid callback URLs', async () => {
    const {owner, team} = await world();
    const {url} = await callback();
    const secret = await owner.client.createChannel({team_id: team.id, name: `secret-${h.rand(8)}`, display_name: 'Secret', type: 'P'});

    const {error: privateErr, res: privateRes} = await h.expectError(() => owner.client.createOutgoingWebhook({
        team_id: team.id, channel_id: secret.id, trigger_words: ['x'], callback_urls: [url],
    }), 403, 'a hook on a private channel');
    assert.equal(privateErr.server_error_id, 'api.webhook.create_outgoing.not_open.app_error');
    h.assertMattermostError(privateRes, 403);

    const {error: triggersErr} = await h.expectError(() => owner.client.createOutgoingWebhook({
        team_id: team.id, callback_urls: [url],
    }), 400, 'a team-wide hook without trigger words');
    assert.equal(triggersErr.server_error_id, 'api.webhook.create_outgoing.triggers.app_error');

    const {error: urlErr} = await h.expectError(() => owner.client.createOutgoingWebhook({
        team_id: team.id, trigger_words: ['x'], callback_urls: ['not a url'],
    }), 400, 'a hook with a bad callback URL');
    assert.equal(urlErr.server_error_id, 'model.outgoing_hook.is_valid.url.app_error');

    const {error: noUrlErr} = await h.expectError(() => owner.client.createOutgoingWebhook({
        team_id: team.id, trigger_words: ['x'], callback_urls: [],
    }), 400, 'a hook without callback URLs');
    assert.equal(noUrlErr.server_error_id, 'model.outgoing_hook.is_valid.callback.app_error');

    // The same word to the same URL in the same channel is taken.
    await owner.client.createOutgoingWebhook({team_id: team.id, trigger_words: ['dup', 'one'], callback_urls: [url]});
    const {error: dupErr} = await h.expectError(() => owner.client.createOutgoingWebhook({
        team_id: team.id, trigger_words: ['dup'], callback_urls: [url],
    }), 400, 'a second hook sending the same word to the same URL');
    assert.equal(dupErr.server_error_id, 'api.webhook.create_outgoing.intersect.app_error');
    const other = await callback();
    const distinct = await owner.client.createOutgoingWebhook({team_id: team.id, trigger_words: ['dup'], callback_urls: [other.url]});
    hookFields(distinct);
});

test('outsiders and plain members cannot list, read tokens of, change, regenerate or delete a team\'s hooks', async () => {
    const {owner, member, outsider, team, channel} = await world();
    const {url} = await callback();
    const hook = await owner.client.createOutgoingWebhook({
        team_id: team.id, channel_id: channel.id, trigger_words: ['guard'], callback_urls: [url],
    });
    for (const [who, client] of [['outsider', outsider.client], ['plain member', member.client]]) {
        const refusals = [
            ['list the team\'s hooks', () => client.getOutgoingWebhooks('', team.id, 0, 100)],
            ['list the channel\'s hooks', () => client.getOutgoingWebhooks(channel.id, '', 0, 100)],
            ['list every hook', () => client.getOutgoingWebhooks('', '', 0, 100)],
            ['read the hook and its token', () => client.getOutgoingWebhook(hook.id)],
            ['update the hook', () => client.updateOutgoingWebhook({...hook, callback_urls: ['https://attacker.example.com/']})],
            ['regenerate the token', () => client.regenOutgoingHookToken(hook.id)],
            ['delete the hook', () => client.removeOutgoingWebhook(hook.id)],
            ['create a hook in the team', () => client.createOutgoingWebhook({team_id: team.id, trigger_words: ['mine'], callback_urls: [url]})],
        ];
        for (const [what, call] of refusals) {
            const {error, res} = await h.expectError(call, 403, `${who}: ${what}`);
            assert.equal(error.server_error_id, 'api.context.permissions.app_error', `${who}: ${what}`);
            assert.ok(!res.body.includes(hook.token), `${who}: ${what} must not show the token`);
        }
    }
    const kept = await owner.client.getOutgoingWebhook(hook.id);
    assert.deepEqual(kept.callback_urls, [url], 'the hook is unchanged');
    assert.equal(kept.token, hook.token, 'the token is unchanged');
});

// ---------------------------------------------------------------------------
// Firing.

test('a channel hook sends Mattermost\'s JSON payload on an exact first word and posts the answer', async () => {
    const {owner, member, team, channel} = await world();
    const cb = await callback({text: 'deploying <https://ci.example.com/1|build 1>', props: {build: 1}});
    const hook = await owner.client.createOutgoingWebhook({
        team_id: team.id,
        channel_id: channel.id,
        trigger_words: ['deploy', 'ship'],
        trigger_when: 0,
        callback_urls: [cb.url],
        display_name: 'Deployer',
        content_type: 'application/json',
        username: 'deploy-bot',
    });

    // Not the first word exactly: nothing is sent.
    const near = await member.client.createPost({channel_id: channel.id, message: 'deployment is done'});
    const later = await member.client.createPost({channel_id: channel.id, message: 'please deploy'});
    const post = await member.client.createPost({channel_id: channel.id, message: 'deploy  main now'});
    const request = await requestTo(cb.path);
    assert.equal(request.method, 'POST');
    assert.match(request.headers['content-type'], /^application\/json/);
    assert.equal(request.headers.accept, 'application/json');
    assert.deepEqual(JSON.parse(request.body), {
        token: hook.token,
        team_id: team.id,
        team_domain: team.name,
        channel_id: channel.id,
        channel_name: channel.name,
        timestamp: post.create_at,
        user_id: member.user.id,
        user_name: member.user.username,
        post_id: post.id,
        text: 'deploy  main now',
        trigger_word: 'deploy',
        file_ids: '',
    });

    const answer = await findPost(owner.client, channel.id, (p) => p.message.startsWith('deploying'), 'the integration\'s answer');
    assert.equal(answer.message, 'deploying [build 1](https://ci.example.com/1)', 'Slack links become Markdown');
    assert.equal(answer.user_id, owner.user.id, 'posted as the hook\'s creator');
    assert.equal(answer.root_id, '', 'a plain answer is a root post');
    assert.equal(answer.props.from_webhook, 'true');
    assert.equal(answer.props.override_username, 'deploy-bot', 'the hook\'s name');
    assert.equal(answer.props.webhook_display_name, 'Deployer');
    assert.equal(answer.props.build, 1, 'the answer\'s props are kept');

    // The answer, a webhook's post, fires nothing itself; the near misses never fired.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = requestsTo(cb.path).map((r) => JSON.parse(r.body).post_id);
    assert.deepEqual(sent, [post.id], `only the matching post was sent (not ${near.id} nor ${later.id} nor the answer)`);
});

test('a team-wide hook sends a form on a first word that starts with its trigger, and a comment answers in the thread', async () => {
    const {owner, member, team, channel} = await world();
    const other = await h.newPublicChannel(owner.client, team.id, 'out2');
    await owner.client.addToChannel(member.user.id, other.id);
    const cb = await callback({text: 'queued', response_type: 'comment', username: 'answerer'});
    const hook = await owner.client.createOutgoingWebhook({
        team_id: team.id,
        trigger_words: ['ci'],
        trigger_when: 1,
        callback_urls: [cb.url],
        content_type: 'application/x-www-form-urlencoded',
    });
    assert.equal(hook.channel_id, '', 'a team-wide hook has no channel');

    const post = await member.client.createPost({channel_id: other.id, message: 'ci:build main'});
    const request = await requestTo(cb.path);
    assert.match(request.headers['content-type'], /^application\/x-www-form-urlencoded/);
    const form = Object.fromEntries(new URLSearchParams(request.body));
    assert.deepEqual(form, {
        token: hook.token,
        team_id: team.id,
        team_domain: team.name,
        channel_id: other.id,
        channel_name: other.name,
        timestamp: String(Math.floor(post.create_at / 1000)),
        user_id: member.user.id,
        user_name: member.user.username,
        post_id: post.id,
        text: 'ci:build main',
        trigger_word: 'ci',
        file_ids: '',
    }, 'a form carries seconds, as Mattermost sends it');

    const reply = await findPost(owner.client, other.id, (p) => p.message === 'queued', 'the comment');
    assert.equal(reply.root_id, post.id, 'a comment answers in the triggering post\'s thread');
    assert.equal(reply.user_id, owner.user.id);
    assert.equal(reply.props.from_webhook, 'true');
    assert.equal(reply.props.override_username, 'answerer', 'the answer\'s own name wins');

    // The same hook fires in the team's other public channel, for a reply too,
    // and answers in the same thread.
    const root = await member.client.createPost({channel_id: channel.id, message: 'a thread'});
    const inThread = await member.client.createPost({channel_id: channel.id, root_id: root.id, message: 'cicd please'});
    const second = await requestTo(cb.path, (r) => new URLSearchParams(r.body).get('post_id') === inThread.id);
    assert.equal(new URLSearchParams(second.body).get('channel_id'), channel.id);
    const threaded = await findPost(owner.client, channel.id, (p) => p.message === 'queued', 'the comment to a reply');
    assert.equal(threaded.root_id, root.id, 'a comment to a reply goes to its thread\'s root');
});

test('a private channel or a word that does not match fires nothing', async () => {
    const {owner, member, team, channel} = await world();
    const cb = await callback({text: 'should not appear'});
    await owner.client.createOutgoingWebhook({
        team_id: team.id, trigger_words: ['alarm'], trigger_when: 0, callback_urls: [cb.url], content_type: 'application/json',
    });
    const secret = await owner.client.createChannel({team_id: team.id, name: `quiet-${h.rand(8)}`, display_name: 'Quiet', type: 'P'});
    await owner.client.addToChannel(member.user.id, secret.id);
    const hidden = await member.client.createPost({channel_id: secret.id, message: 'alarm in private'});
    const missed = await member.client.createPost({channel_id: channel.id, message: 'alarms are off'});
    const second = await member.client.createPost({channel_id: channel.id, message: 'no alarm'});

    // A matching post afterwards arrives; the others never do.
    const sentinel = await member.client.createPost({channel_id: channel.id, message: 'alarm sentinel'});
    await requestTo(cb.path, (r) => JSON.parse(r.body).post_id === sentinel.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = requestsTo(cb.path).map((r) => JSON.parse(r.body).post_id);
    assert.deepEqual(sent, [sentinel.id], `nothing for ${hidden.id}, ${missed.id} or ${second.id}`);
    const posts = await owner.client.getPosts(secret.id, 0, 60);
    assert.ok(!Object.values(posts.posts).some((p) => p.message === 'should not appear'), 'no answer in the private channel');
});

test('a channel hook without trigger words fires on every post of its channel, with an empty trigger word', async () => {
    const {owner, member, team, channel} = await world();
    const cb = await callback();
    await owner.client.createOutgoingWebhook({
        team_id: team.id, channel_id: channel.id, callback_urls: [cb.url], content_type: 'application/json',
    });
    const post = await member.client.createPost({channel_id: channel.id, message: 'anything at all'});
    const request = await requestTo(cb.path);
    const payload = JSON.parse(request.body);
    assert.equal(payload.post_id, post.id);
    assert.equal(payload.trigger_word, '');
    assert.equal(payload.text, 'anything at all');
});
