'use strict';
// Channels, channel membership, read state, DMs and GMs through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('../lib/helpers');

async function teamWithMember(prefix = 'chan') {
    const {client: adminClient, user: adminUser} = await h.admin();
    const team = await h.newTeam(prefix);
    const [other] = await h.users(1);
    await adminClient.addToTeam(team.id, other.user.id);
    return {adminClient, adminUser, team, other};
}

test('createChannel answers 201 for a public and a private channel', async () => {
    const {adminClient, adminUser, team} = await teamWithMember();
    for (const type of ['O', 'P']) {
        const name = `js-${type.toLowerCase()}-${h.rand(10)}`;
        const {data: channel, res} = await h.observe(() => adminClient.createChannel({
            team_id: team.id, name, display_name: `Compat ${type}`, type, purpose: 'testing', header: 'hdr',
        }));
        assert.equal(res.status, 201, `creating a ${type} channel answers 201`);
        h.assertId(channel.id, 'channel id');
        assert.equal(channel.name, name);
        assert.equal(channel.display_name, `Compat ${type}`);
        assert.equal(channel.type, type);
        assert.equal(channel.team_id, team.id);
        assert.equal(channel.purpose, 'testing');
        assert.equal(channel.header, 'hdr');
        assert.equal(channel.creator_id, adminUser.id);
        assert.equal(channel.delete_at, 0);
        h.assertMillis(channel.create_at, 'create_at');
    }
});

test('get a channel by id and by name; list its members; add a member (201)', async () => {
    const {adminClient, adminUser, team, other} = await teamWithMember();
    const channel = await h.newPublicChannel(adminClient, team.id);

    const byId = await adminClient.getChannel(channel.id);
    assert.equal(byId.id, channel.id);
    assert.equal(byId.name, channel.name);
    const byName = await adminClient.getChannelByName(team.id, channel.name);
    assert.equal(byName.id, channel.id);
    const byNames = await adminClient.getChannelByNameAndTeamName(team.name, channel.name);
    assert.equal(byNames.id, channel.id);

    const {data: member, res} = await h.observe(() => adminClient.addToChannel(other.user.id, channel.id));
    assert.equal(res.status, 201);
    assert.equal(member.channel_id, channel.id);
    assert.equal(member.user_id, other.user.id);
    assert.ok(member.roles.split(' ').includes('channel_user'));
    assert.equal(typeof member.msg_count, 'number');
    assert.equal(typeof member.mention_count, 'number');
    assert.equal(typeof member.notify_props, 'object');

    const members = await adminClient.getChannelMembers(channel.id, 0, 60);
    assert.ok(Array.isArray(members));
    assert.deepEqual(members.map((m) => m.user_id).sort(), [adminUser.id, other.user.id].sort());

    const mine = await other.client.getMyChannelMember(channel.id);
    assert.equal(mine.user_id, other.user.id);
    assert.equal(mine.channel_id, channel.id);
});

test('patchChannel updates header and purpose only', async () => {
    const {adminClient, team} = await teamWithMember();
    const channel = await h.newPublicChannel(adminClient, team.id);
    await h.sleep(5);
    const patched = await adminClient.patchChannel(channel.id, {header: 'new header', purpose: 'new purpose'});
    assert.equal(patched.id, channel.id);
    assert.equal(patched.header, 'new header');
    assert.equal(patched.purpose, 'new purpose');
    assert.equal(patched.display_name, channel.display_name, 'fields not in the patch stay');
    assert.equal(patched.name, channel.name);
    assert.ok(patched.update_at > channel.update_at, 'update_at must increase');
    const again = await adminClient.getChannel(channel.id);
    assert.equal(again.header, 'new header');
});

test('deleteChannel archives it (delete_at set); restore brings it back', async () => {
    const {adminClient, team} = await teamWithMember();
    const channel = await h.newPublicChannel(adminClient, team.id);

    const {res} = await h.observe(() => adminClient.deleteChannel(channel.id));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), {status: 'OK'});
    const archived = await adminClient.getChannel(channel.id);
    assert.ok(archived.delete_at > 0, 'an archived channel keeps its row with delete_at > 0');

    const restored = await adminClient.unarchiveChannel(channel.id);
    assert.equal(restored.id, channel.id);
    assert.equal(restored.delete_at, 0);
    const again = await adminClient.getChannel(channel.id);
    assert.equal(again.delete_at, 0);
});

test('channel stats count the members', async () => {
    const {adminClient, team, other} = await teamWithMember();
    const channel = await h.newPublicChannel(adminClient, team.id);
    await adminClient.addToChannel(other.user.id, channel.id);
    const {data: stats, res} = await h.observe(() => adminClient.getChannelStats(channel.id));
    assert.match(res.url, /\/stats\?exclude_files_count=true$/);
    assert.equal(stats.channel_id, channel.id);
    assert.equal(stats.member_count, 2);
    assert.equal(typeof stats.pinnedpost_count, 'number');
    assert.equal(typeof stats.guest_count, 'number');
});

test('viewMyChannel marks the channel read: msg_count catches up, mention_count drops to 0', async () => {
    const {adminClient, team, other} = await teamWithMember();
    const channel = await h.newPublicChannel(adminClient, team.id);
    await adminClient.addToChannel(other.user.id, channel.id);
    await other.client.viewMyChannel(channel.id);

    await adminClient.createPost({channel_id: channel.id, message: 'first'});
    await adminClient.createPost({channel_id: channel.id, message: `second, for @${other.user.username}`});

    const unread = await h.eventually(
        () => other.client.getMyChannelMember(channel.id),
        (m) => m.mention_count === 1,
    );
    assert.equal(unread.mention_count, 1, 'the @-mention is counted on the member');
    const before = await other.client.getChannel(channel.id);
    assert.ok(before.total_msg_count - unread.msg_count >= 2, 'two unread messages');

    const {data: view} = await h.observe(() => other.client.viewMyChannel(channel.id));
    assert.equal(view.status, 'OK');
    assert.equal(typeof view.last_viewed_at_times, 'object', 'the view answer carries last_viewed_at_times');
    h.assertMillis(view.last_viewed_at_times[channel.id], 'last_viewed_at_times[channel]');

    const read = await other.client.getMyChannelMember(channel.id);
    const after = await other.client.getChannel(channel.id);
    assert.equal(read.mention_count, 0);
    assert.equal(read.msg_count, after.total_msg_count, 'msg_count equals the channel total once read');
    assert.ok(read.last_viewed_at >= unread.last_viewed_at);
});

test('createDirectChannel answers 201, names the DM after the sorted ids, and is idempotent', async () => {
    const [{client, user}, {user: other}] = await h.users(2);
    const {data: dm, res} = await h.observe(() => client.createDirectChannel([user.id, other.id]));
    assert.equal(res.status, 201);
    assert.equal(dm.type, 'D');
    assert.equal(dm.team_id, '');
    assert.equal(dm.name, [user.id, other.id].sort().join('__'));
    h.assertId(dm.id, 'DM id');

    const again = await client.createDirectChannel([other.id, user.id]);
    assert.equal(again.id, dm.id, 'creating the same DM again returns the existing one');
    const members = await client.getChannelMembers(dm.id);
    assert.deepEqual(members.map((m) => m.user_id).sort(), [user.id, other.id].sort());
});

test('createGroupChannel answers 201 with a G channel named after the members', async () => {
    const [{client, user}, {user: b}, {user: c}] = await h.users(3);
    const {data: gm, res} = await h.observe(() => client.createGroupChannel([user.id, b.id, c.id]));
    assert.equal(res.status, 201);
    assert.equal(gm.type, 'G');
    assert.equal(gm.team_id, '');
    const ids = [user.id, b.id, c.id].sort();
    const expectedName = crypto.createHash('sha1').update(ids.join('')).digest('hex');
    assert.equal(gm.name, expectedName, 'a GM is named by the SHA-1 of the sorted member ids');
    assert.equal(gm.display_name, [user.username, b.username, c.username].sort().join(', '));
    const members = await client.getChannelMembers(gm.id);
    assert.deepEqual(members.map((m) => m.user_id).sort(), ids);
});

test("getChannelTimezones lists the members' zones once each (automatic or manual, as each chose)", async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('tz');
    const [a, b, c] = await h.users(3);
    const channel = await h.newPublicChannel(adminClient, team.id, 'tz');
    for (const u of [a, b, c]) {
        await adminClient.addToTeam(team.id, u.user.id);
        await adminClient.addToChannel(u.user.id, channel.id);
    }
    await a.client.patchMe({timezone: {useAutomaticTimezone: 'true', automaticTimezone: 'Europe/Berlin', manualTimezone: 'Asia/Tokyo'}});
    await b.client.patchMe({timezone: {useAutomaticTimezone: 'false', automaticTimezone: 'Europe/Berlin', manualTimezone: 'America/Chicago'}});
    await c.client.patchMe({timezone: {useAutomaticTimezone: 'true', automaticTimezone: 'Europe/Berlin', manualTimezone: ''}});
    const zones = await a.client.getChannelTimezones(channel.id);
    assert.ok(Array.isArray(zones), JSON.stringify(zones));
    assert.ok(zones.includes('Europe/Berlin') && zones.includes('America/Chicago'), JSON.stringify(zones));
    assert.ok(!zones.includes('Asia/Tokyo'), 'a manual zone not in use is not listed');
    assert.equal(zones.filter((z) => z === 'Europe/Berlin').length, 1, 'each zone once');

    const [outsider] = await h.users(1);
    const secret = await adminClient.createChannel({team_id: team.id, name: `tz-p-${h.rand(8)}`, display_name: 'Secret', type: 'P'});
    const {res} = await h.expectError(() => outsider.client.getChannelTimezones(secret.id), 403, 'timezones of a channel one cannot read');
    h.assertMattermostError(res, 403);
});

test('finding channels: autocomplete, search_autocomplete, search and the archived list show only what one may see', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('find');
    const [member] = await h.users(1);
    await adminClient.addToTeam(team.id, member.user.id);
    const tag = h.rand(6);
    const mk = (name, type) => adminClient.createChannel({team_id: team.id, name: `${tag}-${name}`, display_name: `${tag} ${name}`, type});
    const open = await mk('open', 'O');
    const joined = await mk('joined', 'P');
    const secret = await mk('secret', 'P');
    const gone = await mk('gone', 'O');
    const goneSecret = await mk('gone-secret', 'P');
    await adminClient.addToChannel(member.user.id, joined.id);
    await adminClient.addToChannel(member.user.id, open.id);
    await adminClient.deleteChannel(gone.id);
    await adminClient.deleteChannel(goneSecret.id);
    const ids = (list) => list.map((c) => c.id).sort();

    const auto = await member.client.autocompleteChannels(team.id, tag);
    assert.deepEqual(ids(auto), [open.id, joined.id].sort(), 'readable live channels, never a private one of others');
    const forSearch = await member.client.autocompleteChannelsForSearch(team.id, tag);
    assert.deepEqual(ids(forSearch), [open.id, joined.id].sort(), 'the channels one is in');
    const found = await member.client.searchChannels(team.id, tag);
    assert.deepEqual(ids(found), [open.id], 'browse lists live public channels');
    const byWord = await member.client.autocompleteChannels(team.id, 'joined');
    assert.ok(byWord.some((c) => c.id === joined.id), 'a word of the display name matches');
    const archived = await member.client.getArchivedChannels(team.id, 0, 100);
    assert.ok(archived.some((c) => c.id === gone.id), 'an archived public channel');
    assert.ok(!archived.some((c) => c.id === goneSecret.id), "never an archived private channel one was not in");
    assert.ok(archived.every((c) => c.delete_at > 0));
    assert.ok(!ids(auto).includes(secret.id));

    const outsider = await h.newUser('find'); // the pooled users may share this team
    const {res} = await h.expectError(() => outsider.client.autocompleteChannels(team.id, tag), 403, 'autocomplete in a team one is not in');
    h.assertMattermostError(res, 403);
});
