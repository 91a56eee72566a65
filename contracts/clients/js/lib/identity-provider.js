'use strict';
// Real identity providers for the single sign-on suite, run in this process:
//
// - an OpenID Connect provider (the certified `oidc-provider` package) on
//   RUSTCHAT_TEST_IDP_PORT, with one client per rustchat service that speaks
//   OpenID Connect (openid, google, office365);
// - a GitLab stand-in on RUSTCHAT_TEST_GITLAB_PORT: a second `oidc-provider`
//   serving OAuth 2.0 at GitLab's paths (/oauth/authorize, /oauth/token),
//   and GitLab's user API (/api/v4/user) answering for its access tokens.
//
// Both sign users in through the provider's own login form (any login name,
// any password: the name becomes the account). scripts/compat gives the
// server the matching settings (client ids and secrets below).

const crypto = require('node:crypto');
const http = require('node:http');

const SECRETS = {
    'rustchat-openid': 'openid-secret-for-tests',
    'rustchat-google': 'google-secret-for-tests',
    'rustchat-office365': 'office365-secret-for-tests',
    'rustchat-gitlab': 'gitlab-secret-for-tests',
};

/** The e-mail domain of every provider account. */
const DOMAIN = 'sso.example.com';

/** The picture every OpenID account has (a 1×1 PNG), at /avatar.png. */
const AVATAR = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
);

/** A provider account's numeric id, as GitLab would number it. */
function numericId(login) {
    return parseInt(crypto.createHash('sha256').update(login).digest('hex').slice(0, 10), 16);
}

/** What the provider knows of an account, by its login name. */
function profile(login) {
    return {
        sub: login,
        // Microsoft's object id: not the `sub` (which differs per application).
        oid: `oid-${login}`,
        email: `${login}@${DOMAIN}`,
        email_verified: true,
        preferred_username: login,
        given_name: 'Sso',
        family_name: login,
        name: `Sso ${login}`,
    };
}

/**
 * Starts both providers. `serverUrls` is rustchat's site URL, or a list of
 * them (the redirect URIs are registered under each). Returns handles and a `tamper` switch: while
 * `tamper.audience` is set, every ID token the OpenID provider issues is
 * re-signed with the provider's own key for that audience instead.
 */
async function startProviders(serverUrls, idpPort, gitlabPort) {
    const servers = Array.isArray(serverUrls) ? serverUrls : [serverUrls];
    const {default: Provider} = await import('oidc-provider');
    const jose = await import('jose');
    const {privateKey} = await jose.generateKeyPair('RS256', {extractable: true});
    const jwk = {...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig'};

    const client = (service, id) => ({
        client_id: id,
        client_secret: SECRETS[id],
        redirect_uris: servers.map((url) => `${url}/signup/${service}/complete`),
        grant_types: ['authorization_code'],
        response_types: ['code'],
    });
    const accounts = {
        async findAccount(ctx, id) {
            return {
                accountId: id,
                async claims() {
                    return {...profile(id), picture: `http://127.0.0.1:${idpPort}/avatar.png`};
                },
            };
        },
    };

    const issuer = `http://127.0.0.1:${idpPort}`;
    const oidc = new Provider(issuer, {
        clients: [
            client('openid', 'rustchat-openid'),
            client('google', 'rustchat-google'),
            client('office365', 'rustchat-office365'),
        ],
        jwks: {keys: [jwk]},
        claims: {
            openid: ['sub', 'oid'],
            email: ['email', 'email_verified'],
            profile: ['preferred_username', 'given_name', 'family_name', 'name', 'picture'],
        },
        // Scope claims go in the ID token too, as most providers do.
        conformIdTokenClaims: false,
        pkce: {required: () => true},
        ...accounts,
    });
    oidc.proxy = false;

    const tamper = {audience: null};
    const oidcHandler = oidc.callback();
    const oidcServer = http.createServer((req, res) => {
        if (req.url === '/avatar.png') {
            res.writeHead(200, {'content-type': 'image/png', 'content-length': AVATAR.length});
            res.end(AVATAR);
            return;
        }
        if (tamper.audience && req.method === 'POST' && req.url.startsWith('/token')) {
            const end = res.end.bind(res);
            res.end = (chunk, ...rest) => {
                reSign(jose, privateKey, chunk, tamper.audience).then((body) => {
                    res.setHeader('content-length', Buffer.byteLength(body));
                    end(body, ...rest);
                }, () => end(chunk, ...rest));
                return res;
            };
        }
        oidcHandler(req, res);
    });

    const gitlabIssuer = `http://127.0.0.1:${gitlabPort}`;
    const gitlab = new Provider(gitlabIssuer, {
        clients: [client('gitlab', 'rustchat-gitlab')],
        jwks: {keys: [jwk]},
        scopes: ['openid', 'read_user'],
        routes: {authorization: '/oauth/authorize', token: '/oauth/token'},
        pkce: {required: () => true},
        ...accounts,
    });
    const gitlabHandler = gitlab.callback();
    const gitlabServer = http.createServer(async (req, res) => {
        if (req.url.startsWith('/api/v4/user')) {
            const token = (req.headers.authorization || '').replace(/^Bearer /i, '');
            const found = token ? await gitlab.AccessToken.find(token) : undefined;
            if (!found) {
                res.writeHead(401, {'content-type': 'application/json'});
                res.end(JSON.stringify({message: '401 Unauthorized'}));
                return;
            }
            const p = profile(found.accountId);
            res.writeHead(200, {'content-type': 'application/json'});
            res.end(JSON.stringify({
                id: numericId(found.accountId),
                username: p.preferred_username,
                email: p.email,
                name: p.name,
                state: 'active',
                avatar_url: '',
                confirmed_at: '2026-01-01T00:00:00.000Z',
            }));
            return;
        }
        gitlabHandler(req, res);
    });

    await new Promise((resolve) => oidcServer.listen(idpPort, '127.0.0.1', resolve));
    await new Promise((resolve) => gitlabServer.listen(gitlabPort, '127.0.0.1', resolve));
    return {
        issuer,
        gitlabIssuer,
        tamper,
        async stop() {
            await new Promise((resolve) => oidcServer.close(resolve));
            await new Promise((resolve) => gitlabServer.close(resolve));
        },
    };
}

/** The token response with its ID token re-signed for another audience. */
async function reSign(jose, key, chunk, audience) {
    const body = JSON.parse(Buffer.from(chunk).toString('utf8'));
    if (body.id_token) {
        const claims = jose.decodeJwt(body.id_token);
        body.id_token = await new jose.SignJWT({...claims, aud: audience})
            .setProtectedHeader({alg: 'RS256', kid: 'test-key'})
            .sign(key);
    }
    return JSON.stringify(body);
}

module.exports = {startProviders, profile, numericId, DOMAIN, SECRETS, AVATAR};
