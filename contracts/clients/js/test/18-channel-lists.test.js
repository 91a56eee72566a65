'use strict';
// Channel lists and conversions through Client4, as Mattermost serves them
// (api4/channel.go): searchAllChannels (system console and the apps' own
// system_console=false search), getAllChannels, getPrivateChannelsForTeam,
// getPublicChannelsByIdsForTeam, searchArchivedChannels, searchGroupChannels,
// updateChannel, getGroupMessageMembersCommonTeams and
// convertGroupMessageToChannel; api4/system.go getSupportedTimezones and
// api4/agents.go getAgentsStatus.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

async function call(client, path, method, body) {
    return client.doFetch(`${client.getBaseRoute()}${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body)});
}

async function world() {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('clist');
    const me = await h.newUser('clist');
    await adminClient.addToTeam(team.id, me.user.id);
    const tag = h.rand(8).replace(/[^a-z]/g, 'x');
    const open = await adminClient.createChannel({team_id: team.id, name: `open-${tag}`, display_name: `Open ${tag}`, type: 'O'});
    const secret = await adminClient.createChannel({team_id: team.id, name: `secret-${tag}`, display_name: `Secret ${tag}`, type: 'P'});
    return {adminClient, team, me, tag, open, secret};
}

test('POST /channels/search: admins find every channel with its team; others are refused; system_console=false searches one\'s own', async () => {
    const {adminClient, team, me, tag, open, secret} = await world();
    const {data: found, res} = await h.observe(() => call(adminClient, '/channels/search', 'post', {term: tag}));
    assert.equal(res.status, 200);
    assert.deepEqual(found.map((c) => c.id).sort(), [open.id, secret.id].sort(), 'public and private channels');
    const first = found.find((c) => c.id === open.id);
    assert.equal(first.team_name, team.name);
    assert.equal(first.team_display_name, team.display_name);
    assert.equal(typeof first.team_update_at, 'number');

    const onlyPrivate = await call(adminClient, '/channels/search', 'post', {term: tag, private: true});
    assert.deepEqual(onlyPrivate.map((c) => c.id), [secret.id]);
    const paged = await call(adminClient, '/channels/search', 'post', {term: tag, page: 0, per_page: 1});
    assert.equal(paged.total_count, 2);
    assert.equal(paged.channels.length, 1);

    const {res: refused} = await h.expectError(() => call(me.client, '/channels/search', 'post', {term: tag}), 403, 'a user searching every channel');
    h.assertMattermostError(refused, 403);

    const mine = await call(me.client, '/channels/search?system_console=false', 'post', {term: tag});
    assert.deepEqual(mine.map((c) => c.id), [open.id], 'the user finds the public channel, not the private one');
    await adminClient.deleteChannel(open.id);
    const archived = await call(me.client, '/channels/search?system_console=false', 'post', {term: tag, deleted: true});
    assert.deepEqual(archived.map((c) => c.id), [open.id], 'archived channels with deleted: true');
});

test('GET /channels lists every team channel for admins (403 otherwise); GET /teams/{id}/channels/private a team\'s private ones', async () => {
    const {adminClient, team, me, secret, open} = await world();
    const all = await call(adminClient, '/channels?per_page=200&include_total_count=true', 'get');
    assert.ok(all.total_count >= 2);
    assert.ok(Array.isArray(all.channels));
    await h.expectError(() => call(me.client, '/channels', 'get'), 403, 'a user listing every channel');

    const {data: privates, res} = await h.observe(() => call(adminClient, `/teams/${team.id}/channels/private`, 'get'));
    assert.equal(res.status, 200);
    assert.deepEqual(privates.map((c) => c.id), [secret.id]);
    assert.ok(!privates.some((c) => c.id === open.id));
    await h.expectError(() => call(me.client, `/teams/${team.id}/channels/private`, 'get'), 403, 'a member listing private channels');
});

test('POST /teams/{id}/channels/ids answers the public ones; search_archived finds archived channels by name', async () => {
    const {adminClient, team, me, tag, open, secret} = await world();
    const byIds = await call(me.client, `/teams/${team.id}/channels/ids`, 'post', [open.id, secret.id, h.unknownId()]);
    assert.deepEqual(byIds.map((c) => c.id), [open.id], 'only the public channel');

    await adminClient.deleteChannel(open.id);
    const {data: archived, res} = await h.observe(() => call(me.client, `/teams/${team.id}/channels/search_archived`, 'post', {term: `open-${tag}`}));
    assert.equal(res.status, 200);
    assert.deepEqual(archived.map((c) => c.id), [open.id]);
    assert.ok(archived[0].delete_at > 0);
    const outsider = await h.newUser('clist');
    await h.expectError(() => call(outsider.client, `/teams/${team.id}/channels/search_archived`, 'post', {term: 'open'}), 403, 'outside the team');
});

test('PUT /channels/{id} updates the whole channel; the body\'s id must match', async () => {
    const {adminClient, open} = await world();
    const {data: updated, res} = await h.observe(() => adminClient.updateChannel({...open, display_name: 'Replaced', purpose: 'a purpose', header: 'a header'}));
    assert.equal(res.status, 200);
    assert.equal(updated.display_name, 'Replaced');
    assert.equal(updated.purpose, 'a purpose');
    assert.equal(updated.header, 'a header');
    assert.equal((await adminClient.getChannel(open.id)).header, 'a header');
    const {res: bad} = await h.expectError(() => call(adminClient, `/channels/${open.id}`, 'put', {...open, id: h.unknownId()}), 400, 'another id in the body');
    h.assertMattermostError(bad, 400);
});

test('group messages: search by a member\'s name, the teams all members share, and conversion into a private channel', async () => {
    const {client: adminClient} = await h.admin();
    const [a, b, c] = await Promise.all([h.newUser('gm'), h.newUser('gm'), h.newUser('gm')]);
    const shared = await h.newTeam('gm');
    const onlySome = await h.newTeam('gm');
    for (const u of [a, b, c]) {
        await adminClient.addToTeam(shared.id, u.user.id);
    }
    await adminClient.addToTeam(onlySome.id, a.user.id);
    const gm = await a.client.createGroupChannel([a.user.id, b.user.id, c.user.id]);

    const found = await a.client.searchGroupChannels(b.user.username.slice(0, 8));
    assert.ok(found.some((ch) => ch.id === gm.id), 'found by the start of a member\'s username');
    assert.deepEqual(await a.client.searchGroupChannels(`zz${h.rand(10)}`), []);

    // This client method answers {response, headers, data}.
    const {data: {data: common}, res} = await h.observe(() => a.client.getGroupMessageMembersCommonTeams(gm.id));
    assert.equal(res.status, 200);
    assert.deepEqual(common.map((t) => t.id), [shared.id], 'only the team all three are in');
    const outsider = await h.newUser('gm');
    await h.expectError(() => outsider.client.getGroupMessageMembersCommonTeams(gm.id), 403, 'not a member of the group');

    const {res: wrongTeam} = await h.expectError(() => a.client.convertGroupMessageToPrivateChannel(gm.id, onlySome.id, 'Converted', `conv-${h.rand(6)}`), 400, 'a team not everyone is in');
    h.assertMattermostError(wrongTeam, 400);

    const name = `conv-${h.rand(6)}`;
    const {data: {data: converted}, res: convRes} = await h.observe(() => a.client.convertGroupMessageToPrivateChannel(gm.id, shared.id, 'Converted', name));
    assert.equal(convRes.status, 200);
    assert.equal(converted.id, gm.id, 'the same channel, its messages kept');
    assert.equal(converted.type, 'P');
    assert.equal(converted.team_id, shared.id);
    assert.equal(converted.name, name);
    assert.equal(converted.display_name, 'Converted');
    const member = await a.client.getMyChannelMember(gm.id);
    assert.match(member.roles, /channel_admin/, 'the converter administers the new channel');
    const byName = await b.client.getChannelByName(shared.id, name);
    assert.equal(byName.id, gm.id, 'the other members find it in the team');
});

test('GET /system/timezones lists IANA zone names; GET /agents/status says agents are not available', async () => {
    const [{client}] = await h.users(1);
    const {data: zones, res} = await h.observe(() => call(client, '/system/timezones', 'get'));
    assert.equal(res.status, 200);
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']) {
        assert.ok(zones.includes(zone), `${zone} is listed`);
    }
    assert.deepEqual([...zones].sort(), zones, 'sorted');
    const status = await call(client, '/agents/status', 'get');
    assert.equal(status.available, false);
    assert.equal(typeof status.reason, 'string');
});

test('add-member lists: not_in_channel and not_in_team leave members out; in_team, without_team, inactive and user search filters hold', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('ulist');
    const [member, outsider, gone] = await Promise.all([h.newUser('ulist'), h.newUser('ulist'), h.newUser('ulist')]);
    const lonely = await h.newUser('ulist');
    await adminClient.addToTeam(team.id, member.user.id);
    await adminClient.addToTeam(team.id, outsider.user.id);
    await adminClient.addToTeam(team.id, gone.user.id);
    const channel = await h.newPublicChannel(adminClient, team.id, 'ulist');
    await adminClient.addToChannel(member.user.id, channel.id);
    await adminClient.doFetch(adminClient.getUserRoute(gone.user.id), {method: 'delete'}); // deactivates, as Mattermost's DELETE /users/{id}
    const ids = (list) => list.map((u) => u.id);

    const notIn = ids(await member.client.getProfilesNotInChannel(team.id, channel.id, false, 0, 200));
    assert.ok(notIn.includes(outsider.user.id), 'a team member outside the channel is addable');
    assert.ok(!notIn.includes(member.user.id), 'a channel member is not offered');
    assert.ok(!notIn.includes(lonely.user.id), 'someone outside the team is not offered');

    const notInTeam = ids(await adminClient.getProfilesNotInTeam(team.id, false, 0, 200));
    assert.ok(notInTeam.includes(lonely.user.id));
    assert.ok(![member, outsider].some((u) => notInTeam.includes(u.user.id)), 'team members are not offered');

    const inTeam = ids(await member.client.getProfilesInTeam(team.id, 0, 200));
    assert.ok(inTeam.includes(outsider.user.id) && !inTeam.includes(lonely.user.id));

    const without = ids(await adminClient.getProfilesWithoutTeam(0, 200));
    assert.ok(without.includes(lonely.user.id), 'a user in no team');
    assert.ok(!without.includes(member.user.id));
    await h.expectError(() => member.client.getProfilesWithoutTeam(0, 200), 403, 'users without a team are for admins');

    const inactive = ids(await adminClient.getProfiles(0, 200, {inactive: true}));
    assert.ok(inactive.includes(gone.user.id), 'the deactivated user');
    assert.ok(!inactive.includes(member.user.id));
    const active = ids(await adminClient.getProfiles(0, 200, {active: true}));
    assert.ok(!active.includes(gone.user.id));

    const {res: badSort} = await h.expectError(() => member.client.getProfilesInChannel(channel.id, 0, 60, 'create_at'), 400, 'sort create_at with in_channel');
    h.assertMattermostError(badSort, 400);
    await h.expectError(() => member.client.doFetch(`${member.client.getUsersRoute()}?not_in_channel=${channel.id}`, {method: 'get'}), 400, 'not_in_channel without in_team');

    const prefix = outsider.user.username.slice(0, 10);
    const searched = ids(await member.client.searchUsers(prefix, {team_id: team.id, not_in_channel_id: channel.id}));
    assert.deepEqual(searched, [outsider.user.id], 'search among those not in the channel');
    const inChannel = ids(await member.client.searchUsers(member.user.username.slice(0, 10), {in_channel_id: channel.id}));
    assert.deepEqual(inChannel, [member.user.id]);
    const goneSearch = ids(await adminClient.searchUsers(gone.user.username, {not_in_team_id: team.id}));
    assert.deepEqual(goneSearch, [], 'a team member is not among those outside the team');
    const withInactive = ids(await adminClient.searchUsers(gone.user.username, {team_id: team.id, in_channel_id: '', allow_inactive: true, role: 'system_user'}));
    assert.deepEqual(withInactive, [gone.user.id], 'deactivated users only with allow_inactive');
});
