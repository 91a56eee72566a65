'use strict';
// The mail the server sent, as the SMTP test server delivered it into a
// maildir (RUSTCHAT_TEST_MAILDIR, started by scripts/test): the suites read
// links from there, as a user would click them.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const MAILDIR = process.env.RUSTCHAT_TEST_MAILDIR || '';
if (!MAILDIR && process.env.CI === 'true') {
    throw new Error('RUSTCHAT_TEST_MAILDIR is required under CI=true (the test script starts an SMTP server)');
}
/** A node:test `skip` value: false when mail can be read. */
const needsMail = MAILDIR ? false : 'no SMTP test server (RUSTCHAT_TEST_MAILDIR is not set)';

function decodeQuotedPrintable(raw) {
    return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The messages delivered to an address so far, decoded. */
function mailsTo(address) {
    const found = [];
    for (const sub of ['new', 'cur']) {
        const dir = path.join(MAILDIR, sub);
        if (!fs.existsSync(dir)) {
            continue;
        }
        for (const name of fs.readdirSync(dir)) {
            const raw = fs.readFileSync(path.join(dir, name), 'utf8');
            const to = raw.split(/\r?\n/).find((line) => /^to:/i.test(line)) || '';
            if (to.toLowerCase().includes(address.toLowerCase())) {
                found.push(decodeQuotedPrintable(raw));
            }
        }
    }
    return found;
}

/** The messages delivered to an address, waiting up to 5 s for `count`. */
async function mailTo(address, count = 1) {
    const deadline = Date.now() + 5000;
    for (;;) {
        const found = mailsTo(address);
        if (found.length >= count || Date.now() > deadline) {
            return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** The sign-up link of an invitation mail, read as the web app reads it. */
function invitationIn(mail) {
    const match = mail.match(/(https?:\/\/\S+?\/signup_user_complete\/\?d=[^\s"&]+&t=[A-Za-z0-9]+)/);
    assert.ok(match, `the mail carries a sign-up link: ${mail.slice(0, 400)}`);
    const url = new URL(match[1]);
    return {url, data: JSON.parse(url.searchParams.get('d')), token: url.searchParams.get('t')};
}

module.exports = {MAILDIR, needsMail, mailsTo, mailTo, invitationIn};
