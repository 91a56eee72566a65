'use strict';
// Team invitations by e-mail, team icons, the test notification and the test
// e-mail through Client4, as Mattermost serves them (api4/team.go,
// api4/system.go, app/team.go, app/notification.go). Invitations and the test
// mail go to the SMTP test server, which delivers into a maildir
// (RUSTCHAT_TEST_MAILDIR, started by scripts/test); the links are read from there.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const zlib = require('node:zlib');
const WebSocket = require('ws');
const h = require('../lib/helpers');

const {needsMail, mailsTo, mailTo, invitationIn} = require('../lib/maildir');

// ---------------------------------------------------------------------------
// Mail.

function addresses(n, tag = h.rand(8)) {
    return Array.from({length: n}, (_, i) => `invitee-${tag}-${i}@example.com`);
}

// ---------------------------------------------------------------------------
// Images and sockets.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function crc32(buf) {
    let c = -1;
    for (const b of buf) {
        c ^= b;
        for (let k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
    }
    return (c ^ -1) >>> 0;
}

function chunk(type, data) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

// An RGB PNG of width × height in one colour.
function png(width, height) {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8;
    header[9] = 2;
    const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5a)]);
    const pixels = Buffer.concat(Array.from({length: height}, () => row));
    return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function pngSize(bytes) {
    assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG');
    return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

// GET of a Client4 URL with the client's session.
async function fetchWith(client, url, headers = {}) {
    return fetch(url, {headers: {Authorization: `Bearer ${client.getToken()}`, ...headers}});
}

// The events a user's socket receives, collected until closed.
async function listen(client) {
    const url = client.getWebSocketUrl().replace(/^http/i, 'ws');
    const ws = new WebSocket(url, {headers: {Authorization: `Bearer ${client.getToken()}`}});
    const events = [];
    ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.event) {
            events.push(frame);
        }
    });
    await new Promise((resolve, reject) => {
        ws.once('error', reject);
        ws.on('message', () => resolve());
    });
    return {
        events,
        async next(event, check = () => true) {
            const found = await h.eventually(() => events.find((e) => e.event === event && check(e)), Boolean, 4000);
            assert.ok(found, `a ${event} event: got ${events.map((e) => e.event).join(', ')}`);
            return found;
        },
        close: () => ws.terminate(),
    };
}

// A multipart POST announcing `declared` bytes but sending a few: the answer
// must come before the body (as the web app's upload would be refused).
function postDeclaringLength(client, route, declared) {
    return new Promise((resolve, reject) => {
        const req = http.request(`${h.MM_URL}${route}`, {
            method: 'POST',
            headers: {
                'Authorization': `Bearer ${client.getToken()}`,
                'X-Requested-With': 'XMLHttpRequest',
                'Content-Type': 'multipart/form-data; boundary=xyz',
                'Content-Length': String(declared),
            },
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                clearTimeout(timer);
                req.destroy();
                const body = Buffer.concat(chunks).toString('utf8');
                resolve({status: res.statusCode, headers: new Headers(res.headers), body});
            });
        });
        const timer = setTimeout(() => {
            req.destroy();
            reject(new Error(`no answer within 10 s to a POST announcing ${declared} bytes`));
        }, 10000);
        req.on('error', () => {}); // the server may close before the rest is written
        req.write('--xyz\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\n\r\n');
        req.write(crypto.randomBytes(64 * 1024));
    });
}

// A team the admin owns, with `member` in it as a plain member.
async function teamWithMember(prefix) {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam(prefix);
    const member = await h.newUser(prefix);
    await adminClient.addToTeam(team.id, member.user.id);
    return {adminClient, team, member};
}

// ---------------------------------------------------------------------------
// Invitations.

test('sendEmailInvitesToTeam mails each address a sign-up link with its own token', {skip: needsMail}, async () => {
    const {team, member} = await teamWithMember('inv');
    const tag = h.rand(8);
    const sent = [`Upper-${tag}@Example.COM`, `lower-${tag}@example.com`];
    const {data, res} = await h.observe(() => member.client.sendEmailInvitesToTeam(team.id, sent));
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});

    const tokens = [];
    for (const address of sent.map((a) => a.toLowerCase())) {
        const mail = await mailTo(address);
        assert.equal(mail.length, 1, `one invitation to ${address}`);
        assert.match(mail[0], new RegExp(`^To: ${address.replace('.', '\\.')}`, 'mi'), 'sent to the lower-cased address');
        const invite = invitationIn(mail[0]);
        assert.equal(invite.url.origin + invite.url.pathname, `${h.MM_URL}/signup_user_complete/`);
        assert.deepEqual(invite.data, {display_name: team.display_name, email: address, name: team.name});
        assert.match(invite.token, /^[A-Za-z0-9]{64}$/, 'a 64-character token');
        assert.match(mail[0], new RegExp(team.display_name), 'the mail names the team');
        tokens.push(invite.token);
    }
    assert.notEqual(tokens[0], tokens[1], 'one token per address');
    const config = await member.client.getClientConfig();
    assert.equal(config.EnableEmailInvitations, 'true', 'the apps offer invitations when mail is set up');
});

test('an invitation takes a session, team membership and at least one address', async () => {
    const {team} = await teamWithMember('invperm');
    const outsider = await h.newUser('invout');
    const {res: forbidden} = await h.expectError(() => outsider.client.sendEmailInvitesToTeam(team.id, ['x@example.com']), 403, 'a non-member invites');
    assert.equal(h.assertMattermostError(forbidden, 403).id, 'api.context.permissions.app_error');
    const {res: anonymous} = await h.expectError(() => h.newClient().sendEmailInvitesToTeam(team.id, ['x@example.com']), 401, 'anonymous');
    h.assertMattermostError(anonymous, 401);

    const {client: adminClient} = await h.admin();
    const {res: empty} = await h.expectError(() => adminClient.sendEmailInvitesToTeam(team.id, []), 400, 'no addresses');
    const body = h.assertMattermostError(empty, 400);
    assert.equal(body.id, 'api.context.invalid_body_param.app_error');
    assert.match(body.message, /user_email/);
    const garbage = () => adminClient.doFetch(`${adminClient.getTeamRoute(team.id)}/invite/email`, {method: 'post', body: '{"emails": 3'});
    const {res: unreadable} = await h.expectError(garbage, 400, 'a body that is not an invitation');
    assert.equal(h.assertMattermostError(unreadable, 400).id, 'api.team.invite_members_to_team_and_channels.invalid_body.app_error');
    const {res: unknown} = await h.expectError(() => adminClient.sendEmailInvitesToTeam(h.unknownId(), ['x@example.com']), 404, 'an unknown team');
    h.assertMattermostError(unknown, 404);
});

test('the team\'s allowed domains: one refused address refuses all; gracefully, each gets its result', {skip: needsMail}, async () => {
    const {adminClient, team, member} = await teamWithMember('invdom');
    await adminClient.patchTeam({id: team.id, allowed_domains: 'corp.example, @partner.example'});
    const tag = h.rand(8);
    const good = `good-${tag}@corp.example`;
    const partner = `p-${tag}@Partner.Example`;
    const bad = `bad-${tag}@elsewhere.example`;

    const {error, res} = await h.expectError(() => member.client.sendEmailInvitesToTeam(team.id, [good, bad]), 400, 'a refused domain');
    const body = h.assertMattermostError(res, 400);
    assert.equal(error.server_error_id, 'api.team.invite_members.invalid_email.app_error');
    assert.match(body.message, new RegExp(bad));
    assert.doesNotMatch(body.message, new RegExp(good), 'only the refused address is named');
    assert.deepEqual(await mailTo(good, 0), [], 'nothing was sent');

    const {data: results, res: ok} = await h.observe(() => member.client.sendEmailInvitesToTeamGracefully(team.id, [good, bad, partner]));
    assert.equal(ok.status, 200);
    assert.deepEqual(results.map((r) => r.email), [good, bad, partner.toLowerCase()], 'one result per address, in order');
    assert.equal(results[0].error, null);
    assert.equal(results[2].error, null);
    assert.equal(results[1].error.id, 'api.team.invite_members.invalid_email.app_error');
    assert.equal(results[1].error.status_code, 400);
    assert.equal((await mailTo(good)).length, 1);
    assert.equal((await mailTo(partner.toLowerCase())).length, 1);
    assert.deepEqual(mailsTo(bad), [], 'the refused address got nothing');
});

test('graceful invitations carry their channels and note; any graceful value counts', {skip: needsMail}, async () => {
    const {team, member} = await teamWithMember('invch');
    const channel = await h.newPublicChannel(member.client, team.id, 'invch');
    const [address] = addresses(1);
    const route = `${member.client.getTeamRoute(team.id)}/invite/email?graceful=false`;
    const body = {emails: [address], channelIds: [channel.id, h.unknownId()], message: 'Come and see <our> plans'};
    const {data: results, res} = await h.observe(() => member.client.doFetch(route, {method: 'post', body: JSON.stringify(body)}));
    assert.equal(res.status, 200, 'graceful=false is graceful all the same, as on Mattermost');
    assert.deepEqual(results, [{email: address, error: null}]);
    const [mail] = await mailTo(address);
    assert.match(mail, new RegExp(`You will also join: ${channel.display_name}\\.`), 'the channel is named; the unknown one is left out');
    assert.match(mail, /Come and see <our> plans/, 'the note, as text');
    assert.match(mail, /Come and see &lt;our&gt; plans/, 'the note, escaped in HTML');
    invitationIn(mail);

    // Without graceful, the channels and the note are ignored.
    const [plain] = addresses(1);
    const strict = `${member.client.getTeamRoute(team.id)}/invite/email`;
    await member.client.doFetch(strict, {method: 'post', body: JSON.stringify({...body, emails: [plain]})});
    const [plainMail] = await mailTo(plain);
    assert.doesNotMatch(plainMail, /You will also join|Come and see/);
});

test('a sender may invite 21 addresses at once, then the limit answers 413', {skip: needsMail}, async () => {
    const {team, member} = await teamWithMember('invrate');
    const first = addresses(21);
    const {data: results} = await h.observe(() => member.client.sendEmailInvitesToTeamGracefully(team.id, first));
    assert.equal(results.length, 21);
    assert.ok(results.every((r) => r.error === null), 'all 21 invited');
    const {error, res} = await h.expectError(() => member.client.sendEmailInvitesToTeam(team.id, addresses(1)), 413, 'the 22nd address');
    h.assertMattermostError(res, 413);
    assert.equal(error.server_error_id, 'app.email.rate_limit_exceeded.app_error');
    assert.equal((await mailTo(first[20])).length, 1, 'the 21st was mailed');

    const fresh = await h.newUser('invrate');
    const {team: other} = await teamWithMember('invrate');
    const {client: adminClient} = await h.admin();
    await adminClient.addToTeam(other.id, fresh.user.id);
    const many = addresses(22);
    const {error: over} = await h.expectError(() => fresh.client.sendEmailInvitesToTeamGracefully(other.id, many), 413, '22 addresses at once');
    assert.equal(over.server_error_id, 'app.email.rate_limit_exceeded.app_error');
    await h.sleep(300);
    assert.deepEqual(mailsTo(many[0]), [], 'a refused batch sends nothing');
});

test('invalidateAllEmailInvites is for system admins', async () => {
    const {client: adminClient} = await h.admin();
    const {data, res} = await h.observe(() => adminClient.invalidateAllEmailInvites());
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    const {client: member} = await h.newUser('invall');
    const {res: forbidden} = await h.expectError(() => member.invalidateAllEmailInvites(), 403, 'a plain user');
    h.assertMattermostError(forbidden, 403);
    await h.expectError(() => h.newClient().invalidateAllEmailInvites(), 401, 'anonymous');
});

// ---------------------------------------------------------------------------
// Team icons.

test('setTeamIcon stores a 128×128 PNG, announces the team, and getTeamIconUrl serves it with an ETag', async () => {
    const {adminClient, team, member} = await teamWithMember('icon');
    const socket = await listen(member.client);
    try {
        const {data, res} = await h.observe(() => adminClient.setTeamIcon(team.id, new Blob([png(300, 100)], {type: 'image/png'})));
        assert.equal(res.status, 200);
        assert.deepEqual(data, {status: 'OK'});
        const updated = await member.client.getTeam(team.id);
        h.assertMillis(updated.last_team_icon_update, 'last_team_icon_update');

        const event = await socket.next('update_team', (e) => JSON.parse(e.data.team).id === team.id);
        assert.equal(JSON.parse(event.data.team).last_team_icon_update, updated.last_team_icon_update);
        assert.equal(event.broadcast.team_id, team.id);

        const url = member.client.getTeamIconUrl(team.id, updated.last_team_icon_update);
        const icon = await fetchWith(member.client, url);
        assert.equal(icon.status, 200);
        assert.equal(icon.headers.get('content-type'), 'image/png');
        assert.match(icon.headers.get('cache-control'), /max-age=86400/);
        const bytes = Buffer.from(await icon.arrayBuffer());
        assert.deepEqual(pngSize(bytes), {width: 128, height: 128}, 'scaled and cropped to 128×128');
        const tag = icon.headers.get('etag');
        assert.ok(tag, 'an ETag');
        const again = await fetchWith(member.client, url, {'If-None-Match': tag});
        assert.equal(again.status, 304);
    } finally {
        socket.close();
    }
});

test('only team admins change the icon; uploads must be an image in the image field, not too large', async () => {
    const {adminClient, team, member} = await teamWithMember('iconbad');
    const image = new Blob([png(64, 64)], {type: 'image/png'});
    const {res: forbidden} = await h.expectError(() => member.client.setTeamIcon(team.id, image), 403, 'a plain member sets the icon');
    h.assertMattermostError(forbidden, 403);
    await h.expectError(() => member.client.removeTeamIcon(team.id), 403, 'a plain member removes the icon');

    const text = new Blob([Buffer.from('this is not an image')], {type: 'image/png'});
    const {error: notImage, res: bad} = await h.expectError(() => adminClient.setTeamIcon(team.id, text), 400, 'text as an image');
    assert.equal(notImage.server_error_id, 'api.team.set_team_icon.decode.app_error');
    assert.match(h.assertMattermostError(bad, 400).message, /'image'/, 'the error names the field');

    const form = new FormData();
    form.append('picture', image);
    const wrongField = () => adminClient.doFetch(`${adminClient.getTeamRoute(team.id)}/image`, {method: 'post', body: form});
    const {error: noFile} = await h.expectError(wrongField, 400, 'an upload in another field');
    assert.equal(noFile.server_error_id, 'api.team.set_team_icon.no_file.app_error');

    const tooLarge = await postDeclaringLength(adminClient, `/api/v4/teams/${team.id}/image`, 11 * 1024 * 1024);
    assert.equal(tooLarge.status, 413, `an announced 11 MB: ${tooLarge.body.slice(0, 300)}`);
    h.assertMattermostError(tooLarge, 413);
    assert.equal((await adminClient.getTeam(team.id)).last_team_icon_update ?? 0, 0, 'no icon was set');
});

test('removeTeamIcon resets last_team_icon_update; a team without an icon answers 404', async () => {
    const {adminClient, team, member} = await teamWithMember('iconrm');
    const url = member.client.getTeamIconUrl(team.id);
    const never = await fetchWith(member.client, url);
    assert.equal(never.status, 404);
    assert.equal((await never.json()).id, 'api.team.get_team_icon.read_file.app_error');

    await adminClient.setTeamIcon(team.id, new Blob([png(40, 90)], {type: 'image/png'}));
    const socket = await listen(member.client);
    try {
        const {data} = await h.observe(() => adminClient.removeTeamIcon(team.id));
        assert.deepEqual(data, {status: 'OK'});
        const event = await socket.next('update_team', (e) => JSON.parse(e.data.team).id === team.id);
        assert.equal(JSON.parse(event.data.team).last_team_icon_update ?? 0, 0);
    } finally {
        socket.close();
    }
    const removed = await member.client.getTeam(team.id);
    assert.equal('last_team_icon_update' in removed, false, 'omitted when 0, as on Mattermost');
    assert.equal((await fetchWith(member.client, url)).status, 404, 'the removed icon is gone');

    const {client: outsider} = await h.newUser('iconout');
    await adminClient.patchTeam({id: team.id, allow_open_invite: false});
    assert.equal((await fetchWith(outsider, url)).status, 403, 'an invite-only team\'s icon is for its members');
    assert.equal((await fetchWith(outsider, member.client.getTeamIconUrl(h.unknownId()))).status, 404);
    assert.equal((await fetch(url)).status, 401, 'anonymous');
});

// ---------------------------------------------------------------------------
// Test notification and test e-mail.

test('sendTestNotificaiton has the system bot message the caller, with force_notification', async () => {
    const {client, user} = await h.newUser('notif');
    const {data, res} = await h.observe(() => client.sendTestNotificaiton());
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    const bot = await client.getUserByUsername('system-bot');
    assert.equal(bot.is_bot, true);
    const dm = await client.createDirectChannel([user.id, bot.id]);
    const list = await client.getPosts(dm.id);
    const posts = list.order.map((id) => list.posts[id]);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].user_id, bot.id);
    assert.match(posts[0].message, /test notification/i);
    assert.equal(typeof posts[0].props.force_notification, 'string');
    assert.equal(posts[0].props.from_bot, 'true');

    await client.sendTestNotificaiton();
    const again = await client.getPosts(dm.id);
    assert.equal(again.order.length, 2, 'the same bot and conversation, reused');
    assert.equal((await client.getUserByUsername('system-bot')).id, bot.id);
    await h.expectError(() => h.newClient().sendTestNotificaiton(), 401, 'anonymous');

    // Nobody else may force a push.
    const other = await h.newUser('notif');
    const direct = await client.createDirectChannel([user.id, other.user.id]);
    const post = await client.createPost({channel_id: direct.id, message: 'forced?', props: {force_notification: 'x'}});
    assert.equal(post.props.force_notification, undefined, 'a client cannot set force_notification');
});

test('testEmail mails the calling admin; others are refused', {skip: needsMail}, async () => {
    const {client: adminClient, user} = await h.admin();
    // The maildir outlives the server: count the test mails already there.
    const testMails = () => mailsTo(user.email).filter((m) => /^Subject: .*Test e-mail/m.test(m)).length;
    const before = testMails();
    const {data, res} = await h.observe(() => adminClient.testEmail());
    assert.equal(res.status, 200);
    assert.deepEqual(data, {status: 'OK'});
    assert.equal(await h.eventually(testMails, (n) => n > before, 5000), before + 1, 'one test mail more');
    const {client: member} = await h.newUser('mailtest');
    const {res: forbidden} = await h.expectError(() => member.testEmail(), 403, 'a plain user');
    h.assertMattermostError(forbidden, 403);
});
