'use strict';
// Teams and team membership through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

test('createTeam answers 201 with the team', async () => {
    const {client, user} = await h.admin();
    const name = `js-team-${h.rand(10)}`;
    const {data: team, res} = await h.observe(() => client.createTeam({
        name,
        display_name: 'Compat Team',
        type: 'O',
        description: 'made by the compat suite',
    }));
    assert.equal(res.status, 201);
    h.assertId(team.id, 'team id');
    assert.equal(team.name, name);
    assert.equal(team.display_name, 'Compat Team');
    assert.equal(team.type, 'O');
    assert.equal(team.description, 'made by the compat suite');
    assert.equal(team.delete_at, 0);
    h.assertMillis(team.create_at, 'create_at');

    const members = await client.getMyTeamMembers();
    const mine = members.find((m) => m.team_id === team.id);
    assert.ok(mine, 'the creator is a member of the new team');
    assert.ok(mine.roles.split(' ').includes('team_admin'), `the creator is team_admin, got ${mine.roles}`);
    assert.equal(mine.user_id, user.id);
});

test('get a team by id and by name', async () => {
    const {client} = await h.admin();
    const team = await h.newTeam();
    const byId = await client.getTeam(team.id);
    assert.equal(byId.id, team.id);
    assert.equal(byId.name, team.name);
    const byName = await client.getTeamByName(team.name);
    assert.equal(byName.id, team.id);
});

test('addToTeam answers 201 with the TeamMember; the member list and stats include it', async () => {
    const {client, user: adminUser} = await h.admin();
    const team = await h.newTeam();
    const [{user}] = await h.users(1);

    const {data: member, res} = await h.observe(() => client.addToTeam(team.id, user.id));
    assert.equal(res.status, 201);
    assert.equal(member.team_id, team.id);
    assert.equal(member.user_id, user.id);
    assert.ok(member.roles.split(' ').includes('team_user'), `roles must include team_user, got ${member.roles}`);
    assert.equal(member.delete_at, 0);

    const members = await client.getTeamMembers(team.id, 0, 60);
    assert.ok(Array.isArray(members));
    const ids = members.map((m) => m.user_id).sort();
    assert.deepEqual(ids, [adminUser.id, user.id].sort());

    const stats = await client.getTeamStats(team.id);
    assert.equal(stats.team_id, team.id);
    assert.equal(stats.total_member_count, 2);
    assert.equal(stats.active_member_count, 2);
});

test('getMyTeamUnreads counts a message posted by someone else', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam();
    const [{client, user}] = await h.users(1);
    await adminClient.addToTeam(team.id, user.id);
    const channel = await h.newPublicChannel(adminClient, team.id);
    await adminClient.addToChannel(user.id, channel.id);
    await client.viewMyChannel(channel.id);
    await adminClient.createPost({channel_id: channel.id, message: `hello @${user.username}`});

    const unreads = await h.eventually(
        () => client.getMyTeamUnreads(),
        (list) => Array.isArray(list) && list.some((u) => u.team_id === team.id && u.mention_count > 0),
    );
    assert.ok(Array.isArray(unreads), 'team unreads are an array');
    const unread = unreads.find((u) => u.team_id === team.id);
    assert.ok(unread, 'the team with the new message must be listed');
    assert.ok(unread.msg_count >= 1, `msg_count must count the new message, got ${unread.msg_count}`);
    assert.equal(unread.mention_count, 1, 'the @-mention is counted');
});
