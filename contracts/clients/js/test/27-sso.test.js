'use strict';
// Single sign-on end to end, against real providers started in this process
// (lib/identity-provider.js): the web flow and the mobile app's flows
// (MMAUTHTOKEN in the redirect, and the PKCE login code), the provider's own
// login form submitted, redirects followed as a browser follows them.
// Refusals: a forged, replayed or other browser's state, a replayed code, an
// ID token for another audience, and an e-mail address a password account
// already has (which its owner can move to the provider).

const {test, before, after} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const os = require('node:os');
const {execFileSync} = require('node:child_process');

const {MM_URL, PASSWORD, admin, newClient, rand, expectError} = require('../lib/helpers');
const {startProviders, DOMAIN, profile, AVATAR} = require('../lib/identity-provider');

const IDP_PORT = Number(process.env.RUSTCHAT_TEST_IDP_PORT);
const GITLAB_PORT = Number(process.env.RUSTCHAT_TEST_GITLAB_PORT);
if (!IDP_PORT || !GITLAB_PORT) {
    throw new Error('RUSTCHAT_TEST_IDP_PORT and RUSTCHAT_TEST_GITLAB_PORT must be set (scripts/compat sets them and configures the server)');
}

let providers;
before(async () => {
    providers = await startProviders(MM_URL, IDP_PORT, GITLAB_PORT);
});
after(async () => {
    await providers?.stop();
});

/** A browser: a cookie jar (cookies are per host, not per port) and fetch with redirects by hand. */
class Browser {
    constructor() {
        this.jar = new Map();
    }

    cookieHeader() {
        return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    keep(res) {
        for (const line of res.headers.getSetCookie()) {
            const [pair, ...attrs] = line.split(';').map((s) => s.trim());
            const at = pair.indexOf('=');
            const name = pair.slice(0, at);
            const value = pair.slice(at + 1);
            const gone = attrs.some((a) => /^max-age=(0|-)/i.test(a))
                || attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
            if (gone || value === '') {
                this.jar.delete(name);
            } else {
                this.jar.set(name, value);
            }
        }
    }

    async request(url, init = {}) {
        const headers = {...(init.headers || {})};
        const cookies = this.cookieHeader();
        if (cookies) {
            headers.cookie = cookies;
        }
        const res = await fetch(url, {...init, headers, redirect: 'manual'});
        this.keep(res);
        return res;
    }

    /**
     * Opens `url` and goes on as a browser would: following redirects and
     * submitting the provider's login and consent forms as `login`, until
     * rustchat answers the provider's way back (or anything else that is
     * not a redirect or a provider's form). Returns that answer and its URL.
     */
    async signIn(url, login, {stopAtCallback = false} = {}) {
        let res = await this.request(url);
        for (let hops = 0; hops < 20; hops++) {
            if (res.status >= 300 && res.status < 400) {
                const next = new URL(res.headers.get('location'), url).toString();
                if (!next.startsWith('http')) {
                    return {res, url, location: next};
                }
                url = next;
                const callback = onServer(url) && url.includes('/complete');
                if (callback && stopAtCallback) {
                    return {res: null, url, location: null};
                }
                res = await this.request(url);
                if (callback) {
                    return {res, url, location: res.headers.get('location')};
                }
                continue;
            }
            const onProvider = !onServer(url);
            if (res.status === 200 && onProvider) {
                const html = await res.text();
                const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
                assert.ok(form, `the provider's page has a form: ${html.slice(0, 300)}`);
                const fields = new URLSearchParams();
                for (const input of form[2].matchAll(/<input[^>]*>/g)) {
                    const name = /name="([^"]+)"/.exec(input[0])?.[1];
                    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
                    if (name === 'login') {
                        fields.set(name, login);
                    } else if (name === 'password') {
                        fields.set(name, 'any-password');
                    } else if (name) {
                        fields.set(name, value);
                    }
                }
                url = new URL(form[1].replace(/&amp;/g, '&'), url).toString();
                res = await this.request(url, {
                    method: 'POST',
                    headers: {'content-type': 'application/x-www-form-urlencoded'},
                    body: fields.toString(),
                });
                continue;
            }
            return {res, url, location: res.headers.get('location')};
        }
        throw new Error(`too many redirects from ${url}`);
    }
}

/** Whether `url` is this server's (not a provider's on another port). */
function onServer(url) {
    return new URL(url).origin === new URL(MM_URL).origin;
}

/** The query of a redirect to this server's sign-in page. */
function loginPageQuery(location) {
    assert.ok(location, 'a redirect');
    const target = new URL(location, MM_URL);
    assert.equal(target.pathname, '/login', `back to the sign-in page, not ${location}`);
    return target.searchParams;
}

/** Redeems a web sign-in's code in `browser`; returns the fetch response. */
async function redeem(browser, code) {
    return browser.request(`${MM_URL}/api/v1/auth/sso/exchange`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({code}),
    });
}

/** The web flow of `service` as `login`, to a working Client4 session. */
async function webSignIn(service, login) {
    const browser = new Browser();
    const {location} = await browser.signIn(`${MM_URL}/oauth/${service}/login?redirect_to=%2Fsome%2Fpage`, login);
    const query = loginPageQuery(location);
    assert.equal(query.get('sso_error'), null, `no error: ${query.get('sso_error')}`);
    assert.equal(query.get('redirect_to'), '/some/page');
    const code = query.get('sso_code');
    assert.ok(code, 'a one-time code for the web app');
    const res = await redeem(browser, code);
    assert.equal(res.status, 200, `the code is redeemed: ${await res.clone().text()}`);
    const {token, user} = await res.json();
    const client = newClient();
    client.setToken(token);
    return {browser, client, user, code, token};
}

/** The app's address with the page's redirect target (meta refresh). */
async function appTarget(res) {
    assert.equal(res.status, 200);
    const html = await res.text();
    const refresh = /http-equiv="refresh" content="0; url=([^"]+)"/.exec(html);
    assert.ok(refresh, `the page sends the app's browser on: ${html.slice(0, 400)}`);
    return new URL(refresh[1].replace(/&amp;/g, '&'));
}

test('the client config advertises exactly the enabled providers', async () => {
    const config = await newClient().getClientConfig();
    assert.equal(config.EnableSignUpWithOpenId, 'true');
    assert.equal(config.OpenIdButtonText, 'Company SSO');
    assert.equal(config.EnableSignUpWithGitLab, 'true');
    assert.equal(config.EnableSignUpWithGoogle, 'true');
    assert.equal(config.EnableSignUpWithOffice365, 'true');
    assert.equal(config.FeatureFlagMobileSSOCodeExchange, 'true');
    const native = await (await fetch(`${MM_URL}/api/v1/system/config`)).json();
    assert.deepEqual(native.sso_providers.map((p) => p.service), ['gitlab', 'google', 'office365', 'openid']);
});

test('web sign-up makes the account; signing in again finds the same one', async () => {
    await admin();
    const login = `web-${rand(8)}`;
    const first = await webSignIn('openid', login);
    const me = await first.client.getMe();
    assert.equal(me.id, first.user.id);
    assert.equal(me.username, login);
    assert.equal(me.email, `${login}@${DOMAIN}`);
    assert.equal(me.auth_service, 'openid');
    assert.equal(me.first_name, 'Sso');
    assert.equal(me.last_name, login);
    // The provider's picture became the account's.
    assert.ok(me.last_picture_update > 0, 'a picture was set');
    const picture = await fetch(first.client.getProfilePictureUrl(me.id, me.last_picture_update), {
        headers: {authorization: `Bearer ${first.token}`},
    });
    assert.equal(picture.status, 200);
    assert.deepEqual(Buffer.from(await picture.arrayBuffer()), AVATAR);

    const again = await webSignIn('openid', login);
    assert.equal(again.user.id, first.user.id, 'the same account');
    assert.notEqual(again.token, first.token, 'a new session');

    // The code works once, and only in the browser that signed in.
    const replay = await redeem(first.browser, first.code);
    assert.equal(replay.status, 401);
    const browser = new Browser();
    const {location} = await browser.signIn(`${MM_URL}/oauth/openid/login`, login);
    const code = loginPageQuery(location).get('sso_code');
    const elsewhere = await redeem(new Browser(), code);
    assert.equal(elsewhere.status, 401, 'another browser cannot redeem it');
    const own = await redeem(browser, code);
    assert.equal(own.status, 200, 'and trying did not spend it');
});

test('a forged, replayed or other browser\'s state is refused with no session', async () => {
    const login = `state-${rand(8)}`;
    // Forged: a state this server never issued.
    const forger = new Browser();
    await forger.request(`${MM_URL}/oauth/openid/login`);
    const forged = await forger.request(`${MM_URL}/signup/openid/complete?code=abc&state=${rand(20)}`);
    assert.equal(forged.status, 302);
    const forgedQuery = loginPageQuery(forged.headers.get('location'));
    assert.match(forgedQuery.get('sso_error'), /not valid/);
    assert.equal(forgedQuery.get('sso_code'), null);

    // Another browser's: the provider's way back, copied to another browser,
    // is refused there and spends nothing: the browser that started it
    // still finishes it, once.
    const victim = new Browser();
    const start = await victim.signIn(`${MM_URL}/oauth/openid/login`, login, {stopAtCallback: true});
    assert.ok(start.url.includes('/signup/openid/complete'), start.url);
    const stolen = await new Browser().request(start.url);
    const stolenQuery = loginPageQuery(stolen.headers.get('location'));
    assert.match(stolenQuery.get('sso_error'), /not valid/);
    assert.equal(stolenQuery.get('sso_code'), null);
    const own = await victim.request(start.url);
    assert.ok(loginPageQuery(own.headers.get('location')).get('sso_code'), 'the starting browser finishes it');
    const replay = await victim.request(start.url);
    const replayQuery = loginPageQuery(replay.headers.get('location'));
    assert.ok(replayQuery.get('sso_error'), 'a used state is refused');
    assert.equal(replayQuery.get('sso_code'), null);

    // The provider said no.
    const denied = await new Browser().request(`${MM_URL}/signup/openid/complete?error=access_denied&state=x`);
    assert.match(loginPageQuery(denied.headers.get('location')).get('sso_error'), /access denied/);
});

test('mobile sign-in ends at mmauth:// with a working session', async () => {
    const login = `mobile-${rand(8)}`;
    const browser = new Browser();
    const {res} = await browser.signIn(`${MM_URL}/oauth/openid/mobile_login?redirect_to=${encodeURIComponent('mmauth://callback')}`, login);
    const target = await appTarget(res);
    assert.equal(target.protocol, 'mmauth:');
    assert.equal(target.host, 'callback');
    assert.equal(target.searchParams.get('srv'), MM_URL);
    const token = target.searchParams.get('MMAUTHTOKEN');
    const csrf = target.searchParams.get('MMCSRF');
    assert.ok(token && csrf, 'a session and its CSRF token');
    const client = newClient();
    client.setToken(token);
    const me = await client.getMe();
    assert.equal(me.username, login);
    assert.equal(me.auth_service, 'openid');

    // The beta app's scheme too; any other target is refused before the provider.
    const beta = await new Browser().signIn(`${MM_URL}/oauth/openid/mobile_login?redirect_to=${encodeURIComponent('mmauthbeta://callback')}`, login);
    assert.equal((await appTarget(beta.res)).protocol, 'mmauthbeta:');
    const evil = await new Browser().request(`${MM_URL}/oauth/openid/mobile_login?redirect_to=${encodeURIComponent('https://evil.example.com/')}`);
    assert.equal(evil.status, 400);
    assert.match(await evil.text(), /redirect_to/);
    assert.equal(evil.headers.get('location'), null, 'never sent to the provider');
});

test('mobile sign-in with PKCE: a login code redeemed once, with the right verifier', async () => {
    const login = `pkce-${rand(8)}`;
    const start = () => {
        const verifier = crypto.randomBytes(64).toString('base64url');
        const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
        const state = crypto.randomUUID();
        const url = `${MM_URL}/oauth/openid/mobile_login?redirect_to=${encodeURIComponent('mmauth://callback')}`
            + `&state=${state}&code_challenge=${challenge}&code_challenge_method=S256`;
        return {verifier, state, url};
    };
    const exchange = (body) => fetch(`${MM_URL}/api/v4/users/login/sso/code-exchange`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(body),
    });

    const wrong = start();
    const wrongTarget = await appTarget((await new Browser().signIn(wrong.url, login)).res);
    const wrongCode = wrongTarget.searchParams.get('login_code');
    assert.ok(wrongCode);
    assert.equal(wrongTarget.searchParams.get('MMAUTHTOKEN'), null, 'no session in the redirect');
    const refused = await exchange({login_code: wrongCode, code_verifier: crypto.randomBytes(64).toString('base64url'), state: wrong.state});
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).id, 'api.user.login_sso_code_exchange.invalid.app_error');

    const right = start();
    const target = await appTarget((await new Browser().signIn(right.url, login)).res);
    assert.equal(target.searchParams.get('srv'), MM_URL);
    const code = target.searchParams.get('login_code');
    const badState = await exchange({login_code: code, code_verifier: right.verifier, state: 'other'});
    assert.equal(badState.status, 400, 'a wrong state is refused');

    const third = start();
    const thirdCode = (await appTarget((await new Browser().signIn(third.url, login)).res)).searchParams.get('login_code');
    const ok = await exchange({login_code: thirdCode, code_verifier: third.verifier, state: third.state});
    assert.equal(ok.status, 200);
    const {token, csrf} = await ok.json();
    assert.ok(token && csrf);
    const client = newClient();
    client.setToken(token);
    assert.equal((await client.getMe()).username, login);
    const replay = await exchange({login_code: thirdCode, code_verifier: third.verifier, state: third.state});
    assert.equal(replay.status, 400, 'a code works once');
    const missing = await exchange({login_code: thirdCode});
    assert.equal(missing.status, 400);
});

test('an ID token for another audience is refused', async () => {
    const login = `aud-${rand(8)}`;
    providers.tamper.audience = 'some-other-application';
    try {
        const {location} = await new Browser().signIn(`${MM_URL}/oauth/openid/login`, login);
        const query = loginPageQuery(location);
        assert.match(query.get('sso_error'), /ID token/);
        assert.equal(query.get('sso_code'), null);
    } finally {
        providers.tamper.audience = null;
    }
    const {client: adminClient} = await admin();
    await expectError(() => adminClient.getUserByUsername(login), 404, 'no account was made');
});

test('a password account\'s address is not taken over; its owner can switch it', async () => {
    const {client: adminClient} = await admin();
    const login = `owner-${rand(8)}`;
    const email = profile(login).email;
    const account = await adminClient.createUser({username: `pw-${login}`, email, password: PASSWORD});

    const {location} = await new Browser().signIn(`${MM_URL}/oauth/openid/login`, login);
    const query = loginPageQuery(location);
    assert.match(query.get('sso_error'), /already signs in/);
    assert.equal(query.get('sso_code'), null);
    assert.equal((await adminClient.getUser(account.id)).auth_service, '', 'the account is unchanged');

    // The owner moves it, proving the password first.
    const browser = new Browser();
    const switched = await browser.request(`${MM_URL}/api/v4/users/login/switch`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({current_service: 'email', new_service: 'openid', email, password: 'wrong-password'}),
    });
    assert.equal(switched.status, 401, 'the password is checked');
    const ok = await browser.request(`${MM_URL}/api/v4/users/login/switch`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({current_service: 'email', new_service: 'openid', email, password: PASSWORD}),
    });
    assert.equal(ok.status, 200);
    const {follow_link: link} = await ok.json();
    const done = await browser.signIn(link, login);
    assert.equal(done.location, '/login?extra=signin_change');
    assert.equal((await adminClient.getUser(account.id)).auth_service, 'openid');

    const after = await webSignIn('openid', login);
    assert.equal(after.user.id, account.id, 'the provider now signs in to that account');
    await expectError(() => newClient().login(`pw-${login}`, PASSWORD), 401, 'the password no longer works');
});

test('an account an admin moved to the provider is bound at its first sign-in there', async () => {
    const bin = process.env.RUSTCHAT_BIN;
    assert.ok(bin, 'RUSTCHAT_BIN names the server binary (scripts/compat sets it)');
    const {client: adminClient} = await admin();
    const login = `moved-${rand(8)}`;
    const email = profile(login).email;
    const account = await adminClient.createUser({username: `old-${login}`, email, password: PASSWORD});
    const out = execFileSync(bin, ['user', 'migrate-auth', '--to', 'openid', email], {
        cwd: os.tmpdir(),
        env: {...process.env, RUSTCHAT_LOG: 'warn'},
        encoding: 'utf8',
    });
    assert.match(out, /now signs in with openid/);
    await expectError(() => newClient().login(`old-${login}`, PASSWORD), 401, 'its password stopped working');
    const {user} = await webSignIn('openid', login);
    assert.equal(user.id, account.id, 'the provider signs in to the moved account');
    assert.equal((await adminClient.getUser(account.id)).auth_service, 'openid');
});

test('Google and Microsoft sign in through their discovery documents', async () => {
    for (const service of ['google', 'office365']) {
        const login = `${service}-${rand(8)}`;
        const {client, user} = await webSignIn(service, login);
        const me = await client.getMe();
        assert.equal(me.auth_service, service);
        assert.equal(me.id, user.id);
        const again = await webSignIn(service, login);
        assert.equal(again.user.id, user.id, `${service}: the same account again`);
    }
});

test('GitLab signs in through its OAuth and user API', async () => {
    const login = `gitlab-${rand(8)}`;
    const {client, user} = await webSignIn('gitlab', login);
    const me = await client.getMe();
    assert.equal(me.auth_service, 'gitlab');
    assert.equal(me.username, login);
    assert.equal(me.email, `${login}@${DOMAIN}`);
    const again = await webSignIn('gitlab', login);
    assert.equal(again.user.id, user.id);
});

test('a disabled or unknown service answers Mattermost\'s 501', async () => {
    const res = await fetch(`${MM_URL}/oauth/saml/login`, {redirect: 'manual'});
    assert.equal(res.status, 501);
    const body = await res.json();
    assert.equal(body.status_code, 501);
});
