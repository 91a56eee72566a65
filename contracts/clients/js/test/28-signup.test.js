'use strict';
// Sign-up as Mattermost does it (api4/user.go createUser, app/user.go),
// through Client4. The suite's server runs with open sign-up off, the
// default, so strangers need an invitation: a team's invite id (`iid`) or a
// mailed invitation's token (`t`, single use, 48 hours, for the invited
// address). scripts/compat lists the suites' e-mail domains in
// restrict_creation_to_domains, so another domain is refused on every path.
// Two servers started here on empty databases show that the first account
// can always be made, and that with user creation off even an invitation
// is refused while admins still create accounts.
//
// scripts/compat passes the server's binary and database (RUSTCHAT_BIN,
// RUSTCHAT_DATABASE_URL): the servers started here use a new database of the
// same kind, and an invitation is aged in the suite's database to expire it.

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const {spawn, execFileSync} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const h = require('../lib/helpers');
const {needsMail, mailTo, invitationIn} = require('../lib/maildir');

const BIN = process.env.RUSTCHAT_BIN || '';
const DATABASE_URL = process.env.RUSTCHAT_DATABASE_URL || '';
const needsServer = BIN && DATABASE_URL ? false : 'RUSTCHAT_BIN and RUSTCHAT_DATABASE_URL are not set (scripts/compat sets them)';

function stranger(tag, domain = 'example.com') {
    const username = `su-${tag}-${h.rand(6)}`;
    return {username, email: `${username}@${domain}`, password: h.PASSWORD};
}

async function newTeamWithInvite() {
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('signup');
    const seen = await adminClient.getTeam(team.id);
    h.assertId(seen.invite_id, 'the invite id a team admin sees');
    return {adminClient, team: seen};
}

async function assertMember(teamId, userId) {
    const {client: adminClient} = await h.admin();
    const member = await adminClient.getTeamMember(teamId, userId);
    assert.equal(member.user_id, userId);
    assert.equal(member.delete_at, 0, 'an active member');
    const townSquare = await adminClient.getChannelByName(teamId, 'town-square');
    const channelMember = await adminClient.getChannelMember(townSquare.id, userId);
    assert.equal(channelMember.user_id, userId, 'joined the team\'s town square too');
}

// ---------------------------------------------------------------------------
// Servers of our own, on empty databases.

function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const {port} = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** A database URL of the suite's kind, for a database nobody used yet. */
function freshDatabase(dir) {
    if (DATABASE_URL.startsWith('postgres')) {
        const url = new URL(DATABASE_URL);
        url.pathname = `/rustchat_test_signup_${h.rand(10)}`;
        return url.toString();
    }
    return `sqlite://${path.join(dir, 'rustchat.db')}`;
}

const started = [];
after(() => {
    for (const child of started) {
        child.kill('SIGTERM');
    }
});

async function startServer(env) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rustchat-signup-'));
    const url = `http://127.0.0.1:${port}`;
    // Only what is given here: none of the suite server's settings.
    const child = spawn(BIN, ['serve'], {
        cwd: dir,
        env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            RUSTCHAT_LOG: 'warn',
            RUSTCHAT_LISTEN: `127.0.0.1:${port}`,
            RUSTCHAT_DATA_DIR: dir,
            RUSTCHAT_DATABASE_URL: freshDatabase(dir),
            ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
    });
    started.push(child);
    const deadline = Date.now() + 30000;
    for (;;) {
        assert.equal(child.exitCode, null, 'the server started');
        try {
            if ((await fetch(`${url}/api/v4/system/ping`)).ok) {
                break;
            }
        } catch (err) {
            // Not listening yet.
        }
        assert.ok(Date.now() < deadline, `the server at ${url} answered within 30 s`);
        await h.sleep(100);
    }
    const client = () => {
        const c = new h.Client4();
        c.setUrl(url);
        return c;
    };
    return {url, client};
}

// ---------------------------------------------------------------------------
// The suite's server: invitation-only.

test('the client config says sign-up is by invitation, as Mattermost\'s keys do', async () => {
    const config = await h.newClient().getClientConfig();
    assert.equal(config.EnableOpenServer, 'false');
    assert.equal(config.EnableUserCreation, 'true');
    assert.equal(config.EnableSignUpWithEmail, 'true');
    assert.equal(config.NoAccounts, 'false');
});

test('a stranger\'s sign-up is refused with Mattermost\'s no_open_server', async () => {
    await h.admin();
    const {error, res} = await h.expectError(() => h.newClient().createUser(stranger('open')), 403, 'sign-up without an invitation');
    h.assertMattermostError(res, 403);
    assert.equal(error.server_error_id, 'api.user.create_user.no_open_server');
    // A signed-in user who is not an admin is a stranger here too.
    const {client} = await h.newUser('signup-member');
    const again = await h.expectError(() => client.createUser(stranger('member')), 403, 'sign-up by a member');
    assert.equal(again.error.server_error_id, 'api.user.create_user.no_open_server');
});

test('an admin still creates accounts', async () => {
    const {client: adminClient} = await h.admin();
    const created = await adminClient.createUser(stranger('by-admin'));
    h.assertId(created.id);
    assert.equal(created.roles, 'system_user');
});

test('a team\'s invite id signs up and joins that team', async () => {
    const {team} = await newTeamWithInvite();
    const info = await h.newClient().getTeamInviteInfo(team.invite_id);
    assert.equal(info.id, team.id, 'the visitor sees which team invites them');
    assert.equal(info.display_name, team.display_name);

    const person = stranger('iid');
    const {data: created, res} = await h.observe(() => h.newClient().createUser(person, '', team.invite_id));
    assert.equal(res.status, 201);
    assert.match(res.url, /[?&]iid=/, 'Client4 sent the invite id as iid');
    assert.equal(created.email, person.email);
    assert.ok(!created.email_verified, 'an invite link proves no address');
    const client = h.newClient();
    await client.login(person.username, person.password);
    const teams = await client.getMyTeams();
    assert.deepEqual(teams.map((t) => t.id), [team.id]);
    await assertMember(team.id, created.id);
});

test('a regenerated invite id, and one never issued, are refused', async () => {
    const {adminClient, team} = await newTeamWithInvite();
    const renewed = await adminClient.regenerateTeamInviteId(team.id);
    assert.notEqual(renewed.invite_id, team.invite_id);
    for (const inviteId of [team.invite_id, h.unknownId()]) {
        const {error, res} = await h.expectError(
            () => h.newClient().createUser(stranger('old-iid'), '', inviteId), 404, 'sign-up with a dead invite id');
        h.assertMattermostError(res, 404);
        assert.equal(error.server_error_id, 'app.team.get_by_invite_id.finding.app_error');
    }
    await h.expectError(() => h.newClient().getTeamInviteInfo(team.invite_id), 404, 'the old link shows no team');
    const person = stranger('new-iid');
    const created = await h.newClient().createUser(person, '', renewed.invite_id);
    await assertMember(team.id, created.id);
});

test('a domain the server does not list, or the team does not accept, is refused', async () => {
    const {adminClient, team} = await newTeamWithInvite();
    const outside = await h.expectError(
        () => h.newClient().createUser(stranger('domain', 'elsewhere.example'), '', team.invite_id), 400, 'another domain');
    assert.equal(outside.error.server_error_id, 'api.user.create_user.accepted_domain.app_error');
    // Admins make accounts under the same rule.
    const byAdmin = await h.expectError(
        () => adminClient.createUser(stranger('admin-domain', 'elsewhere.example')), 400, 'an admin, another domain');
    assert.equal(byAdmin.error.server_error_id, 'api.user.create_user.accepted_domain.app_error');

    await adminClient.patchTeam({id: team.id, allowed_domains: 'sso.example.com'});
    const notTeams = await h.expectError(
        () => h.newClient().createUser(stranger('team-domain'), '', team.invite_id), 403, 'a domain the team does not accept');
    assert.equal(notTeams.error.server_error_id, 'api.team.invite_members.invalid_email.app_error');
    const created = await h.newClient().createUser(stranger('team-domain', 'sso.example.com'), '', team.invite_id);
    await assertMember(team.id, created.id);
});

test('a mailed invitation signs up its address once, into its team and channels', {skip: needsMail}, async () => {
    const {adminClient, team} = await newTeamWithInvite();
    const channel = await h.newPublicChannel(adminClient, team.id, 'signup');
    const person = stranger('mailed');
    await adminClient.sendEmailInvitesToTeamAndChannelsGracefully(team.id, [channel.id], [person.email], 'join us');
    const [mail] = await mailTo(person.email);
    assert.ok(mail, 'the invitation was mailed');
    const {token, data} = invitationIn(mail);
    assert.equal(data.email, person.email);

    const otherAddress = await h.expectError(
        () => h.newClient().createUser({...person, email: `x-${person.email}`}, token, ''), 400, 'another address');
    assert.equal(otherAddress.error.server_error_id, 'api.user.create_user.bad_token_email_data.app_error');

    const {data: created, res} = await h.observe(() => h.newClient().createUser(person, token, ''));
    assert.equal(res.status, 201);
    assert.match(res.url, /[?&]t=/, 'Client4 sent the token as t');
    assert.equal(created.email_verified, true, 'the mailed link proves the address');
    await assertMember(team.id, created.id);
    const inChannel = await adminClient.getChannelMember(channel.id, created.id);
    assert.equal(inChannel.user_id, created.id, 'joined the invitation\'s channel');

    const used = await h.expectError(
        () => h.newClient().createUser(stranger('reuse'), token, ''), 404, 'the token a second time');
    h.assertMattermostError(used.res, 404);
    assert.equal(used.error.server_error_id, 'api.user.create_user.signup_link_invalid.app_error');
});

/** Makes the invitations to `email` older than their 48 hours, in the suite's database. */
function ageInvitations(email) {
    const sql = `UPDATE email_tokens SET create_at = create_at - 49 * 3600 * 1000 WHERE kind = 'team_invitation' AND email = '${email}'`;
    if (DATABASE_URL.startsWith('postgres')) {
        execFileSync('psql', [DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
    } else {
        const file = DATABASE_URL.replace(/^sqlite:\/\//, '').replace(/\?.*$/, '');
        const script = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\nc.execute(sys.argv[2])\nc.commit()';
        execFileSync('python3', ['-c', script, file, sql]);
    }
}

test('an expired mailed invitation is refused', {skip: needsMail || needsServer}, async () => {
    const {adminClient, team} = await newTeamWithInvite();
    const person = stranger('expired');
    await adminClient.sendEmailInvitesToTeam(team.id, [person.email]);
    const [mail] = await mailTo(person.email);
    const {token} = invitationIn(mail);
    ageInvitations(person.email);
    const {error, res} = await h.expectError(() => h.newClient().createUser(person, token, ''), 400, 'an expired invitation');
    h.assertMattermostError(res, 400);
    assert.equal(error.server_error_id, 'api.user.create_user.signup_link_expired.app_error');
    await h.expectError(() => h.newClient().createUser(person, token, ''), 404, 'an expired invitation is gone');
});

// ---------------------------------------------------------------------------
// Servers started here.

test('on an empty server with the default settings, the first account is made and is the admin', {skip: needsServer}, async () => {
    const server = await startServer({});
    const anonymous = server.client();
    assert.equal((await anonymous.getClientConfig()).NoAccounts, 'true', 'the apps offer to create the first account');
    const first = await anonymous.createUser(stranger('first'));
    assert.match(first.roles, /system_admin/);
    assert.equal((await anonymous.getClientConfig()).NoAccounts, 'false');
    const {error} = await h.expectError(() => server.client().createUser(stranger('second')), 403, 'the second stranger');
    assert.equal(error.server_error_id, 'api.user.create_user.no_open_server');
});

test('with user creation off, invitations are refused too; admins still create accounts', {skip: needsServer}, async () => {
    const server = await startServer({RUSTCHAT_ENABLE_USER_CREATION: 'false'});
    const first = stranger('first-off');
    await server.client().createUser(first);
    const admin = server.client();
    await admin.login(first.username, first.password);
    const config = await server.client().getClientConfig();
    assert.equal(config.EnableUserCreation, 'false');
    assert.equal(config.EnableSignUpWithEmail, 'false');
    assert.equal(config.EnableOpenServer, 'false');

    const team = await admin.createTeam({name: `off-${h.rand(8)}`, display_name: 'Closed Team', type: 'O'});
    const {error, res} = await h.expectError(
        () => server.client().createUser(stranger('off'), '', team.invite_id), 501, 'sign-up with an invite id');
    h.assertMattermostError(res, 501);
    assert.equal(error.server_error_id, 'api.user.create_user.signup_email_disabled.app_error');
    const made = await admin.createUser(stranger('off-by-admin'));
    h.assertId(made.id);
});
