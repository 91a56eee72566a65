'use strict';
// Reactions, preferences and statuses through Client4.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

test('add, list and remove a reaction', async () => {
    const {client, user} = await h.admin();
    const team = await h.newTeam('react');
    const channel = await h.newPublicChannel(client, team.id, 'react');
    const post = await client.createPost({channel_id: channel.id, message: 'react to me'});

    const {data: reaction, res} = await h.observe(() => client.addReaction(user.id, post.id, 'smile'));
    assert.equal(res.status, 200, 'saving a reaction answers 200');
    assert.equal(reaction.user_id, user.id);
    assert.equal(reaction.post_id, post.id);
    assert.equal(reaction.emoji_name, 'smile');
    h.assertMillis(reaction.create_at, 'create_at');

    const list = await client.getReactionsForPost(post.id);
    assert.ok(Array.isArray(list));
    assert.ok(list.some((r) => r.user_id === user.id && r.emoji_name === 'smile'), 'the reaction is listed');
    assert.equal((await client.getPost(post.id)).has_reactions, true, 'the post is flagged has_reactions');

    const removed = await client.removeReaction(user.id, post.id, 'smile');
    assert.deepEqual(removed, {status: 'OK'});
    const after = await client.getReactionsForPost(post.id);
    assert.ok(after === null || Array.isArray(after));
    assert.ok(!(after || []).some((r) => r.user_id === user.id && r.emoji_name === 'smile'), 'the reaction is gone');
});

test('save, read and delete preferences (all values strings)', async () => {
    const [{client, user}] = await h.users(1);
    const prefs = [
        {user_id: user.id, category: 'display_settings', name: 'use_military_time', value: 'true'},
        {user_id: user.id, category: 'compat_suite', name: `key_${h.rand(6)}`, value: 'some value'},
    ];
    const {data: saved, res} = await h.observe(() => client.savePreferences(user.id, prefs));
    assert.equal(res.status, 200);
    assert.deepEqual(saved, {status: 'OK'});

    const mine = await client.getMyPreferences();
    for (const p of prefs) {
        const found = mine.find((m) => m.category === p.category && m.name === p.name);
        assert.ok(found, `preference ${p.category}/${p.name} was saved`);
        assert.equal(found.value, p.value);
        assert.equal(found.user_id, user.id);
    }

    await client.savePreferences(user.id, [{...prefs[1], value: 'changed'}]);
    const changed = (await client.getUserPreferences(user.id)).find((m) => m.name === prefs[1].name);
    assert.equal(changed.value, 'changed', 'saving again overwrites the value');

    const deleted = await client.deletePreferences(user.id, [prefs[1]]);
    assert.deepEqual(deleted, {status: 'OK'});
    const after = await client.getMyPreferences();
    assert.ok(!after.some((m) => m.category === prefs[1].category && m.name === prefs[1].name), 'the preference is gone');
    assert.ok(after.some((m) => m.category === 'display_settings' && m.name === 'use_military_time'), 'the other stays');
});

test('saving a preference for another user is forbidden (403)', async () => {
    const [{client}, {user: other}] = await h.users(2);
    const {res} = await h.expectError(() => client.savePreferences(other.id, [
        {user_id: other.id, category: 'compat_suite', name: 'x', value: 'y'},
    ]), 403, 'saving preferences of another user');
    h.assertMattermostError(res, 403);
});

test('set dnd with dnd_end_time (seconds, truncated to the minute), read it back, read statuses by ids', async () => {
    const [{client, user}, {user: other}] = await h.users(2);
    const minute = Math.floor(Date.now() / 1000 / 60) * 60 + 3600;

    const {data: status, res} = await h.observe(() => client.updateStatus({user_id: user.id, status: 'dnd', dnd_end_time: minute + 17}));
    assert.equal(res.status, 200);
    assert.equal(status.user_id, user.id);
    assert.equal(status.status, 'dnd');
    assert.equal(status.manual, true, 'a status set by the user is manual');
    assert.equal(status.dnd_end_time, minute, 'dnd_end_time is in seconds, truncated to the minute');

    const read = await client.getStatus(user.id);
    assert.equal(read.status, 'dnd');
    assert.equal(read.dnd_end_time, minute);

    const both = await client.getStatusesByIds([user.id, other.id]);
    assert.ok(Array.isArray(both));
    assert.deepEqual(both.map((s) => s.user_id).sort(), [user.id, other.id].sort());
    assert.equal(both.find((s) => s.user_id === user.id).status, 'dnd');

    const online = await client.updateStatus({user_id: user.id, status: 'online'});
    assert.equal(online.status, 'online');
});

test('updating the status with a user_id other than the path is a 400', async () => {
    const [{client, user}, {user: other}] = await h.users(2);
    // Client4 puts status.user_id in the path; the body must name the same user.
    const url = `${client.getUserRoute(user.id)}/status`;
    const {res} = await h.expectError(() => client.doFetch(url, {
        method: 'put',
        body: JSON.stringify({user_id: other.id, status: 'away'}),
    }), 400, 'status with mismatched user_id');
    h.assertMattermostError(res, 400);
});
