'use strict';
// Password reset and address verification through Client4, as Mattermost
// serves them (api4/user.go, app/user.go): the server mails a link to the
// SMTP test server, which delivers into a maildir (RUSTCHAT_TEST_MAILDIR);
// the token is read from there, as a user would click it.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

const {needsMail: skip, mailTo} = require('../lib/maildir');
const NEW_PASSWORD = 'Another-passw0rd!';

function tokenIn(mail) {
    const match = mail.match(/token=([A-Za-z0-9]{64})/);
    assert.ok(match, 'the mail carries a 64-character token link');
    return match[1];
}

test('sendPasswordResetEmail mails a link; resetUserPassword sets the password, once', {skip}, async () => {
    const {client, user} = await h.newUser('reset');
    const anonymous = h.newClient();
    assert.deepEqual(await anonymous.sendPasswordResetEmail(user.email), {status: 'OK'});
    const mail = await mailTo(user.email);
    assert.equal(mail.length, 1, 'one message');
    assert.match(mail[0], /reset_password_complete\?token=/);
    const token = tokenIn(mail[0]);

    assert.deepEqual(await anonymous.resetUserPassword(token, NEW_PASSWORD), {status: 'OK'});
    const fresh = h.newClient();
    const me = await fresh.login(user.username, NEW_PASSWORD);
    assert.equal(me.id, user.id, 'the new password logs in');
    await h.expectError(() => client.getMe(), 401, 'the old session after a reset');

    const {error} = await h.expectError(() => anonymous.resetUserPassword(token, 'Third-passw0rd!'), 400, 'a used token');
    assert.equal(error.server_error_id, 'api.user.reset_password.invalid_link.app_error');
});

test('sendPasswordResetEmail answers OK for an unknown address and mails nothing', {skip}, async () => {
    const address = `nobody-${h.rand(10)}@example.com`;
    assert.deepEqual(await h.newClient().sendPasswordResetEmail(address), {status: 'OK'});
    assert.deepEqual(await mailTo(address, 0), []);
});

test('resetUserPassword refuses a guessed token with 400 invalid_link', {skip}, async () => {
    const guess = 'a'.repeat(64);
    const {error, res} = await h.expectError(() => h.newClient().resetUserPassword(guess, NEW_PASSWORD), 400, 'a guessed token');
    assert.equal(error.server_error_id, 'api.user.reset_password.invalid_link.app_error');
    h.assertMattermostError(res, 400);
});

test('sendVerificationEmail and verifyUserEmail confirm the address', {skip}, async () => {
    const {client, user} = await h.newUser('verify');
    assert.deepEqual(await h.newClient().sendVerificationEmail(user.email), {status: 'OK'});
    const mail = await mailTo(user.email);
    assert.match(mail[0], /do_verify_email\?token=/);
    assert.deepEqual(await h.newClient().verifyUserEmail(tokenIn(mail[0])), {status: 'OK'});
    const me = await client.getMe();
    assert.equal(me.email_verified, true);
});
