'use strict';
// Interactive messages and dialogs as Mattermost serves them
// (app/integration_action.go, api4/integration_action.go): a bot posts
// message attachments with a button and menus; clients get action ids but
// never the integration's URL or context; Client4's doPostAction makes the
// server call the integration with Mattermost's request and apply its
// answer (update -> post_edited, ephemeral_text -> ephemeral_message); the
// integration opens a dialog with the trigger id it got (open_dialog on the
// clicker's socket only) and submitInteractiveDialog brings its field
// errors back.
//
// The integration is a real HTTP server on 127.0.0.1, which the server may
// call because scripts/compat starts it with
// RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS="127.0.0.1 localhost".

const {test, before, after} = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const WebSocket = require('ws');
const h = require('../lib/helpers');

const WS_URL = h.newClient().getWebSocketUrl().replace(/^http/i, 'ws');
const WAIT = 5000;
// Mattermost's fields of an action request, all of them always sent (`context` when set).
const REQUEST_FIELDS = ['user_id', 'user_name', 'channel_id', 'channel_name', 'team_id',
    'team_domain', 'post_id', 'trigger_id', 'type', 'data_source'];

// ---------------------------------------------------------------------------
// The integration: records every request; what it answers is set per path.

const integration = {
    server: null,
    url: '',
    requests: [],
    // path -> async (body) => [status, answer object or text]
    handlers: new Map(),
};

before(async () => {
    integration.server = http.createServer((req, res) => {
        let text = '';
        req.on('data', (chunk) => {
            text += chunk;
        });
        req.on('end', async () => {
            let body;
            try {
                body = JSON.parse(text);
            } catch (err) {
                body = text;
            }
            integration.requests.push({path: req.url, method: req.method, headers: req.headers, body});
            const handler = integration.handlers.get(req.url);
            let status = 200;
            let answer = {};
            if (handler) {
                [status, answer] = await handler(body);
            }
            res.writeHead(status, {'Content-Type': 'application/json'});
            res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
        });
    });
    await new Promise((resolve) => integration.server.listen(0, '127.0.0.1', resolve));
    integration.url = `http://127.0.0.1:${integration.server.address().port}`;
});

const sockets = [];
after(async () => {
    for (const ws of sockets) {
        ws.terminate();
    }
    await new Promise((resolve) => integration.server.close(resolve));
});

// A fresh path of the integration with its handler.
function hook(name, handler) {
    const path = `/${name}-${h.rand(8)}`;
    integration.handlers.set(path, handler);
    return {path, url: integration.url + path};
}

function requestsTo(path) {
    return integration.requests.filter((r) => r.path === path);
}

async function requestTo(path) {
    const found = await h.eventually(async () => requestsTo(path), (list) => list.length > 0, WAIT);
    assert.ok(found.length > 0, `the integration got no request at ${path}`);
    return found[0];
}

// ---------------------------------------------------------------------------
// Sockets.

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
    await h.eventually(async () => frames, (f) => f.some((e) => e.event === 'hello'), WAIT);
    return {
        frames,
        async event(name, pred = () => true) {
            const found = await h.eventually(
                async () => frames.find((e) => e.event === name && pred(e)),
                (e) => Boolean(e),
                WAIT,
            );
            assert.ok(found, `no ${name} event: got ${frames.map((e) => e.event).join(', ')}`);
            return found;
        },
    };
}

const postOf = (e) => JSON.parse(e.data.post);

// ---------------------------------------------------------------------------
// The world: a team, a public channel with a bot, a clicker and a bystander,
// a private channel the outsider is not in.

let worldPromise = null;
function world() {
    if (!worldPromise) {
        worldPromise = (async () => {
            const {client: adminClient, user: adminUser} = await h.admin();
            const [clicker, bystander, outsider] = await h.users(3);
            const team = await h.newTeam('act');
            const bot = await adminClient.createBot({username: `js-actbot-${h.rand(8)}`, display_name: 'Action Bot'});
            for (const id of [clicker.user.id, bystander.user.id, outsider.user.id, bot.user_id]) {
                await adminClient.addToTeam(team.id, id);
            }
            const channel = await h.newPublicChannel(adminClient, team.id, 'act');
            const secret = await adminClient.createChannel({
                team_id: team.id, name: `act-p-${h.rand(8)}`, display_name: 'Secret', type: 'P',
            });
            for (const id of [clicker.user.id, bystander.user.id, bot.user_id]) {
                await adminClient.addToChannel(id, channel.id);
                await adminClient.addToChannel(id, secret.id);
            }
            const token = await adminClient.createUserAccessToken(bot.user_id, 'interactive suite');
            const botClient = h.newClient();
            botClient.setToken(token.token);
            return {adminClient, adminUser, clicker, bystander, outsider, team, channel, secret, bot, botClient};
        })();
    }
    return worldPromise;
}

// Attachments with a button, a static menu and a users menu, each pointing
// at its own integration path; the button's context holds a secret.
function attachments(button, menu, users, extra = {}) {
    return [{
        fallback: 'deploy?',
        color: '#36a64f',
        title: 'Deploy build 42',
        text: 'Ship it?',
        actions: [
            {name: 'Ship', type: 'button', style: 'primary',
                integration: {url: button.url, context: {secret: 'ctx-s3cr3t', build: 42}}},
            {name: 'Env', type: 'select',
                options: [{text: 'Staging', value: 'staging'}, {text: 'Production', value: 'prod'}],
                integration: {url: menu.url, context: {menu: 'env'}}},
            {id: 'assignee', name: 'Assignee', type: 'select', data_source: 'users',
                integration: {url: users.url}},
        ],
        ...extra,
    }];
}

function assertNoIntegration(post, what) {
    const text = JSON.stringify(post.props);
    assert.ok(!text.includes('integration'), `${what}: an integration reached the client: ${text}`);
    assert.ok(!text.includes(integration.url), `${what}: the integration URL reached the client`);
    assert.ok(!text.includes('ctx-s3cr3t'), `${what}: the action context reached the client`);
}

function actionsOf(post) {
    return post.props.attachments[0].actions;
}

// ---------------------------------------------------------------------------

test('a bot\'s attachment actions get ids; no client ever sees their integration', async () => {
    const w = await world();
    const ws = await listen(w.clicker.client);
    const button = hook('button', async () => [200, {}]);
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);

    const {data: created, res} = await h.observe(() => w.botClient.createPost({
        channel_id: w.channel.id, message: 'release time', props: {attachments: attachments(button, menu, users)},
    }));
    assert.equal(res.status, 201);
    assert.equal(created.user_id, w.bot.user_id);
    const actions = actionsOf(created);
    assert.equal(actions.length, 3);
    h.assertId(actions[0].id, 'the button\'s generated id');
    h.assertId(actions[1].id, 'the menu\'s generated id');
    assert.notEqual(actions[0].id, actions[1].id);
    assert.equal(actions[2].id, 'assignee', 'an id the integration chose is kept');
    assert.equal(actions[1].options[1].value, 'prod', 'options reach the client');
    assert.equal(actions[0].style, 'primary');
    assert.equal(created.props.attachments[0].title, 'Deploy build 42');
    assertNoIntegration(created, 'createPost answer');

    const fetched = await w.clicker.client.getPost(created.id);
    assert.deepEqual(actionsOf(fetched).map((a) => a.id), actions.map((a) => a.id), 'the ids are stored');
    assertNoIntegration(fetched, 'getPost');
    const list = await w.clicker.client.getPosts(w.channel.id, 0, 30);
    assertNoIntegration(list.posts[created.id], 'getPosts');
    const thread = await w.clicker.client.getPostThread(created.id);
    assertNoIntegration(thread.posts[created.id], 'getPostThread');
    const posted = await ws.event('posted', (e) => postOf(e).id === created.id);
    assertNoIntegration(postOf(posted), 'the posted event');
    assert.equal(actionsOf(postOf(posted))[0].id, actions[0].id);
});

test('doPostAction sends Mattermost\'s request; the update edits the post and ephemeral_text reaches the clicker', async () => {
    const w = await world();
    const clickerWs = await listen(w.clicker.client);
    const bystanderWs = await listen(w.bystander.client);
    const button = hook('button', async () => [200, {
        update: {message: 'Shipped by the integration', props: {attachments: [{text: 'done', actions: [
            {name: 'Undo', type: 'button', integration: {url: integration.url + '/undo', context: {secret: 'ctx-s3cr3t'}}},
        ]}]}},
        ephemeral_text: 'You shipped it, see <https://example.com/b/42|build 42>',
    }]);
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'ship?', props: {attachments: attachments(button, menu, users)},
    });
    const buttonId = actionsOf(post)[0].id;

    const {data: answer, res} = await h.observe(() => w.clicker.client.doPostAction(post.id, buttonId));
    assert.equal(res.status, 200);
    assert.equal(answer.status, 'OK');
    assert.equal(typeof answer.trigger_id, 'string');
    assert.ok(answer.trigger_id.length > 0, 'a trigger id comes back');

    const request = (await requestTo(button.path));
    assert.equal(request.method, 'POST');
    assert.match(request.headers['content-type'], /^application\/json/);
    const body = request.body;
    for (const key of REQUEST_FIELDS) {
        assert.ok(key in body, `the action request has ${key}: ${JSON.stringify(body)}`);
    }
    assert.equal(body.user_id, w.clicker.user.id);
    assert.equal(body.user_name, w.clicker.user.username);
    assert.equal(body.channel_id, w.channel.id);
    assert.equal(body.channel_name, w.channel.name);
    assert.equal(body.team_id, w.team.id);
    assert.equal(body.team_domain, w.team.name);
    assert.equal(body.post_id, post.id);
    assert.equal(body.type, 'button');
    assert.equal(body.data_source, '');
    assert.deepEqual(body.context, {secret: 'ctx-s3cr3t', build: 42}, 'the stored context is sent');
    assert.ok(body.trigger_id.length > answer.trigger_id.length,
        'the integration gets the signed trigger id, the client only its id');

    const edited = await clickerWs.event('post_edited', (e) => postOf(e).id === post.id);
    const editedPost = postOf(edited);
    assert.equal(editedPost.message, 'Shipped by the integration');
    assert.equal(editedPost.user_id, w.bot.user_id, 'the post keeps its author');
    assert.equal(editedPost.props.from_bot, 'true', 'it still reads as a bot\'s post');
    assert.equal(editedPost.props.attachments[0].text, 'done');
    h.assertId(actionsOf(editedPost)[0].id, 'a new action of the update gets an id');
    assertNoIntegration(editedPost, 'the post_edited event');
    await bystanderWs.event('post_edited', (e) => postOf(e).id === post.id);
    const stored = await w.clicker.client.getPost(post.id);
    assert.equal(stored.message, 'Shipped by the integration');
    assertNoIntegration(stored, 'the updated post');

    const ephemeral = await clickerWs.event('ephemeral_message', (e) => postOf(e).message.startsWith('You shipped it'));
    const note = postOf(ephemeral);
    assert.equal(note.message, 'You shipped it, see [build 42](https://example.com/b/42)', 'Slack links become Markdown');
    assert.equal(note.channel_id, w.channel.id);
    assert.equal(note.root_id, post.id, 'the note belongs to the post\'s thread');
    assert.equal(note.type, 'system_ephemeral');
    // The bystander got the edit but not the clicker's note.
    assert.ok(!bystanderWs.frames.some((e) => e.event === 'ephemeral_message'),
        'the ephemeral answer reaches the clicker only');
});

test('a menu sends its selected option in the context; a users menu names its data source', async () => {
    const w = await world();
    const ws = await listen(w.clicker.client);
    const button = hook('button', async () => [200, {}]);
    const menu = hook('menu', async () => [200, {ephemeral_text: 'Env <set|x>', skip_slack_parsing: true}]);
    const users = hook('users', async () => [200, '']);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'pick', props: {attachments: attachments(button, menu, users)},
    });
    const [, menuAction, usersAction] = actionsOf(post);

    await w.clicker.client.doPostAction(post.id, menuAction.id, 'prod');
    const body = (await requestTo(menu.path)).body;
    assert.equal(body.type, 'select');
    assert.equal(body.data_source, '');
    assert.deepEqual(body.context, {menu: 'env', selected_option: 'prod'});
    const note = await ws.event('ephemeral_message', (e) => postOf(e).message.startsWith('Env'));
    assert.equal(postOf(note).message, 'Env <set|x>', 'skip_slack_parsing keeps the text as sent');

    const {data: answer} = await h.observe(() => w.clicker.client.doPostAction(post.id, usersAction.id, w.bystander.user.id));
    assert.equal(answer.status, 'OK', 'an empty answer from the integration is fine');
    const usersBody = (await requestTo(users.path)).body;
    assert.equal(usersBody.data_source, 'users');
    assert.deepEqual(usersBody.context, {selected_option: w.bystander.user.id});
    assert.equal(postOf(await ws.event('ephemeral_message')).message, 'Env <set|x>',
        'an empty answer sends no ephemeral message');
});

test('the integration opens a dialog with its trigger id: open_dialog reaches the clicker only; submit brings its errors back', async () => {
    const w = await world();
    const clickerWs = await listen(w.clicker.client);
    const bystanderWs = await listen(w.bystander.client);
    const submit = hook('submit', async (body) => {
        if (body.cancelled) {
            return [200, {}];
        }
        const name = body.submission && body.submission.name;
        if (!name || name.length < 3) {
            return [200, {errors: {name: 'at least 3 characters'}}];
        }
        return [200, {}];
    });
    const dialog = {
        callback_id: 'deploy-cb',
        title: 'Deploy',
        introduction_text: 'Tell us **why**',
        elements: [
            {display_name: 'Name', name: 'name', type: 'text', subtype: 'text', placeholder: 'who'},
            {display_name: 'Env', name: 'env', type: 'select', options: [{text: 'Prod', value: 'prod'}], default: 'prod'},
        ],
        submit_label: 'Go',
        notify_on_cancel: true,
        state: 'state-42',
    };
    let openStatus = 0;
    const button = hook('button', async (body) => {
        const response = await fetch(`${h.MM_URL}/api/v4/actions/dialogs/open`, {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({trigger_id: body.trigger_id, url: submit.url, dialog}),
        });
        openStatus = response.status;
        return [200, {}];
    });
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'dialog?', props: {attachments: attachments(button, menu, users)},
    });

    const answer = await w.clicker.client.doPostAction(post.id, actionsOf(post)[0].id);
    assert.equal(openStatus, 200, 'the integration opened the dialog with the trigger id it got');
    const opened = await clickerWs.event('open_dialog');
    assert.equal(opened.broadcast.user_id, w.clicker.user.id);
    assert.equal(typeof opened.data.dialog, 'string', 'data.dialog is a JSON string');
    const request = JSON.parse(opened.data.dialog);
    assert.equal(request.trigger_id, answer.trigger_id, 'the event\'s trigger id is the one doPostAction returned');
    assert.equal(request.url, submit.url);
    assert.equal(request.dialog.title, 'Deploy');
    assert.equal(request.dialog.callback_id, 'deploy-cb');
    assert.equal(request.dialog.state, 'state-42');
    assert.equal(request.dialog.notify_on_cancel, true);
    assert.equal(request.dialog.elements.length, 2);
    assert.equal(request.dialog.elements[1].options[0].value, 'prod');

    // Then a later event on the bystander's socket: by then any open_dialog would have arrived.
    const marker = await w.clicker.client.createPost({channel_id: w.channel.id, message: `marker ${h.rand(6)}`});
    await bystanderWs.event('posted', (e) => postOf(e).id === marker.id);
    assert.ok(!bystanderWs.frames.some((e) => e.event === 'open_dialog'), 'the dialog opens for the clicker only');

    const submission = {
        url: request.url, callback_id: request.dialog.callback_id, state: request.dialog.state,
        channel_id: w.channel.id, team_id: w.team.id, submission: {name: 'x', env: 'prod'}, cancelled: false,
    };
    const {data: refused, res} = await h.observe(() => w.clicker.client.submitInteractiveDialog(submission));
    assert.equal(res.status, 200);
    assert.deepEqual(refused, {errors: {name: 'at least 3 characters'}});
    const sent = (await requestTo(submit.path)).body;
    assert.deepEqual(sent, {
        type: 'dialog_submission', callback_id: 'deploy-cb', state: 'state-42', user_id: w.clicker.user.id,
        channel_id: w.channel.id, team_id: w.team.id, submission: {name: 'x', env: 'prod'}, cancelled: false,
    });

    const accepted = await w.clicker.client.submitInteractiveDialog({...submission, submission: {name: 'xavier', env: 'prod'}});
    assert.deepEqual(accepted, {}, 'an accepted submission answers an empty object');
    const cancelled = await w.clicker.client.submitInteractiveDialog({...submission, submission: {}, cancelled: true});
    assert.deepEqual(cancelled, {});
    assert.equal(requestsTo(submit.path).at(-1).body.cancelled, true);

    // The outsider, who is not in the private channel, may not submit from it.
    await h.expectError(() => w.outsider.client.submitInteractiveDialog({...submission, channel_id: w.secret.id}), 403,
        'submit for a channel the user cannot read');
});

test('an unknown, expired or altered trigger id opens no dialog', async () => {
    const w = await world();
    let trigger = '';
    const button = hook('button', async (body) => {
        trigger = body.trigger_id;
        return [200, {}];
    });
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'late dialog', props: {attachments: attachments(button, menu, users)},
    });
    await w.clicker.client.doPostAction(post.id, actionsOf(post)[0].id);
    assert.ok(trigger, 'the integration got a trigger id');

    const open = (triggerId) => fetch(`${h.MM_URL}/api/v4/actions/dialogs/open`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({trigger_id: triggerId, url: `${integration.url}/never`, dialog: {title: 'Late'}}),
    });

    // Another user's id in an otherwise genuine trigger: the signature no longer matches.
    const decoded = Buffer.from(trigger, 'base64').toString('utf8');
    assert.ok(decoded.includes(w.clicker.user.id), 'the trigger names the clicker');
    const altered = Buffer.from(decoded.replace(w.clicker.user.id, w.bystander.user.id)).toString('base64');
    for (const [what, value] of [['garbage', 'not-a-trigger'], ['altered', altered], ['empty', '']]) {
        const response = await open(value);
        const body = await response.json();
        assert.equal(response.status, 400, `${what} trigger: ${JSON.stringify(body)}`);
        assert.match(body.id, /^interactive_message\.decode_trigger_id\./, `${what} trigger: error id`);
    }

    await h.sleep(3500);
    const expired = await open(trigger);
    const body = await expired.json();
    assert.equal(expired.status, 400);
    assert.equal(body.id, 'interactive_message.decode_trigger_id.expired');

    const noUrl = await fetch(`${h.MM_URL}/api/v4/actions/dialogs/open`, {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({trigger_id: trigger}),
    });
    assert.equal(noUrl.status, 400, 'a dialog without a URL is refused');
});

test('a user who cannot read the channel cannot run its actions; unknown actions are 404', async () => {
    const w = await world();
    const button = hook('button', async () => [200, {ephemeral_text: 'should not happen'}]);
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.secret.id, message: 'private actions', props: {attachments: attachments(button, menu, users)},
    });
    const buttonId = actionsOf(post)[0].id;

    const {error, res} = await h.expectError(() => w.outsider.client.doPostAction(post.id, buttonId), 403, 'outsider doPostAction');
    assert.equal(error.server_error_id, 'api.context.permissions.app_error');
    h.assertMattermostError(res, 403);
    await h.expectError(() => w.outsider.client.getPost(post.id), 403, 'outsider getPost');
    await h.expectError(() => w.outsider.client.doPostAction(h.unknownId(), buttonId), 403, 'an unknown post');
    assert.equal(requestsTo(button.path).length, 0, 'the integration was never called');

    const missing = await h.expectError(() => w.clicker.client.doPostAction(post.id, 'nosuchaction'), 404, 'an unknown action');
    assert.equal(missing.error.server_error_id, 'api.post.do_action.action_id.app_error');
});

test('an integration failure is Mattermost\'s action_integration error', async () => {
    const w = await world();
    const button = hook('button', async () => [500, {error: 'boom'}]);
    const menu = hook('menu', async () => [200, 'this is not json']);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'failing', props: {attachments: attachments(button, menu, users)},
    });
    for (const [action, what] of [[actionsOf(post)[0], 'HTTP 500'], [actionsOf(post)[1], 'not JSON']]) {
        const {error, res} = await h.expectError(() => w.clicker.client.doPostAction(post.id, action.id, 'prod'), 400, what);
        assert.equal(error.server_error_id, 'api.post.do_action.action_integration.app_error', what);
        const body = h.assertMattermostError(res, 400);
        assert.ok(!body.detailed_error.includes(button.path), 'the error does not show the integration path');
    }
    const unchanged = await w.clicker.client.getPost(post.id);
    assert.equal(unchanged.message, 'failing');
});

test('an edit cannot change or reveal an action\'s integration', async () => {
    const w = await world();
    const button = hook('button', async () => [200, {}]);
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const post = await w.botClient.createPost({
        channel_id: w.channel.id, message: 'editable', props: {attachments: attachments(button, menu, users)},
    });
    // The bot edits with what it received (stripped) and tries to redirect the button.
    const props = JSON.parse(JSON.stringify(post.props));
    props.attachments[0].actions[0].integration = {url: `${integration.url}/hijack`, context: {evil: true}};
    const edited = await w.botClient.updatePost({...post, message: 'edited', props});
    assertNoIntegration(edited, 'updatePost answer');
    assert.deepEqual(actionsOf(edited).map((a) => a.id), actionsOf(post).map((a) => a.id));
    await w.clicker.client.doPostAction(post.id, actionsOf(post)[0].id);
    const request = await requestTo(button.path);
    assert.deepEqual(request.body.context, {secret: 'ctx-s3cr3t', build: 42}, 'the stored integration ran');
    assert.equal(requestsTo('/hijack').length, 0);
});

test('an ephemeral post\'s actions carry a sealed cookie that runs them; a changed cookie is refused', async () => {
    const w = await world();
    const ws = await listen(w.clicker.client);
    const button = hook('button', async () => [200, {ephemeral_text: 'cookie worked'}]);
    const menu = hook('menu', async () => [200, {}]);
    const users = hook('users', async () => [200, {}]);
    const {data: sent, res} = await h.observe(() => w.adminClient.createPostEphemeral(w.clicker.user.id, {
        channel_id: w.channel.id, message: 'only for you', props: {attachments: attachments(button, menu, users)},
    }));
    assert.equal(res.status, 201);
    assertNoIntegration(sent, 'createPostEphemeral answer');
    const event = await ws.event('ephemeral_message', (e) => postOf(e).id === sent.id);
    const post = postOf(event);
    assertNoIntegration(post, 'the ephemeral_message event');
    const action = actionsOf(post)[0];
    h.assertId(action.id, 'the ephemeral action\'s id');
    assert.equal(typeof action.cookie, 'string');
    assert.ok(action.cookie.length > 0);
    assert.ok(!Buffer.from(action.cookie, 'base64').toString('latin1').includes('127.0.0.1'), 'the cookie is encrypted');

    await h.expectError(() => w.clicker.client.doPostAction(post.id, action.id), 403,
        'without its cookie an ephemeral post cannot be found');
    const bytes = Buffer.from(action.cookie, 'base64');
    bytes[bytes.length - 1] ^= 1;
    const tampered = await h.expectError(
        () => w.clicker.client.doPostActionWithCookie(post.id, action.id, bytes.toString('base64')), 400, 'a changed cookie');
    assert.equal(tampered.error.server_error_id, 'api.post.do_action.action_integration.app_error');
    assert.equal(requestsTo(button.path).length, 0);

    const {data: answer} = await h.observe(() => w.clicker.client.doPostActionWithCookie(post.id, action.id, action.cookie));
    assert.equal(answer.status, 'OK');
    const body = (await requestTo(button.path)).body;
    assert.equal(body.post_id, post.id);
    assert.equal(body.channel_id, w.channel.id);
    assert.deepEqual(body.context, {secret: 'ctx-s3cr3t', build: 42});
    await ws.event('ephemeral_message', (e) => postOf(e).message === 'cookie worked');

    // A cookie runs nothing in a channel the user cannot read, nor for another post.
    const secretPost = await w.adminClient.createPostEphemeral(w.bystander.user.id, {
        channel_id: w.secret.id, message: 'secret ephemeral', props: {attachments: attachments(button, menu, users)},
    });
    const stolen = actionsOf(secretPost)[0];
    assert.ok(stolen.cookie, 'the sender gets the cookies too');
    await h.expectError(() => w.outsider.client.doPostActionWithCookie(secretPost.id, stolen.id, stolen.cookie), 403,
        'a cookie for a channel the user cannot read');
    await h.expectError(() => w.clicker.client.doPostActionWithCookie(h.unknownId(), action.id, action.cookie), 400,
        'a cookie of another post');
    assert.equal(requestsTo(button.path).length, 1, 'only the genuine click reached the integration');
});

test('a custom command\'s trigger id opens a dialog for its caller; its ephemeral attachments\' actions can be run', async () => {
    const w = await world();
    const ws = await listen(w.clicker.client);
    const clicked = hook('cmd-button', async () => [200, {ephemeral_text: 'the command\'s button ran'}]);
    let openStatus = 0;
    const command = hook('cmd', async (body) => {
        const fields = new URLSearchParams(body);
        const response = await fetch(`${h.MM_URL}/api/v4/actions/dialogs/open`, {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({trigger_id: fields.get('trigger_id'), url: `${integration.url}/never`, dialog: {title: 'From a command'}}),
        });
        openStatus = response.status;
        return [200, {response_type: 'ephemeral', text: 'pick one', attachments: [{text: 'choices', actions: [
            {name: 'Run', type: 'button', integration: {url: clicked.url, context: {secret: 'ctx-s3cr3t'}}},
        ]}]}];
    });
    const cmd = await w.adminClient.addCommand({
        team_id: w.team.id, trigger: `act${h.rand(6)}`, method: 'P', url: command.url, username: '', icon_url: '',
        auto_complete: false, auto_complete_desc: '', auto_complete_hint: '', display_name: 'Act', description: 'Acts',
    });

    const response = await w.clicker.client.executeCommand(`/${cmd.trigger}`, {channel_id: w.channel.id, team_id: w.team.id});
    assert.equal(openStatus, 200, 'the command\'s trigger id opened a dialog');
    const opened = JSON.parse((await ws.event('open_dialog')).data.dialog);
    assert.equal(opened.trigger_id, response.trigger_id, 'the dialog carries the trigger id the command answer gave');
    assert.equal(opened.dialog.title, 'From a command');

    const note = postOf(await ws.event('ephemeral_message', (e) => postOf(e).message === 'pick one'));
    assertNoIntegration(note, 'the command\'s ephemeral answer');
    const action = actionsOf(note)[0];
    h.assertId(action.id, 'the ephemeral action\'s id');
    assert.ok(action.cookie, 'the ephemeral action has a cookie');
    await w.clicker.client.doPostActionWithCookie(note.id, action.id, action.cookie);
    assert.deepEqual((await requestTo(clicked.path)).body.context, {secret: 'ctx-s3cr3t'});
    await ws.event('ephemeral_message', (e) => postOf(e).message === 'the command\'s button ran');
});

test('a bot sends an ephemeral post to a member of its channel; not to outsiders, not where it is not; members may not', async () => {
    const w = await world();
    const clickerWs = await listen(w.clicker.client);
    const bystanderWs = await listen(w.bystander.client);
    const route = `${w.botClient.getPostsRoute()}/ephemeral`;
    const send = (client, body) => client.doFetch(route, {method: 'post', body: JSON.stringify(body)});
    const word = `eph${h.rand(8)}`;

    const {data: sent, res} = await h.observe(() => send(w.botClient, {
        user_id: w.clicker.user.id,
        post: {channel_id: w.channel.id, message: `only you ${word}`},
    }));
    assert.equal(res.status, 201, `a bot sends an ephemeral post, got ${res.status}`);
    assert.equal(sent.user_id, w.bot.user_id, 'written as the bot');
    const ev = await clickerWs.event('ephemeral_message', (e) => postOf(e).message === `only you ${word}`);
    assert.equal(postOf(ev).channel_id, w.channel.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!bystanderWs.frames.some((e) => e.event === 'ephemeral_message' && postOf(e).message.includes(word)),
        'only the recipient gets it');
    const listed = await w.adminClient.getPosts(w.channel.id, 0, 60);
    assert.ok(!Object.values(listed.posts).some((p) => p.message.includes(word)), 'never stored');

    const {res: notMember} = await h.expectError(() => send(w.botClient, {
        user_id: w.outsider.user.id, post: {channel_id: w.channel.id, message: 'x'},
    }), 400, 'an ephemeral post to someone outside the channel');
    assert.match(notMember.body, /user_id/);

    const elsewhere = await h.newPublicChannel(w.adminClient, w.team.id, 'noeph');
    await w.adminClient.addToChannel(w.clicker.user.id, elsewhere.id);
    await h.expectError(() => send(w.botClient, {
        user_id: w.clicker.user.id, post: {channel_id: elsewhere.id, message: 'x'},
    }), 403, 'a bot in a channel it does not belong to');

    await h.expectError(() => send(w.clicker.client, {
        user_id: w.bystander.user.id, post: {channel_id: w.channel.id, message: 'x'},
    }), 403, 'a member sending an ephemeral post');
});
