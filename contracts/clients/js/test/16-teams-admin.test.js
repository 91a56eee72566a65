'use strict';
// Managing teams through Client4 as Mattermost serves it (api4/team.go):
// updateTeam, updateTeamPrivacy, restoreTeam, teamExists, searchTeams,
// getTeamUnread and addTeamMembers (the batch, with and without graceful).

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

async function call(client, path, method, body) {
    return client.doFetch(`${client.getBaseRoute()}${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body)});
}

test('PUT /teams/{id} replaces what an admin may change; the id in the body must match; a member is refused', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('upd');
    const changed = {...team, display_name: 'Renamed team', description: 'a new description', company_name: 'ACME'};
    const {data: updated, res} = await h.observe(() => adminClient.updateTeam(changed));
    assert.equal(res.status, 200);
    assert.equal(updated.id, team.id);
    assert.equal(updated.display_name, 'Renamed team');
    assert.equal(updated.description, 'a new description');
    assert.equal(updated.company_name, 'ACME');
    assert.equal(updated.name, team.name, 'the name (URL) does not change');
    assert.ok(updated.update_at >= team.update_at);
    assert.equal((await adminClient.getTeam(team.id)).display_name, 'Renamed team', 'the change is stored');

    const other = await h.newTeam('upd');
    const {res: mismatch} = await h.expectError(() => call(adminClient, `/teams/${team.id}`, 'put', {...changed, id: other.id}), 400, 'update with another id in the body');
    h.assertMattermostError(mismatch, 400);
    assert.match(JSON.parse(mismatch.body).message, /id/);

    const {client: member, user} = await h.newUser('upd');
    await adminClient.addToTeam(team.id, user.id);
    const {res: refused} = await h.expectError(() => member.updateTeam({...changed, display_name: 'Hijacked'}), 403, 'a plain member updates the team');
    h.assertMattermostError(refused, 403);
    assert.equal((await adminClient.getTeam(team.id)).display_name, 'Renamed team', 'the refused change left nothing');
});

test('PUT /teams/{id}/privacy switches between open and invite only; a bad value names the field', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('priv');
    const {data: closed, res} = await h.observe(() => call(adminClient, `/teams/${team.id}/privacy`, 'put', {privacy: 'I'}));
    assert.equal(res.status, 200);
    assert.equal(closed.type, 'I');
    assert.equal(closed.allow_open_invite, false);
    const reopened = await call(adminClient, `/teams/${team.id}/privacy`, 'put', {privacy: 'O'});
    assert.equal(reopened.type, 'O');
    assert.equal(reopened.allow_open_invite, true);

    const {res: bad} = await h.expectError(() => call(adminClient, `/teams/${team.id}/privacy`, 'put', {privacy: 'X'}), 400, 'privacy X');
    h.assertMattermostError(bad, 400);
    assert.match(JSON.parse(bad.body).message, /privacy/);
});

test('an archived team is restored by POST /teams/{id}/restore; a member who is not an admin may not', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('rest');
    const {client: member, user} = await h.newUser('rest');
    await adminClient.addToTeam(team.id, user.id);
    await adminClient.deleteTeam(team.id);
    assert.notEqual((await adminClient.getTeam(team.id)).delete_at, 0, 'archived');

    const {res: refused} = await h.expectError(() => call(member, `/teams/${team.id}/restore`, 'post'), 403, 'a member restores');
    h.assertMattermostError(refused, 403);

    const {data: restored, res} = await h.observe(() => call(adminClient, `/teams/${team.id}/restore`, 'post'));
    assert.equal(res.status, 200);
    assert.equal(restored.id, team.id);
    assert.equal(restored.delete_at, 0);
    assert.equal((await member.getTeam(team.id)).delete_at, 0, 'the member sees the team again');
});

test('GET /teams/name/{name}/exists: true for a team one may see, false for an unknown name and for a closed team one is not in', async () => {
    const {client: adminClient} = await h.admin();
    const {client} = await h.newUser('exists');
    const open = await h.newTeam('exists');
    const {data, res} = await h.observe(() => client.checkIfTeamExists(open.name));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {exists: true});
    assert.deepEqual(await client.checkIfTeamExists(`nope-${h.rand(12)}`), {exists: false});

    const closed = await adminClient.createTeam({name: `closed-${h.rand(10)}`, display_name: 'Closed', type: 'I'});
    assert.deepEqual(await client.checkIfTeamExists(closed.name), {exists: false}, 'an invite-only team stays hidden from outsiders');
    assert.deepEqual(await adminClient.checkIfTeamExists(closed.name), {exists: true}, 'its members know it');
});

test('POST /teams/search finds open teams by a prefix of a word, hides closed ones from outsiders, and pages with a total', async () => {
    const {client: adminClient} = await h.admin();
    const {client} = await h.newUser('tsearch');
    const tag = h.rand(8).replace(/[^a-z]/g, 'q');
    const a = await adminClient.createTeam({name: `alpha-${tag}`, display_name: `Alpha ${tag}`, type: 'O'});
    const b = await adminClient.createTeam({name: `beta-${tag}`, display_name: `Beta ${tag}`, type: 'O'});
    const hidden = await adminClient.createTeam({name: `gamma-${tag}`, display_name: `Gamma ${tag}`, type: 'I'});

    const {data: found, res} = await h.observe(() => call(client, '/teams/search', 'post', {term: tag}));
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(found));
    assert.deepEqual(found.map((t) => t.id).sort(), [a.id, b.id].sort(), 'both open teams, not the closed one');
    assert.ok(found.every((t) => t.invite_id === ''), 'outsiders never see invite ids');

    const byAdmin = await call(adminClient, '/teams/search', 'post', {term: tag});
    assert.deepEqual(byAdmin.map((t) => t.id).sort(), [a.id, b.id, hidden.id].sort(), 'an admin finds every team');

    const paged = await call(adminClient, '/teams/search', 'post', {term: tag, page: 0, per_page: 2});
    assert.equal(paged.total_count, 3);
    assert.equal(paged.teams.length, 2);
    const second = await call(adminClient, '/teams/search', 'post', {term: tag, page: 1, per_page: 2});
    assert.equal(second.teams.length, 1);

    const beta = await call(client, '/teams/search', 'post', {term: `beta-${tag}`});
    assert.deepEqual(beta.map((t) => t.id), [b.id], 'the team name matches too');
});

test('GET /users/me/teams/{team_id}/unread counts one team; another user\'s or a team one is not in is refused', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('tunread');
    const {client, user} = await h.newUser('tunread');
    await adminClient.addToTeam(team.id, user.id);
    const channel = await h.newPublicChannel(adminClient, team.id, 'tunread');
    await adminClient.addToChannel(user.id, channel.id);
    await adminClient.createPost({channel_id: channel.id, message: `@${user.username} hello`});

    const unread = await h.eventually(
        () => call(client, `/users/me/teams/${team.id}/unread`, 'get'),
        (u) => u.msg_count >= 1 && u.mention_count >= 1,
    );
    assert.equal(unread.team_id, team.id);
    assert.ok(unread.msg_count >= 1, `a message is unread: ${JSON.stringify(unread)}`);
    assert.equal(unread.mention_count, 1);
    for (const key of ['msg_count_root', 'mention_count_root', 'thread_count', 'thread_mention_count']) {
        assert.equal(typeof unread[key], 'number', key);
    }

    const elsewhere = await h.newTeam('tunread');
    await h.expectError(() => call(client, `/users/me/teams/${elsewhere.id}/unread`, 'get'), 403, 'a team one is not in');
    const {user: other} = await h.newUser('tunread');
    await h.expectError(() => call(client, `/users/${other.id}/teams/${team.id}/unread`, 'get'), 403, 'another user\'s unreads');
});

test('POST /teams/{id}/members/batch adds several users (201); graceful=true answers each user, errors included', async () => {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('batch');
    const [{user: a}, {user: b}] = await Promise.all([h.newUser('batch'), h.newUser('batch')]);

    const {data: added, res} = await h.observe(() => adminClient.addUsersToTeam(team.id, [a.id, b.id]));
    assert.equal(res.status, 201);
    assert.deepEqual(added.map((m) => m.user_id).sort(), [a.id, b.id].sort());
    assert.ok(added.every((m) => m.team_id === team.id && m.delete_at === 0));
    const members = await adminClient.getTeamMembers(team.id);
    assert.ok([a.id, b.id].every((id) => members.some((m) => m.user_id === id)), 'both are members now');

    const {user: c} = await h.newUser('batch');
    const missing = h.unknownId();
    const {data: results, res: gres} = await h.observe(() => adminClient.addUsersToTeamGracefully(team.id, [c.id, missing]));
    assert.equal(gres.status, 201);
    assert.equal(results.length, 2);
    const ok = results.find((r) => r.user_id === c.id);
    assert.equal(ok.member.user_id, c.id);
    assert.equal(ok.error, null, "no error for the added user");
    const failed = results.find((r) => r.user_id === missing);
    assert.equal(failed.member, null);
    assert.equal(failed.error.status_code, 404, `the unknown user's error: ${JSON.stringify(failed)}`);
    assert.equal(typeof failed.error.id, 'string');

    const {res: whole} = await h.expectError(() => adminClient.addUsersToTeam(team.id, [missing]), 404, 'a batch with an unknown user, not graceful');
    h.assertMattermostError(whole, 404);
});

test('someone outside the team may not add anyone through the batch (403)', async () => {
    // Members hold add_user_to_team by default (Mattermost's team_user role); outsiders do not.
    const {client: adminClient} = await h.admin();
    const team = await adminClient.createTeam({name: `batchclosed-${h.rand(8)}`, display_name: 'Closed batch', type: 'I'});
    const {client} = await h.newUser('batch');
    const {user: friend} = await h.newUser('batch');
    const {res} = await h.expectError(() => client.addUsersToTeam(team.id, [friend.id]), 403, 'an outsider adds someone to an invite-only team');
    h.assertMattermostError(res, 403);
    const members = await adminClient.getTeamMembers(team.id);
    assert.ok(!members.some((m) => m.user_id === friend.id), 'nobody was added');
});
