'use strict';
// Built-in slash commands and custom statuses through Client4, as Mattermost
// serves them: api4/command.go (executeCommand, listCommands,
// listAutocompleteCommands, listCommandAutocompleteSuggestions) with
// app/command.go and app/slashcommands, api4/status.go custom status routes.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

async function world() {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('cmd');
    const me = await h.newUser('cmd');
    const other = await h.newUser('cmd');
    for (const u of [me, other]) {
        await adminClient.addToTeam(team.id, u.user.id);
    }
    const channel = await h.newPublicChannel(adminClient, team.id, 'cmd');
    await adminClient.addToChannel(me.user.id, channel.id);
    await adminClient.addToChannel(other.user.id, channel.id);
    return {adminClient, team, channel, me, other};
}

const run = (client, command, channel, extra = {}) => client.executeCommand(command, {channel_id: channel.id, team_id: channel.team_id, ...extra});

test('an unknown trigger is 404 api.command.execute_command.not_found.app_error naming the trigger; a message without one is 400', async () => {
    const {me, channel} = await world();
    const {error, res} = await h.expectError(() => run(me.client, '/nosuchcommand hello', channel), 404, 'unknown command');
    h.assertMattermostError(res, 404);
    assert.equal(error.server_error_id, 'api.command.execute_command.not_found.app_error');
    assert.match(JSON.parse(res.body).message, /'nosuchcommand'/);

    const {error: start} = await h.expectError(() => run(me.client, 'no slash', channel), 400, 'no leading slash');
    assert.equal(start.server_error_id, 'api.command.execute_command.start.app_error');
});

test('commands run only in channels one may post in (403), and never in another team\'s channel', async () => {
    const {adminClient, team} = await world();
    const outsider = await h.newUser('cmd');
    await adminClient.addToTeam(team.id, outsider.user.id);
    const secret = await adminClient.createChannel({team_id: team.id, name: `secret-${h.rand(8)}`, display_name: 'Secret', type: 'P'});
    const {res} = await h.expectError(() => run(outsider.client, '/echo hi', secret), 403, 'a command in a private channel one is not in');
    h.assertMattermostError(res, 403);
    const posts = await adminClient.getPosts(secret.id);
    assert.ok(!Object.values(posts.posts).some((p) => p.message === 'hi'), 'nothing was posted');
});

test('/me, /shrug, /code and /echo post as the caller, with Mattermost\'s text and types', async () => {
    const {me, channel, adminClient} = await world();
    const {data: response, res} = await h.observe(() => run(me.client, '/me is thinking', channel));
    assert.equal(res.status, 200);
    for (const key of ['response_type', 'text', 'username', 'channel_id', 'icon_url', 'type', 'goto_location', 'trigger_id', 'skip_slack_parsing']) {
        assert.ok(key in response, `CommandResponse has ${key}: ${res.body}`);
    }
    assert.equal(response.response_type, 'in_channel');
    assert.equal(response.type, 'me');
    await run(me.client, '/shrug oh well', channel);
    await run(me.client, '/code let x = 1;\nlet y = 2;', channel);
    await run(me.client, '/echo "said twice" 0', channel);

    const posts = await h.eventually(() => adminClient.getPosts(channel.id), (l) => Object.values(l.posts).some((p) => p.message === 'said twice'));
    const byMe = Object.values(posts.posts).filter((p) => p.user_id === me.user.id);
    const find = (pred, what) => {
        const p = byMe.find(pred);
        assert.ok(p, `${what}: ${JSON.stringify(byMe.map((x) => [x.type, x.message]))}`);
        return p;
    };
    const action = find((p) => p.message === '*is thinking*', '/me');
    assert.equal(action.type, 'me');
    find((p) => p.message.startsWith('oh well ') && p.message.includes('(ツ)'), '/shrug');
    find((p) => p.message === '    let x = 1;\n    let y = 2;', '/code indents every line');
    find((p) => p.message === 'said twice' && p.type === '', '/echo');
});

test('/echo with a delay posts later; an empty /code answers ephemerally and posts nothing', async () => {
    const {me, channel, adminClient} = await world();
    const word = `later${h.rand(8)}`;
    const started = Date.now();
    const answered = await run(me.client, `/echo ${word} 1`, channel);
    assert.equal(answered.text, '', 'nothing to show at once');
    const posts = await h.eventually(() => adminClient.getPosts(channel.id), (l) => Object.values(l.posts).some((p) => p.message === word), 5000);
    const post = Object.values(posts.posts).find((p) => p.message === word);
    assert.ok(post.create_at - started >= 900, `posted about a second later (${post.create_at - started} ms)`);

    const empty = await run(me.client, '/code', channel);
    assert.equal(empty.response_type, 'ephemeral');
    assert.ok(empty.text.length > 0);
});

test('/header, /purpose and /rename change the channel; /join goes to a channel; /leave leaves it', async () => {
    const {me, channel, team, adminClient} = await world();
    assert.deepEqual(await run(me.client, '/header the new header', channel), await run(me.client, '/purpose the new purpose', channel));
    await run(me.client, '/rename Renamed By Command', channel);
    const changed = await adminClient.getChannel(channel.id);
    assert.equal(changed.header, 'the new header');
    assert.equal(changed.purpose, 'the new purpose');
    assert.equal(changed.display_name, 'Renamed By Command');

    const other = await h.newPublicChannel(adminClient, team.id, 'cmdjoin');
    const joined = await run(me.client, `/join ~${other.name}`, channel);
    assert.match(joined.goto_location, new RegExp(`/${team.name}/channels/${other.name}$`), 'goto_location names the channel');
    assert.equal(joined.text, '');
    const member = await me.client.getChannelMember(other.id, me.user.id);
    assert.equal(member.user_id, me.user.id, 'joined');

    const missing = await run(me.client, '/join ~no-such-channel-here', channel);
    assert.equal(missing.response_type, 'ephemeral');
    assert.equal(missing.goto_location, '');

    const left = await run(me.client, '/leave', other);
    assert.match(left.goto_location, new RegExp(`/${team.name}/channels/town-square$`));
    await h.expectError(() => me.client.getChannelMember(other.id, me.user.id), 404, 'left');
});

test('/kick removes a member (with the permission), /invite adds one, /mute toggles mark_unread', async () => {
    const {me, other, channel, team, adminClient} = await world();
    const removed = await run(me.client, `/kick @${other.user.username}`, channel);
    assert.equal(removed.text, '');
    await h.expectError(() => adminClient.getChannelMember(channel.id, other.user.id), 404, 'the member was removed');
    const notThere = await run(me.client, `/kick @${other.user.username}`, channel);
    assert.match(notThere.text, new RegExp(other.user.username), 'says the user is not a member');

    await run(me.client, `/invite @${other.user.username}`, channel);
    assert.equal((await adminClient.getChannelMember(channel.id, other.user.id)).user_id, other.user.id, 'invited back');
    const again = await run(me.client, `/invite @${other.user.username}`, channel);
    assert.match(again.text, /already/);

    const muted = await run(me.client, '/mute', channel);
    assert.equal(muted.response_type, 'ephemeral');
    assert.equal((await me.client.getMyChannelMember(channel.id)).notify_props.mark_unread, 'mention');
    await run(me.client, '/mute', channel);
    assert.equal((await me.client.getMyChannelMember(channel.id)).notify_props.mark_unread, 'all');
    assert.ok(team.id);
});

test('/msg opens a direct message, posts the text and answers its goto_location', async () => {
    const {me, other, channel, team} = await world();
    const text = `hello ${h.rand(6)}`;
    const response = await run(me.client, `/msg @${other.user.username} ${text}`, channel);
    const dm = await me.client.createDirectChannel([me.user.id, other.user.id]);
    assert.equal(response.goto_location.endsWith(`/${team.name}/channels/${dm.name}`), true, response.goto_location);
    const posts = await other.client.getPosts(dm.id);
    assert.ok(Object.values(posts.posts).some((p) => p.message === text && p.user_id === me.user.id), 'the text was sent');

    const unknown = await run(me.client, '/msg @nobody-by-this-name hi', channel);
    assert.equal(unknown.response_type, 'ephemeral');
    assert.equal(unknown.goto_location, '');
});

test('GET /commands?team_id= lists the built-ins as Mattermost does; the team\'s autocomplete list too; outsiders are refused', async () => {
    const {me, team} = await world();
    const {data: list, res} = await h.observe(() => me.client.getCommandsList(team.id));
    assert.equal(res.status, 200);
    const triggers = list.map((c) => c.trigger);
    for (const t of ['away', 'online', 'offline', 'dnd', 'me', 'shrug', 'echo', 'join', 'open', 'leave', 'msg', 'groupmsg', 'invite', 'kick', 'remove', 'header', 'purpose', 'rename', 'mute', 'code', 'expand', 'collapse', 'status', 'help']) {
        assert.ok(triggers.includes(t), `/${t} is listed`);
    }
    const me_ = list.find((c) => c.trigger === 'me');
    assert.equal(me_.auto_complete, true);
    assert.equal(me_.id, '');
    assert.equal(me_.token, '', 'no token is ever listed');
    assert.equal(typeof me_.auto_complete_desc, 'string');
    assert.equal(me_.auto_complete_hint, '[message]');

    const auto = await me.client.getAutocompleteCommandsList(team.id);
    assert.deepEqual(auto.map((c) => c.trigger).sort(), [...triggers].sort());

    const outsider = await h.newUser('cmd');
    await h.expectError(() => outsider.client.getCommandsList(team.id), 403, 'commands of a team one is not in');
    await h.expectError(() => me.client.getCommandsList(''), 400, 'no team_id');
});

test('autocomplete_suggestions: a prefix lists matching triggers; a command and a space gives its hint; empty input is 400', async () => {
    const {me, team, channel} = await world();
    const {data: found, res} = await h.observe(() => me.client.getCommandAutocompleteSuggestionsList('/mu', team.id, {channel_id: channel.id}));
    assert.equal(res.status, 200);
    assert.deepEqual(found, [{Complete: 'mute', Suggestion: 'mute', Hint: '~[channel]', Description: found[0].Description, IconData: ''}]);
    const all = await me.client.getCommandAutocompleteSuggestionsList('/', team.id, {channel_id: channel.id});
    assert.ok(all.length >= 20, 'everything matches an empty prefix');
    const hint = await me.client.getCommandAutocompleteSuggestionsList('/rename ', team.id, {channel_id: channel.id});
    assert.deepEqual(hint.map((s) => [s.Complete, s.Suggestion, s.Hint]), [['rename ', '', '[text]']]);
    assert.deepEqual(await me.client.getCommandAutocompleteSuggestionsList('/zzz', team.id, {}), []);
    await h.expectError(() => me.client.getCommandAutocompleteSuggestionsList('', team.id, {}), 400, 'empty user_input');
});

test('custom status: set (emoji and text), read back on the user, recent list, clear, forget a recent one', async () => {
    const {me} = await world();
    const text = `On holiday ${h.rand(5)}`;
    const {data, res} = await h.observe(() => me.client.updateCustomStatus({emoji: 'palm_tree', text}));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    const user = await me.client.getMe();
    const current = JSON.parse(user.props.customStatus);
    assert.equal(current.emoji, 'palm_tree');
    assert.equal(current.text, text);

    const prefs = await me.client.getMyPreferences();
    const recentPref = prefs.find((p) => p.category === 'custom_status' && p.name === 'recent_custom_statuses');
    assert.ok(recentPref, 'the recent statuses are a preference, where the apps read them');
    const recent = JSON.parse(recentPref.value);
    assert.equal(recent[0].text, text);

    await me.client.unsetCustomStatus();
    assert.equal((await me.client.getMe()).props.customStatus, '', 'cleared');

    const forgotten = await me.client.removeRecentCustomStatus(recent[0]);
    assert.deepEqual(forgotten, {status: 'OK'});
    const after = JSON.parse((await me.client.getMyPreferences()).find((p) => p.name === 'recent_custom_statuses').value);
    assert.ok(!after.some((s) => s.text === text), 'no longer among the recent ones');
    const {res: gone} = await h.expectError(() => me.client.removeRecentCustomStatus(recent[0]), 400, 'forgetting it twice');
    h.assertMattermostError(gone, 400);
});

test('custom status: nothing to show, a past expiry or a bad duration is 400 naming custom_status; another user\'s is 403; /status sets one', async () => {
    const {me, other, channel} = await world();
    for (const bad of [{}, {emoji: 'smile', duration: 'one_hour', expires_at: '2001-01-01T00:00:00Z'}, {text: 'x', duration: 'forever', expires_at: '2999-01-01T00:00:00Z'}]) {
        const {res} = await h.expectError(() => me.client.updateCustomStatus(bad), 400, `status ${JSON.stringify(bad)}`);
        h.assertMattermostError(res, 400);
        assert.match(JSON.parse(res.body).message, /custom_status/);
    }
    const {res} = await h.expectError(() => me.client.doFetch(`${me.client.getUserRoute(other.user.id)}/status/custom`, {method: 'put', body: JSON.stringify({emoji: 'smile', text: 'hacked'})}), 403, 'another user\'s status');
    h.assertMattermostError(res, 403);
    assert.ok(!((await other.client.getMe()).props || {}).customStatus, 'the other user has no status');

    const reply = await run(me.client, '/status :coffee: Short break', channel);
    assert.equal(reply.response_type, 'ephemeral');
    const set = JSON.parse((await me.client.getMe()).props.customStatus);
    assert.deepEqual([set.emoji, set.text], ['coffee', 'Short break']);
    await run(me.client, '/status clear', channel);
    assert.equal((await me.client.getMe()).props.customStatus, '');
});

test('an expired custom status is not shown to anyone', async () => {
    const {me, other} = await world();
    const soon = new Date(Date.now() + 1500).toISOString();
    await me.client.updateCustomStatus({emoji: 'hourglass', text: 'brief', duration: 'date_and_time', expires_at: soon});
    assert.ok(JSON.parse((await other.client.getUser(me.user.id)).props.customStatus).text === 'brief', 'shown while it lasts');
    await h.sleep(1700);
    const later = await other.client.getUser(me.user.id);
    assert.ok(!(later.props || {}).customStatus, `gone once expired: ${JSON.stringify(later.props)}`);
});
