'use strict';
// Custom slash commands through Client4, as Mattermost serves them:
// api4/command.go (createCommand, listCommands, getCommand, updateCommand,
// moveCommand, deleteCommand, regenCommandToken, listAutocompleteCommands,
// executeCommand), app/command.go (the request to the integration and the
// handling of its answer) and web/webhook.go (POST /hooks/commands/{id}, the
// response_url).
//
// The integration is real: an HTTP server this file starts on 127.0.0.1,
// which the server may call because scripts/compat lists 127.0.0.1 in
// allowed_untrusted_internal_connections (and gives integrations 3 seconds).

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const WebSocket = require('ws');
const h = require('../lib/helpers');

// ---------------------------------------------------------------------------
// The integration: records every request and answers by path.

const servers = [];
after(() => {
    for (const server of servers) {
        server.closeAllConnections();
        server.close();
    }
});

async function integration() {
    const requests = [];
    const routes = {};
    const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
            body += chunk;
        });
        req.on('end', () => {
            const url = new URL(req.url, 'http://integration');
            const form = req.method === 'GET' ? url.searchParams : new URLSearchParams(body);
            const fields = {};
            for (const [key, value] of form) {
                fields[key] = key in fields ? [].concat(fields[key], value) : value;
            }
            const seen = {method: req.method, path: url.pathname, headers: req.headers, body, fields};
            requests.push(seen);
            const route = routes[url.pathname];
            if (route) {
                route(seen, res);
            } else {
                res.writeHead(404).end();
            }
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const base = `http://127.0.0.1:${server.address().port}`;
    return {
        base,
        requests,
        // Answers requests to `path` with `handler(seen, res)`; returns the URL.
        on(path, handler) {
            routes[path] = handler;
            return base + path;
        },
        last(path) {
            const found = requests.filter((r) => r.path === path);
            assert.ok(found.length > 0, `the integration got no request on ${path}`);
            return found[found.length - 1];
        },
    };
}

const json = (body, status = 200) => (seen, res) => {
    res.writeHead(status, {'Content-Type': 'application/json'});
    res.end(JSON.stringify(body));
};
const plain = (text, status = 200) => (seen, res) => {
    res.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8'});
    res.end(text);
};

// ---------------------------------------------------------------------------
// A socket that collects what the server sends one user.

const sockets = [];
after(() => sockets.forEach((ws) => ws.terminate()));

async function listen(account) {
    const url = h.MM_URL.replace(/^http/i, 'ws') + '/api/v4/websocket';
    const ws = new WebSocket(url, {headers: {Authorization: `Bearer ${account.client.getToken()}`}});
    sockets.push(ws);
    const events = [];
    const waiters = [];
    ws.on('message', (data) => {
        let frame;
        try {
            frame = JSON.parse(data.toString());
        } catch (err) {
            return;
        }
        if (!frame.event) {
            return;
        }
        events.push(frame);
        for (const w of [...waiters]) {
            if (w.pred(frame)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(frame);
            }
        }
    });
    await new Promise((resolve, reject) => {
        ws.once('error', reject);
        const hello = {pred: (f) => f.event === 'hello', resolve};
        waiters.push(hello);
    });
    return {
        events,
        waitFor(pred, what, timeoutMs = 5000) {
            const found = events.find(pred);
            if (found) {
                return Promise.resolve(found);
            }
            return new Promise((resolve, reject) => {
                const w = {pred, resolve};
                waiters.push(w);
                setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`)), timeoutMs);
            });
        },
    };
}

// ---------------------------------------------------------------------------
// The world: a team with an admin who manages commands (owner), a second
// team admin, a plain member (no command permissions) and an outsider.

async function world() {
    const {client: adminClient, user: adminUser} = await h.admin();
    const team = await h.newTeam('cmds');
    const [owner, colleague, member, outsider] = await h.users(4);
    for (const u of [owner, colleague, member]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    await adminClient.updateTeamMemberSchemeRoles(team.id, owner.user.id, true, true);
    await adminClient.updateTeamMemberSchemeRoles(team.id, colleague.user.id, true, true);
    await adminClient.updateTeamMemberSchemeRoles(team.id, member.user.id, true, false);
    const channel = await h.newPublicChannel(adminClient, team.id, 'cmds');
    for (const u of [owner, colleague, member]) {
        await adminClient.addToChannel(u.user.id, channel.id);
    }
    const hook = await integration();
    return {adminClient, adminUser, team, channel, owner, colleague, member, outsider, hook};
}

const newCommand = (team, url, extra = {}) => ({
    team_id: team.id,
    trigger: `t${h.rand(8)}`,
    method: 'P',
    url,
    username: '',
    icon_url: '',
    auto_complete: true,
    auto_complete_desc: 'Runs the thing',
    auto_complete_hint: '[what]',
    display_name: 'The thing',
    description: 'Does the thing',
    ...extra,
});

const run = (account, command, channel, extra = {}) => account.client.executeCommand(command, {channel_id: channel.id, team_id: channel.team_id, ...extra});

const commandRoute = (client, id) => `${client.getCommandsRoute()}/${id}`;

async function postsOf(client, channelId, pred, what) {
    const list = await h.eventually(() => client.getPosts(channelId), (l) => Object.values(l.posts).some(pred));
    const found = Object.values(list.posts).filter(pred);
    assert.ok(found.length > 0, `${what}: ${JSON.stringify(Object.values(list.posts).map((p) => p.message))}`);
    return found;
}

// ---------------------------------------------------------------------------
// Management

test('a team admin creates a command (201) with a token; its trigger is lower-cased and the request names no secret', async () => {
    const {team, owner, hook} = await world();
    const url = hook.on('/create', json({text: 'x'}));
    const input = newCommand(team, url, {trigger: `Deploy${h.rand(6)}`, username: 'deploybot', icon_url: 'https://example.com/bot.png'});
    const {data: created, res} = await h.observe(() => owner.client.addCommand(input));
    assert.equal(res.status, 201);
    h.assertId(created.id, 'command id');
    h.assertId(created.token, 'command token');
    h.assertMillis(created.create_at, 'create_at');
    assert.equal(created.update_at, created.create_at);
    assert.equal(created.delete_at, 0);
    assert.equal(created.creator_id, owner.user.id);
    assert.equal(created.team_id, team.id);
    assert.equal(created.trigger, input.trigger.toLowerCase());
    assert.equal(created.method, 'P');
    assert.equal(created.url, url);
    assert.equal(created.username, 'deploybot');
    assert.equal(created.icon_url, 'https://example.com/bot.png');
    assert.equal(created.auto_complete, true);
    assert.equal(created.auto_complete_desc, 'Runs the thing');
    assert.equal(created.auto_complete_hint, '[what]');
    assert.equal(created.display_name, 'The thing');
    assert.equal(created.description, 'Does the thing');
    assert.equal(created.plugin_id, '');
    assert.equal(hook.requests.length, 0, 'saving a command calls nothing');
});

test('triggers and URLs are checked as Mattermost does: unique per team, not a built-in, no slash or space, http(s) only', async () => {
    const {team, owner, hook} = await world();
    const url = hook.on('/checks', json({text: 'x'}));
    const first = await owner.client.addCommand(newCommand(team, url));
    const cases = [
        [{trigger: first.trigger.toUpperCase()}, 'api.command.duplicate_trigger.app_error', 'a live trigger of the team'],
        [{trigger: 'echo'}, 'api.command.duplicate_trigger.app_error', 'a built-in\'s trigger'],
        [{trigger: '/slashed'}, 'model.command.is_valid.trigger.app_error', 'a leading slash'],
        [{trigger: 'two words'}, 'model.command.is_valid.trigger.app_error', 'a space'],
        [{trigger: 'x'.repeat(129)}, 'model.command.is_valid.trigger.app_error', 'a trigger over 128 characters'],
        [{url: 'ftp://example.com/x'}, 'model.command.is_valid.url.app_error', 'a non-http URL'],
        [{url: ''}, 'model.command.is_valid.url.app_error', 'no URL'],
        [{method: 'X'}, 'model.command.is_valid.method.app_error', 'an unknown method'],
        [{display_name: 'd'.repeat(65)}, 'model.command.is_valid.display_name.app_error', 'a long display name'],
        [{description: 'd'.repeat(129)}, 'model.command.is_valid.description.app_error', 'a long description'],
    ];
    for (const [change, id, what] of cases) {
        const {error, res} = await h.expectError(() => owner.client.addCommand(newCommand(team, url, change)), 400, what);
        h.assertMattermostError(res, 400);
        assert.equal(error.server_error_id, id, what);
    }
    const elsewhere = await h.newTeam('cmds');
    const {client: adminClient} = await h.admin();
    const again = await adminClient.addCommand(newCommand(elsewhere, url, {trigger: first.trigger}));
    assert.equal(again.trigger, first.trigger, 'another team may use the same trigger');
});

test('the owner lists tokens with custom_only; the team sees commands without secrets; members and outsiders cannot manage them', async () => {
    const {team, owner, member, outsider, hook} = await world();
    const url = hook.on('/list', json({text: 'x'}));
    const shown = await owner.client.addCommand(newCommand(team, url));
    const hidden = await owner.client.addCommand(newCommand(team, url, {auto_complete: false}));

    const custom = await owner.client.getCustomTeamCommands(team.id);
    assert.deepEqual(custom.map((c) => c.id).sort(), [shown.id, hidden.id].sort(), 'custom_only lists the team\'s commands');
    assert.ok(custom.every((c) => c.token.length === 26 && c.url === url), 'with tokens and URLs, for those who manage them');

    const all = await owner.client.getCommandsList(team.id);
    assert.ok(all.some((c) => c.trigger === 'echo' && c.id === ''), 'built-ins are listed');
    const mine = all.filter((c) => c.id === shown.id || c.id === hidden.id);
    assert.equal(mine.length, 2, 'and the custom commands one manages');
    for (const c of mine) {
        assert.equal(c.token, '', 'listed without a token');
        assert.equal(c.url, '', 'or a URL');
        assert.equal(c.creator_id, '');
    }

    // A plain member sees what the / list offers, never a secret.
    const offered = await member.client.getCommandsList(team.id);
    assert.ok(offered.some((c) => c.trigger === shown.trigger), 'auto_complete commands are offered');
    assert.ok(!offered.some((c) => c.trigger === hidden.trigger), 'others are not');
    assert.ok(offered.every((c) => c.token === '' && c.url === ''), 'no secrets');
    const auto = await member.client.getAutocompleteCommandsList(team.id);
    const autoShown = auto.find((c) => c.trigger === shown.trigger);
    assert.ok(autoShown, '/teams/{id}/commands/autocomplete offers it');
    assert.equal(autoShown.token, '');
    assert.equal(autoShown.auto_complete_hint, '[what]');
    assert.ok(auto.some((c) => c.trigger === 'echo'), 'with the built-ins');
    assert.ok(!auto.some((c) => c.trigger === hidden.trigger));
    const suggestions = await member.client.getCommandAutocompleteSuggestionsList(`/${shown.trigger.slice(0, 4)}`, team.id, {});
    assert.ok(suggestions.some((s) => s.Complete === shown.trigger && s.Description === 'Runs the thing'), `suggested: ${JSON.stringify(suggestions)}`);

    const {error: noCustom} = await h.expectError(() => member.client.getCustomTeamCommands(team.id), 403, 'custom_only without manage_own_slash_commands');
    assert.equal(noCustom.status_code, 403);
    await h.expectError(() => member.client.addCommand(newCommand(team, url)), 403, 'a member creating a command');
    for (const [who, account] of [['a member', member], ['an outsider', outsider]]) {
        const {error} = await h.expectError(() => account.client.doFetch(commandRoute(account.client, shown.id), {method: 'get'}), 404, `${who} reading a command`);
        assert.equal(error.server_error_id, 'store.sql_command.save.get.app_error');
        await h.expectError(() => account.client.editCommand({...shown, description: 'mine now'}), 404, `${who} editing`);
        await h.expectError(() => account.client.regenCommandToken(shown.id), 404, `${who} regenerating the token`);
        await h.expectError(() => account.client.deleteCommand(shown.id), 404, `${who} deleting`);
    }
    await h.expectError(() => outsider.client.getCommandsList(team.id), 403, 'an outsider listing');
    await h.expectError(() => outsider.client.getCustomTeamCommands(team.id), 403, 'an outsider listing tokens');
    await h.expectError(() => outsider.client.getAutocompleteCommandsList(team.id), 403, 'an outsider\'s autocomplete');
    await h.expectError(() => outsider.client.addCommand(newCommand(team, url)), 403, 'an outsider creating');
    const still = await owner.client.doFetch(commandRoute(owner.client, shown.id), {method: 'get'});
    assert.equal(still.token, shown.token, 'nothing changed');
    assert.equal(still.description, shown.description);
});

test('editing keeps id, token, creator and team; regen_token answers {token}; move needs the new team; delete frees the trigger', async () => {
    const {adminClient, team, owner, colleague, hook} = await world();
    const url = hook.on('/edit', json({text: 'x'}));
    const cmd = await owner.client.addCommand(newCommand(team, url));

    const trigger = `e${h.rand(8)}`;
    const {data: edited, res} = await h.observe(() => colleague.client.editCommand({...cmd, trigger, method: 'G', description: 'changed', token: 'ignored', creator_id: colleague.user.id}));
    assert.equal(res.status, 200, 'a team admin may edit another\'s command');
    assert.equal(edited.id, cmd.id);
    assert.equal(edited.token, cmd.token, 'the token is not changed by an edit');
    assert.equal(edited.creator_id, owner.user.id, 'nor the creator');
    assert.equal(edited.trigger, trigger);
    assert.equal(edited.method, 'G');
    assert.equal(edited.description, 'changed');
    assert.ok(edited.update_at >= cmd.update_at);

    const other = await h.newTeam('cmds');
    const {error: mismatch} = await h.expectError(() => owner.client.editCommand({...edited, team_id: other.id}), 400, 'an edit that changes the team');
    assert.equal(mismatch.server_error_id, 'api.command.team_mismatch.app_error');
    const {error: wrongId} = await h.expectError(() => owner.client.doFetch(commandRoute(owner.client, cmd.id), {method: 'put', body: JSON.stringify({...edited, id: h.unknownId()})}), 400, 'a body id that is not the path\'s');
    assert.equal(wrongId.server_error_id, 'api.context.invalid_body_param.app_error');

    const {data: regen, res: regenRes} = await h.observe(() => owner.client.regenCommandToken(cmd.id));
    assert.equal(regenRes.status, 200);
    assert.deepEqual(Object.keys(regen), ['token']);
    h.assertId(regen.token, 'new token');
    assert.notEqual(regen.token, cmd.token);
    assert.equal((await owner.client.getCustomTeamCommands(team.id)).find((c) => c.id === cmd.id).token, regen.token);

    // Moving: the caller and the creator must both manage commands in the new team.
    const moveTo = (client, teamId) => client.doFetch(`${commandRoute(client, cmd.id)}/move`, {method: 'put', body: JSON.stringify({team_id: teamId})});
    await h.expectError(() => moveTo(owner.client, other.id), 403, 'moving to a team one is not in');
    await adminClient.addToTeam(other.id, colleague.user.id);
    await adminClient.updateTeamMemberSchemeRoles(other.id, colleague.user.id, true, true);
    const {error: creatorOut} = await h.expectError(() => moveTo(colleague.client, other.id), 400, 'moving to a team where the creator may not manage commands');
    assert.equal(creatorOut.server_error_id, 'api.command.move_command.creator_no_permission.app_error');
    await adminClient.addToTeam(other.id, owner.user.id);
    await adminClient.updateTeamMemberSchemeRoles(other.id, owner.user.id, true, true);
    const {data: moved, res: movedRes} = await h.observe(() => moveTo(owner.client, other.id));
    assert.equal(movedRes.status, 200);
    assert.deepEqual(moved, {status: 'OK'});
    assert.ok((await owner.client.getCustomTeamCommands(other.id)).some((c) => c.id === cmd.id), 'listed in the new team');
    assert.ok(!(await owner.client.getCustomTeamCommands(team.id)).some((c) => c.id === cmd.id), 'and no longer in the old one');

    const {data: deleted} = await h.observe(() => owner.client.deleteCommand(cmd.id));
    assert.deepEqual(deleted, {status: 'OK'});
    await h.expectError(() => owner.client.doFetch(commandRoute(owner.client, cmd.id), {method: 'get'}), 404, 'a deleted command');
    await h.expectError(() => owner.client.deleteCommand(cmd.id), 404, 'deleting twice');
    const reused = await owner.client.addCommand(newCommand(other, url, {trigger}));
    assert.equal(reused.trigger, trigger, 'the trigger is free again');
});

// ---------------------------------------------------------------------------
// Running

test('a POST command sends Mattermost\'s form to the integration and posts its in_channel answer as the caller', async () => {
    const {adminClient, team, channel, owner, member, hook} = await world();
    const url = hook.on('/deploy', json({
        response_type: 'in_channel',
        text: 'Deploying <https://ci.example.com/7|build 7> for <!here>',
        username: 'ci-bot',
        icon_url: 'https://example.com/ci.png',
        props: {ticket: 'OPS-1'},
    }));
    const cmd = await owner.client.addCommand(newCommand(team, url, {trigger: `deploy${h.rand(6)}`}));

    const {data: response, res} = await h.observe(() => run(member, `/${cmd.trigger} prod now @${owner.user.username} ~${channel.name}`, channel));
    assert.equal(res.status, 200);
    assert.equal(response.response_type, 'in_channel');
    assert.ok(response.trigger_id.length > 0, 'the caller gets a trigger id');

    const seen = hook.last('/deploy');
    assert.equal(seen.method, 'POST');
    assert.match(seen.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.equal(seen.headers.authorization, `Token ${cmd.token}`);
    assert.equal(seen.headers.accept, 'application/json');
    const f = seen.fields;
    assert.equal(f.token, cmd.token);
    assert.equal(f.team_id, team.id);
    assert.equal(f.team_domain, team.name);
    assert.equal(f.channel_id, channel.id);
    assert.equal(f.channel_name, channel.name);
    assert.equal(f.user_id, member.user.id);
    assert.equal(f.user_name, member.user.username);
    assert.equal(f.command, `/${cmd.trigger}`);
    assert.equal(f.text, `prod now @${owner.user.username} ~${channel.name}`);
    // As on Mattermost, the integration gets the signed trigger id and the
    // caller only its own id, which the open_dialog event of a dialog opened with it carries.
    assert.ok(Buffer.from(f.trigger_id, 'base64').toString('utf8').startsWith(`${response.trigger_id}:`),
        'the caller gets the id of the trigger the integration got');
    assert.notEqual(f.trigger_id, response.trigger_id, 'the caller does not get the signed trigger id');
    assert.match(f.response_url, /^https?:\/\/.+\/hooks\/commands\/[a-z0-9]{26}$/);
    assert.equal(f.user_mentions, owner.user.username);
    assert.equal(f.user_mentions_ids, owner.user.id);
    assert.equal(f.channel_mentions, channel.name);
    assert.equal(f.channel_mentions_ids, channel.id);

    const [post] = await postsOf(adminClient, channel.id, (p) => p.message.startsWith('Deploying'), 'the in_channel answer');
    assert.equal(post.message, 'Deploying [build 7](https://ci.example.com/7) for @here', 'Slack links and announcements are rewritten');
    assert.equal(post.user_id, member.user.id, 'posted as the caller');
    assert.equal(post.props.from_webhook, 'true');
    assert.equal(post.props.override_username, 'ci-bot');
    assert.equal(post.props.override_icon_url, 'https://example.com/ci.png');
    assert.equal(post.props.ticket, 'OPS-1');
});

test('a GET command sends the fields as a query; the command\'s own name and icon come first; skip_slack_parsing keeps the text', async () => {
    const {adminClient, team, channel, owner, hook} = await world();
    const url = hook.on('/status', json({response_type: 'in_channel', text: 'raw <https://x.example|x>', username: 'answer-name', skip_slack_parsing: true}));
    const cmd = await owner.client.addCommand(newCommand(team, `${url}?fixed=1`, {method: 'G', username: 'command-name', icon_url: 'https://example.com/cmd.png'}));
    await run(owner, `/${cmd.trigger} all`, channel);
    const seen = hook.last('/status');
    assert.equal(seen.method, 'GET');
    assert.equal(seen.body, '');
    assert.equal(seen.fields.fixed, '1', 'the URL\'s own query is kept');
    assert.equal(seen.fields.text, 'all');
    assert.equal(seen.fields.token, cmd.token);
    assert.equal(seen.headers.authorization, `Token ${cmd.token}`);
    const [post] = await postsOf(adminClient, channel.id, (p) => p.message.startsWith('raw'), 'the answer');
    assert.equal(post.message, 'raw <https://x.example|x>');
    assert.equal(post.props.override_username, 'command-name');
    assert.equal(post.props.override_icon_url, 'https://example.com/cmd.png');
});

test('an ephemeral answer reaches only the caller as ephemeral_message and is never stored; a plain-text answer is ephemeral too', async () => {
    const {adminClient, team, channel, owner, member, hook} = await world();
    const word = `secret${h.rand(8)}`;
    const url = hook.on('/whisper', json({response_type: 'ephemeral', text: `only you: ${word}`}));
    const plainUrl = hook.on('/plain', plain(`plain ${word}`));
    const cmd = await owner.client.addCommand(newCommand(team, url));
    const plainCmd = await owner.client.addCommand(newCommand(team, plainUrl));
    const mine = await listen(member);
    const theirs = await listen(owner);

    const response = await run(member, `/${cmd.trigger}`, channel);
    assert.equal(response.response_type, 'ephemeral');
    const ev = await mine.waitFor((e) => e.event === 'ephemeral_message' && JSON.parse(e.data.post).message.includes(word), 'ephemeral_message');
    assert.equal(ev.broadcast.user_id, member.user.id);
    const post = JSON.parse(ev.data.post);
    assert.equal(post.type, 'system_ephemeral');
    assert.equal(post.channel_id, channel.id);
    assert.equal(post.user_id, member.user.id);
    assert.equal(post.props.from_webhook, 'true');

    const plainResponse = await run(member, `/${plainCmd.trigger}`, channel);
    assert.equal(plainResponse.text, `plain ${word}`, 'a body that is not JSON is the text');
    assert.equal(plainResponse.response_type, '');
    await mine.waitFor((e) => e.event === 'ephemeral_message' && JSON.parse(e.data.post).message === `plain ${word}`, 'the plain-text answer');

    // A post after both makes sure the owner's socket had its chance.
    const marker = await adminClient.createPost({channel_id: channel.id, message: `marker ${word}`});
    await theirs.waitFor((e) => e.event === 'posted' && JSON.parse(e.data.post).id === marker.id, 'the marker post');
    assert.ok(!theirs.events.some((e) => e.event === 'ephemeral_message'), 'nobody else gets it');
    const stored = await adminClient.getPosts(channel.id);
    assert.ok(!Object.values(stored.posts).some((p) => p.message.includes(`only you: ${word}`) || p.message === `plain ${word}`), 'never stored');
});

test('attachments, extra_responses and goto_location are handled as Mattermost does', async () => {
    const {adminClient, team, channel, owner, hook} = await world();
    const tag = h.rand(8);
    const url = hook.on('/report', json({
        response_type: 'in_channel',
        text: '',
        goto_location: 'https://example.com/report',
        attachments: [{fallback: 'f', color: '#36a64f', title: `Report ${tag}`, text: 'see <https://example.com/r|the report>', fields: [{title: 'Builds', value: 7, short: true}]}],
        extra_responses: [
            {response_type: 'in_channel', text: `extra one ${tag}`},
            {response_type: 'ephemeral', text: `extra two ${tag}`},
        ],
    }));
    const cmd = await owner.client.addCommand(newCommand(team, url));
    const socket = await listen(owner);
    const response = await run(owner, `/${cmd.trigger}`, channel);
    assert.equal(response.goto_location, 'https://example.com/report', 'the client is told where to go');
    assert.equal(response.extra_responses.length, 2);

    const [withAttachment] = await postsOf(adminClient, channel.id, (p) => p.props && Array.isArray(p.props.attachments), 'the attachment post');
    assert.equal(withAttachment.type, 'slack_attachment');
    assert.equal(withAttachment.message, '');
    const [attachment] = withAttachment.props.attachments;
    assert.equal(attachment.title, `Report ${tag}`);
    assert.equal(attachment.color, '#36a64f');
    assert.equal(attachment.text, 'see [the report](https://example.com/r)');
    assert.equal(attachment.fields[0].value, '7', 'field values become strings');
    await postsOf(adminClient, channel.id, (p) => p.message === `extra one ${tag}`, 'the in_channel extra response');
    await socket.waitFor((e) => e.event === 'ephemeral_message' && JSON.parse(e.data.post).message === `extra two ${tag}`, 'the ephemeral extra response');
});

test('the response_url posts again later, as the caller, up to five times; unknown ids are 404', async () => {
    const {adminClient, team, channel, owner, member, hook} = await world();
    const url = hook.on('/later', json({response_type: 'ephemeral', text: 'working on it'}));
    const cmd = await owner.client.addCommand(newCommand(team, url));
    await run(member, `/${cmd.trigger}`, channel);
    const responseUrl = hook.last('/later').fields.response_url;
    const site = new URL(h.MM_URL);
    const target = new URL(responseUrl);
    target.protocol = site.protocol;
    target.host = site.host;

    const tag = h.rand(8);
    for (let i = 1; i <= 5; i++) {
        const res = await fetch(target, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({response_type: 'in_channel', text: `done ${tag} #${i}`})});
        assert.equal(res.status, 200, `use ${i}: ${await res.clone().text()}`);
        assert.equal(await res.text(), 'ok');
    }
    const later = await postsOf(adminClient, channel.id, (p) => p.message.startsWith(`done ${tag}`), 'the later answers');
    assert.equal(later.length, 5);
    for (const post of later) {
        assert.equal(post.user_id, member.user.id, 'as the caller');
        assert.equal(post.props.from_webhook, 'true');
    }
    const sixth = await fetch(target, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({response_type: 'in_channel', text: 'too many'})});
    assert.equal(sixth.status, 400);
    assert.equal((await sixth.json()).id, 'app.command_webhook.try_use.invalid');

    const unknown = await fetch(`${h.MM_URL}/hooks/commands/${h.unknownId()}`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{"text":"x"}'});
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).id, 'app.command_webhook.get.missing');
    const garbled = await fetch(target, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{not json'});
    assert.equal(garbled.status, 400);
    assert.equal((await garbled.json()).id, 'web.command_webhook.parse.app_error');
});

test('an integration that times out, fails or answers nothing reaches the caller as Mattermost\'s error naming the trigger', async () => {
    const {adminClient, team, channel, owner, hook} = await world();
    const slowUrl = hook.on('/slow', (seen, res) => setTimeout(() => json({text: 'too late'})(seen, res), 5000));
    const brokenUrl = hook.on('/broken', plain('internal trouble', 500));
    const emptyUrl = hook.on('/empty', (seen, res) => {
        res.writeHead(200, {'Content-Type': 'application/json'});
        res.end();
    });
    const badUrl = hook.on('/bad', (seen, res) => {
        res.writeHead(200, {'Content-Type': 'application/json'});
        res.end('{"text": ');
    });
    const cases = [
        [slowUrl, 'api.command.execute_command.failed.app_error', 'a timeout'],
        [brokenUrl, 'api.command.execute_command.failed_resp.app_error', 'a 500'],
        [emptyUrl, 'api.command.execute_command.failed_empty.app_error', 'an empty JSON body'],
        [badUrl, 'api.command.execute_command.failed.app_error', 'unreadable JSON'],
        ['http://127.0.0.1:9/closed', 'api.command.execute_command.failed.app_error', 'a refused connection'],
    ];
    for (const [url, id, what] of cases) {
        const cmd = await owner.client.addCommand(newCommand(team, url));
        const {error, res} = await h.expectError(() => run(owner, `/${cmd.trigger} go`, channel), 502, what);
        const body = h.assertMattermostError(res, 502);
        assert.equal(error.server_error_id, id, what);
        assert.ok(body.message.includes(`/${cmd.trigger}`), `${what}: the message names the trigger: ${body.message}`);
        assert.ok(!body.message.includes(cmd.token), `${what}: never the token`);
    }
    const posts = await adminClient.getPosts(channel.id);
    assert.ok(!Object.values(posts.posts).some((p) => p.message === 'too late' || p.message === 'internal trouble'), 'nothing was posted');
});

test('a deleted command no longer runs and its integration is not called; built-ins run as before', async () => {
    const {team, channel, owner, hook} = await world();
    const url = hook.on('/gone', json({text: 'still here'}));
    const cmd = await owner.client.addCommand(newCommand(team, url));
    await owner.client.deleteCommand(cmd.id);
    const before = hook.requests.length;
    const {error} = await h.expectError(() => run(owner, `/${cmd.trigger}`, channel), 404, 'a deleted command');
    assert.equal(error.server_error_id, 'api.command.execute_command.not_found.app_error');
    assert.equal(hook.requests.length, before, 'the integration is not called');
    const me = await run(owner, '/me is still here', channel);
    assert.equal(me.response_type, 'in_channel');
    assert.equal(me.type, 'me');
});
