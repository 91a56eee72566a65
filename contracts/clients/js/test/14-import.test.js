'use strict';
// A Mattermost bulk export imported with `rustchat import mattermost` into
// the running server's database, then read back through Client4 as a user
// of the export would: teams, public and private channels, a thread with
// reactions and attachments, direct and group messages, custom emoji, all
// with the export's create_at times. Imported accounts have no password
// until one is set; here the admin sets one, as an admin would after a
// migration. The import runs twice: the second run adds nothing.
//
// scripts/compat passes the server's binary and its database settings
// (RUSTCHAT_BIN, RUSTCHAT_DATABASE_URL, RUSTCHAT_DATA_DIR and the S3
// settings), so the command works on the same data as the server.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const {execFileSync} = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const h = require('../lib/helpers');

const FIXTURE = path.resolve(__dirname, '../../../../tests/fixtures/mattermost-export/import.jsonl');
const BIN = process.env.RUSTCHAT_BIN || '';

function runImport() {
    return execFileSync(BIN, ['import', 'mattermost', FIXTURE], {
        cwd: os.tmpdir(),
        env: {...process.env, RUSTCHAT_LOG: 'warn'},
        encoding: 'utf8',
    });
}

async function loginAsImported(username) {
    const {client: adminClient} = await h.admin();
    const user = await adminClient.getUserByUsername(username);
    assert.equal(user.auth_service, '', 'a password account');
    // No password came with the export: nobody can log in yet.
    const client = h.newClient();
    await h.expectError(() => client.login(username, h.PASSWORD), 401, 'login before a password is set');
    await adminClient.updateUserPassword(user.id, '', h.PASSWORD);
    await client.login(username, h.PASSWORD);
    return {client, user};
}

test('an imported export is there for its users through Client4, times kept', {skip: !BIN && 'RUSTCHAT_BIN is not set'}, async () => {
    const first = runImport();
    assert.match(first, /import complete/);
    const second = runImport();
    assert.match(second, /new: 0 teams, 0 channels, 0 users, 0 posts, 0 attachments, 0 emoji/, second);

    const {client, user: wile} = await loginAsImported('wile.e');
    assert.equal(wile.first_name, 'Wile');
    assert.equal(wile.position, 'Chief Engineer');
    assert.ok(wile.roles.split(' ').includes('system_admin'));
    assert.equal(wile.notify_props.mention_keys, 'rocket,anvil');

    // Teams and channels, private ones included; the archived one is archived.
    const teams = await client.getMyTeams();
    const acme = teams.find((t) => t.name === 'acme');
    assert.ok(acme, 'member of acme');
    assert.equal(acme.display_name, 'Acme Corp');
    assert.ok(teams.some((t) => t.name === 'skunkworks'));
    const channels = await client.getMyChannels(acme.id);
    const launch = channels.find((c) => c.name === 'launch-pad');
    const secret = channels.find((c) => c.name === 'secret-plans');
    assert.equal(launch.type, 'O');
    assert.equal(launch.header, 'Countdown talk');
    assert.equal(secret.type, 'P');
    assert.ok(channels.some((c) => c.name === 'town-square'));
    const members = await client.getMyChannelMembers(acme.id);
    const launchMember = members.find((m) => m.channel_id === launch.id);
    assert.ok(launchMember.roles.split(' ').includes('channel_admin'));
    assert.equal(launchMember.notify_props.mark_unread, 'mention');
    const prefs = await client.getMyPreferences();
    assert.ok(prefs.some((p) => p.category === 'favorite_channel' && p.name === launch.id && p.value === 'true'));

    // The thread: create_at kept, replies under the root, reactions, files.
    const list = await client.getPosts(launch.id, 0, 60);
    const ordered = list.order.map((id) => list.posts[id]);
    const root = ordered.find((p) => p.message.startsWith('Rocket skates'));
    assert.ok(root, 'the root post');
    assert.equal(root.create_at, 1577836800000);
    assert.equal(root.is_pinned, true);
    assert.equal(root.user_id, wile.id);
    const thread = await client.getPostThread(root.id);
    const replies = Object.values(thread.posts).filter((p) => p.root_id === root.id)
        .sort((a, b) => a.create_at - b.create_at);
    assert.deepEqual(replies.map((p) => [p.message, p.create_at]), [
        ['Beep beep!', 1577836860000],
        ['Where is the kaboom?', 1577836920000],
    ]);
    assert.equal(replies[1].edit_at, 1577836930000);
    const reactions = await client.getReactionsForPost(root.id);
    assert.deepEqual(reactions.map((r) => r.emoji_name).sort(), ['party', 'rocket']);
    const files = await client.getFileInfosForPost(root.id);
    assert.deepEqual(files.map((f) => f.name).sort(), ['pixel.png', 'report.txt']);
    const png = files.find((f) => f.name === 'pixel.png');
    assert.equal(png.mime_type, 'image/png');
    assert.equal(png.width, 8);
    const download = await fetch(client.getFileUrl(files.find((f) => f.name === 'report.txt').id),
        {headers: {Authorization: `Bearer ${client.getToken()}`}});
    assert.equal(download.status, 200);
    assert.equal(await download.text(), 'Quarterly numbers: up and to the right.\n');
    const secretPosts = await client.getPosts(secret.id, 0, 60);
    assert.deepEqual(Object.values(secretPosts.posts).map((p) => p.create_at), [1577844000000]);

    // Custom emoji.
    const emoji = await client.getCustomEmojiByName('party');
    assert.equal(emoji.name, 'party');

    // Direct and group messages, with their times.
    const runner = await client.getUserByUsername('road.runner');
    const all = await client.getMyChannels(acme.id, true);
    const dm = all.find((c) => c.type === 'D' && c.name.includes(runner.id));
    assert.ok(dm, 'the direct channel');
    const dmPosts = await client.getPosts(dm.id, 0, 60);
    assert.deepEqual(dmPosts.order.map((id) => [dmPosts.posts[id].message, dmPosts.posts[id].create_at]), [
        ['Beep.', 1577923260000],
        ['Truce?', 1577923200000],
    ]);
    const gm = all.find((c) => c.type === 'G' && c.header === 'The three of us');
    assert.ok(gm, 'the group channel');
    const gmPosts = await client.getPosts(gm.id, 0, 60);
    const gmPost = Object.values(gmPosts.posts)[0];
    assert.equal(gmPost.create_at, 1577926800000);
    const gmReactions = await client.getReactionsForPost(gmPost.id);
    assert.deepEqual(gmReactions.map((r) => r.emoji_name), ['white_check_mark']);

    // The private channel stays private: a user outside it cannot read it.
    const outsider = await h.newUser('imp');
    await h.expectError(() => outsider.client.getPosts(secret.id, 0, 60), 403, 'reading a private channel');

    // The SSO account keeps its service and cannot log in with a password.
    const {client: adminClient} = await h.admin();
    const marvin = await adminClient.getUserByUsername('marvin');
    assert.equal(marvin.auth_service, 'gitlab');
});
