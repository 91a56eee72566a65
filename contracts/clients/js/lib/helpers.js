'use strict';
// Shared plumbing for the Client4 suites: the server URL, a record of every
// HTTP exchange the official client makes (so tests can assert status codes
// and headers that Client4 itself hides), and the accounts the tests use.
//
// Nothing here answers in place of the server: every request goes to the
// rustchat instance named by MM_URL.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');

// Client4's WebSocket client expects a browser-style global.
globalThis.WebSocket = require('ws');

// ---------------------------------------------------------------------------
// Contract recording. When CONTRACTS_RECORD names a file, every HTTP exchange
// and every WebSocket frame received is appended to it as one JSON line, for
// contracts/tests/schemas/ to validate against contracts/schemas/. Unset, this
// does nothing.

const RECORD_FILE = process.env.CONTRACTS_RECORD || '';

function record(entry) {
    if (RECORD_FILE) {
        fs.appendFileSync(RECORD_FILE, JSON.stringify({client: 'js', ...entry}) + '\n');
    }
}

// Every socket, the official WebSocketClient's and the tests' raw ones alike, is
// a `ws` WebSocket, and `ws` hands each incoming message to emit('message').
if (RECORD_FILE) {
    const WebSocketClass = require('ws');
    const emit = WebSocketClass.prototype.emit;
    WebSocketClass.prototype.emit = function (event, ...args) {
        if (event === 'message' && !args[1]) {
            const data = args[0];
            const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
            record({ws: true, frame: bytes.toString('utf8')});
        }
        return emit.call(this, event, ...args);
    };
}

const {Client4, ClientError} = require('@mattermost/client');

const MM_URL = (process.env.MM_URL || '').replace(/\/+$/, '');
if (!MM_URL) {
    throw new Error('MM_URL is not set: point it at a running rustchat server, e.g. MM_URL=http://127.0.0.1:8065');
}

// ---------------------------------------------------------------------------
// Exchange log. Client4 calls the global fetch; wrap it once so every response
// is recorded with its status, headers and raw body text.

const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    const method = (init.method || 'GET').toUpperCase();
    const response = await realFetch(input, init);
    let body = '';
    try {
        body = await response.clone().text();
    } catch (err) {
        body = `<unreadable body: ${err}>`;
    }
    exchanges.push({url, method, status: response.status, headers: response.headers, body});
    // After followed redirects the status and body are the final URL's.
    record({method, url: response.url || url, status: response.status, body});
    return response;
};

function lastExchange() {
    assert.ok(exchanges.length > 0, 'no HTTP exchange recorded');
    return exchanges[exchanges.length - 1];
}

// Runs fn (which makes Client4 calls) and returns its result together with the
// last HTTP exchange it made.
async function observe(fn) {
    const before = exchanges.length;
    const data = await fn();
    assert.ok(exchanges.length > before, 'the call made no HTTP request');
    return {data, res: exchanges[exchanges.length - 1]};
}

// Awaits a call that must fail; returns the ClientError and the exchange.
async function expectError(fn, status, what = 'request') {
    const before = exchanges.length;
    let error;
    try {
        await fn();
    } catch (err) {
        error = err;
    }
    assert.ok(exchanges.length > before, `${what}: no HTTP request was made`);
    const res = exchanges[exchanges.length - 1];
    assert.ok(error, `${what}: expected HTTP ${status}, but the call succeeded with HTTP ${res.status}`);
    assert.equal(res.status, status, `${what}: expected HTTP ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
    assert.ok(error instanceof ClientError, `${what}: expected a ClientError, got ${error}`);
    return {error, res};
}

// ---------------------------------------------------------------------------
// Small checks shared by the tests.

const ID_RE = /^[a-z0-9]{26}$/;
const ID_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

function assertId(value, what = 'id') {
    assert.equal(typeof value, 'string', `${what} must be a string, got ${JSON.stringify(value)}`);
    assert.match(value, ID_RE, `${what} must be a 26-character Mattermost id, got ${JSON.stringify(value)}`);
}

function assertMillis(value, what = 'timestamp') {
    assert.equal(typeof value, 'number', `${what} must be a number, got ${JSON.stringify(value)}`);
    assert.ok(Number.isInteger(value), `${what} must be an integer of milliseconds, got ${value}`);
    assert.ok(value > 1e12 && value < 1e14, `${what} must be milliseconds since the epoch, got ${value}`);
}

// A well-formed id that no server has issued.
function unknownId() {
    const bytes = crypto.randomBytes(26);
    let id = '';
    for (const b of bytes) {
        id += ID_ALPHABET[b % 32];
    }
    return id;
}

function rand(n = 8) {
    return crypto.randomBytes(16).toString('hex').slice(0, n);
}

// "10.11.0.123.abc.false" -> [10, 11, 0]
function semverOf(value) {
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(String(value || ''));
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function assertVersionAtLeast(value, min, what) {
    const got = semverOf(value);
    assert.ok(got, `${what} must start with major.minor.patch, got ${JSON.stringify(value)}`);
    const want = semverOf(min);
    for (let i = 0; i < 3; i++) {
        if (got[i] !== want[i]) {
            assert.ok(got[i] > want[i], `${what} must be >= ${min}, got ${value}`);
            return;
        }
    }
}

function header(res, name) {
    return res.headers.get(name);
}

function assertMattermostError(res, status) {
    assert.equal(res.status, status);
    assert.equal(header(res, 'content-type'), 'application/json', 'error bodies are application/json');
    let body;
    try {
        body = JSON.parse(res.body);
    } catch (err) {
        assert.fail(`error body is not JSON: ${res.body.slice(0, 200)}`);
    }
    for (const key of ['id', 'message', 'detailed_error', 'request_id']) {
        assert.equal(typeof body[key], 'string', `error body field ${key} must be a string: ${res.body}`);
    }
    assert.ok(body.id.length > 0, 'error id must not be empty');
    assert.ok(body.message.length > 0, 'error message must not be empty');
    assert.equal(body.status_code, status, `error body status_code must repeat the HTTP status: ${res.body}`);
    assert.equal(body.request_id, header(res, 'x-request-id'), 'error request_id must equal the X-Request-Id header');
    return body;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls fn until check(value) is true or the time runs out; returns the last value.
async function eventually(fn, check, timeoutMs = 2000) {
    const end = Date.now() + timeoutMs;
    let value = await fn();
    while (!check(value) && Date.now() < end) {
        await sleep(100);
        value = await fn();
    }
    return value;
}

// ---------------------------------------------------------------------------
// Clients and accounts.

const PASSWORD = 'Compat-Passw0rd!';
const ADMIN = {username: 'compat-admin', email: 'compat-admin@example.com', password: PASSWORD};

// A Client4 pointed at MM_URL. Its errors are prefixed with the request and
// the HTTP status so that a failing test says which call failed.
function newClient() {
    const client = new Client4();
    client.setUrl(MM_URL);
    const doFetchWithResponse = client.doFetchWithResponse;
    client.doFetchWithResponse = async (url, options) => {
        const before = exchanges.length;
        try {
            return await doFetchWithResponse(url, options);
        } catch (err) {
            if (err instanceof ClientError && exchanges.length > before) {
                const ex = exchanges[exchanges.length - 1];
                const path = ex.url.slice(MM_URL.length);
                err.message = `${ex.method} ${path} -> HTTP ${ex.status} ${err.server_error_id || ''}: ${err.message}`;
            }
            throw err;
        }
    };
    return client;
}

// Logs in as the shared admin account, creating it when the server has none.
// The suites expect a fresh server (scripts/compat starts one), on which this
// account is the first user ever created and therefore a system admin.
let adminPromise = null;
function admin() {
    if (!adminPromise) {
        adminPromise = (async () => {
            const client = newClient();
            try {
                const user = await client.login(ADMIN.username, ADMIN.password);
                return {client, user, created: false};
            } catch (err) {
                // Not there yet: sign up (open for the first user), then log in.
            }
            const created = await newClient().createUser({...ADMIN});
            const user = await client.login(ADMIN.username, ADMIN.password);
            return {client, user, created, createdUser: created};
        })();
    }
    return adminPromise;
}

// Creates a user through the admin session and returns a logged-in client.
async function newUser(prefix = 'js') {
    const {client: adminClient} = await admin();
    const username = `${prefix}-${rand(10)}`;
    const created = await adminClient.createUser({
        username,
        email: `${username}@example.com`,
        password: PASSWORD,
        first_name: 'Compat',
        last_name: prefix,
    });
    const client = newClient();
    const user = await client.login(username, PASSWORD);
    return {client, user: {...created, ...user}};
}

// Users shared by the tests of one file (each test file runs in its own
// process). Creating and logging in a user costs two password hashes, so the
// tests reuse a few accounts and make fresh teams and channels instead.
const pooled = [];
async function users(n) {
    while (pooled.length < n) {
        const missing = n - pooled.length;
        pooled.push(...Array.from({length: missing}, () => newUser('pool')));
    }
    return Promise.all(pooled.slice(0, n));
}

async function newTeam(prefix = 'js') {
    const {client: adminClient} = await admin();
    const name = `${prefix}-team-${rand(10)}`;
    return adminClient.createTeam({name, display_name: `Compat ${name}`, type: 'O'});
}

async function newPublicChannel(client, teamId, prefix = 'js') {
    const name = `${prefix}-chan-${rand(10)}`;
    return client.createChannel({team_id: teamId, name, display_name: `Compat ${name}`, type: 'O', purpose: '', header: ''});
}

function pendingPostId(userId) {
    return `${userId}:${Date.now()}${rand(4)}`;
}

/** A frame's JSON, or undefined when it is not JSON. */
function tryParse(text) {
    try {
        return JSON.parse(text);
    } catch (err) {
        return undefined;
    }
}

/** `promise`, or a rejection naming `what` after `timeoutMs`. */
function withTimeout(promise, timeoutMs, what) {
    let timer;
    return Promise.race([
        promise,
        new Promise((resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
        }),
    ]).finally(() => clearTimeout(timer));
}

module.exports = {
    tryParse,
    withTimeout,
    Client4,
    ClientError,
    MM_URL,
    ADMIN,
    PASSWORD,
    exchanges,
    lastExchange,
    observe,
    expectError,
    assertId,
    assertMillis,
    assertVersionAtLeast,
    assertMattermostError,
    header,
    semverOf,
    unknownId,
    rand,
    sleep,
    eventually,
    newClient,
    admin,
    newUser,
    users,
    newTeam,
    newPublicChannel,
    pendingPostId,
};
