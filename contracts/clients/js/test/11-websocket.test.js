'use strict';
// The real-time API (/api/v4/websocket) through Mattermost's official
// WebSocketClient (the one the web app uses, from @mattermost/client) and, where
// that client hides what must be checked (replies it drops, frames it never
// sends, closes), through a raw `ws` socket.
//
// Every wait below has an explicit, short timeout; negative checks ("B gets
// nothing for that channel") are made after a later event has reached the same
// connection, so they do not depend on sleeping.

const {test, after} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');
const {tryParse, withTimeout} = h;
const {WebSocketClient} = require('@mattermost/client');
const WebSocket = require('ws');

// The official client under Node: its CloseEvent, and a way to stop it for good.
const {stopWebSocketClient} = require('../lib/websocket-client');

// Client4 knows the route; the web app swaps http(s) for ws(s) the same way.
const WS_URL = h.newClient().getWebSocketUrl().replace(/^http/i, 'ws');
const WAIT = 4000;
const BROADCAST_KEYS = ['omit_users', 'user_id', 'channel_id', 'team_id', 'connection_id', 'omit_connection_id'];
const STATUSES = ['online', 'away', 'dnd', 'offline', 'ooo'];

// ---------------------------------------------------------------------------
// Frames and waiting.

// Both official clients treat a frame with a truthy seq_reply as a reply and
// everything else as an event.
const isReply = (f) => Boolean(f && f.seq_reply);
const isEvent = (f) => Boolean(f && !f.seq_reply && typeof f.event === 'string');

function describe(f) {
    if (isReply(f)) {
        return `reply(seq_reply=${f.seq_reply} ${f.status}${f.error ? ' ' + f.error.id : ''})`;
    }
    if (isEvent(f)) {
        return `${f.event}#${f.seq}`;
    }
    return JSON.stringify(f).slice(0, 80);
}

// data[key] must be a string holding JSON (clients JSON.parse it).
function jsonField(msg, key) {
    const value = msg.data && msg.data[key];
    assert.equal(typeof value, 'string', `${msg.event}: data.${key} must be a JSON string, got ${JSON.stringify(value)}`);
    const parsed = tryParse(value);
    assert.ok(parsed !== undefined, `${msg.event}: data.${key} is not valid JSON: ${value.slice(0, 200)}`);
    return parsed;
}

const postIdOf = (msg) => {
    const post = msg.data && typeof msg.data.post === 'string' ? tryParse(msg.data.post) : undefined;
    return post && post.id;
};
const isPosted = (postId) => (m) => m.event === 'posted' && postIdOf(m) === postId;

// Collects frames and lets tests wait for one that matches.
class Inbox {
    constructor(label) {
        this.label = label;
        this.items = [];
        this.waiters = new Set();
    }

    push(item) {
        this.items.push(item);
        for (const check of [...this.waiters]) {
            check();
        }
    }

    // The first collected item (from index `from` on) that matches.
    waitFor(pred, what, timeoutMs = WAIT, from = 0) {
        return new Promise((resolve, reject) => {
            let timer = null;
            const check = () => {
                for (let i = from; i < this.items.length; i++) {
                    if (pred(this.items[i])) {
                        clearTimeout(timer);
                        this.waiters.delete(check);
                        resolve(this.items[i]);
                        return true;
                    }
                }
                return false;
            };
            if (check()) {
                return;
            }
            timer = setTimeout(() => {
                this.waiters.delete(check);
                reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms; received: ${this.summary()}`));
            }, timeoutMs);
            this.waiters.add(check);
        });
    }

    filter(pred) {
        return this.items.filter(pred);
    }

    summary() {
        const shown = this.items.slice(-20).map(describe).join(', ');
        return shown ? (this.items.length > 20 ? '…, ' : '') + shown : 'nothing';
    }
}

// Polls check() until it is true.
async function until(check, what, timeoutMs = WAIT) {
    const end = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > end) {
            assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await h.sleep(25);
    }
}

// The envelope of every server event (model.WebSocketEvent): event, data,
// broadcast with all of its keys, seq, and never a seq_reply.
function assertEnvelope(m) {
    const what = describe(m);
    assert.equal(typeof m.event, 'string', `${what}: event must be a string`);
    assert.ok(Number.isInteger(m.seq) && m.seq >= 0, `${what}: seq must be an integer >= 0`);
    assert.ok(!m.seq_reply, `${what}: an event carries no seq_reply`);
    assert.ok(m.data !== null && typeof m.data === 'object' && !Array.isArray(m.data), `${what}: data must be an object, got ${JSON.stringify(m.data)}`);
    assert.ok(m.broadcast !== null && typeof m.broadcast === 'object', `${what}: broadcast must be an object`);
    for (const key of BROADCAST_KEYS) {
        assert.ok(key in m.broadcast, `${what}: broadcast.${key} must be present (got ${JSON.stringify(m.broadcast)})`);
    }
    const omit = m.broadcast.omit_users;
    assert.ok(omit === null || (typeof omit === 'object' && !Array.isArray(omit)), `${what}: broadcast.omit_users must be an object or null`);
    for (const key of BROADCAST_KEYS.slice(1)) {
        assert.equal(typeof m.broadcast[key], 'string', `${what}: broadcast.${key} must be a string`);
    }
    for (const key of ['broadcast_hooks', 'broadcast_hook_args']) {
        assert.ok(!(key in m.broadcast) && !(key in m), `${what}: the internal ${key} must not be sent`);
    }
}

// Events on one connection are numbered 0, 1, 2, … with no gap or repeat.
function assertContiguous(events, first, what) {
    const seqs = events.map((e) => e.seq);
    const want = seqs.map((_, i) => first + i);
    assert.deepEqual(seqs, want, `${what}: event seqs must run ${first}, ${first + 1}, … without gaps or repeats`);
}

// ---------------------------------------------------------------------------
// Connections. Everything opened here is closed after each test and, as a
// safety net, after the file, so the process never hangs on a socket.

const openSockets = new Set();
const openClients = new Set();

// A raw socket: what the server sends, frame by frame, replies included.
class RawSocket {
    // token: sent as an Authorization header on the upgrade (as Android does);
    // without it the socket starts unauthenticated.
    static async open({token = null, query = '', label = 'raw socket'} = {}) {
        const headers = token ? {Authorization: `Bearer ${token}`} : {};
        const sock = new RawSocket(new WebSocket(WS_URL + query, {headers}), label);
        await withTimeout(sock.opened, WAIT, `${label} to open`);
        sock.openedAt = Date.now();
        return sock;
    }

    constructor(ws, label) {
        this.ws = ws;
        this.label = label;
        this.frames = new Inbox(label);
        this.closeInfo = null;
        this.nextSeq = 1;
        this.opened = new Promise((resolve, reject) => {
            ws.once('open', resolve);
            // A refused upgrade fails with "Unexpected server response: <status>".
            ws.once('error', (err) => reject(new Error(`${label}: ${err.message}`)));
        });
        this.opened.catch(() => {}); // awaited by open(); never an unhandled rejection
        this.closed = new Promise((resolve) => {
            ws.once('close', (code, reason) => {
                this.closeInfo = {code, reason: String(reason || ''), at: Date.now()};
                openSockets.delete(this);
                resolve(this.closeInfo);
            });
        });
        ws.on('error', () => {}); // reported through 'close'
        ws.on('message', (data) => {
            const text = data.toString();
            const frame = tryParse(text);
            this.frames.push(frame === undefined ? {unparsable: text} : frame);
        });
        openSockets.add(this);
    }

    get events() {
        return this.frames.filter(isEvent);
    }

    get replies() {
        return this.frames.filter(isReply);
    }

    // Sends an action; returns the seq it used.
    send(action, data, seq = this.nextSeq++) {
        const frame = {seq, action};
        if (data !== undefined) {
            frame.data = data;
        }
        this.ws.send(JSON.stringify(frame));
        return seq;
    }

    reply(seq, timeoutMs = WAIT) {
        return this.frames.waitFor((f) => isReply(f) && f.seq_reply === seq, `reply to seq ${seq}`, timeoutMs);
    }

    async request(action, data, seq) {
        return this.reply(this.send(action, data, seq));
    }

    event(pred, what, timeoutMs = WAIT) {
        return this.frames.waitFor((f) => isEvent(f) && pred(f), what, timeoutMs);
    }

    waitClosed(timeoutMs = WAIT) {
        return withTimeout(this.closed, timeoutMs, `${this.label} to be closed`);
    }

    async close() {
        if (this.ws.readyState === WebSocket.OPEN) {
            this.ws.close(1000);
            try {
                await withTimeout(this.closed, 2000, `${this.label} close handshake`);
                return;
            } catch (err) {
                // fall through to terminate
            }
        }
        this.ws.terminate();
        await withTimeout(this.closed, 2000, `${this.label} to terminate`).catch(() => {});
    }
}

// A socket the server must drop without a hello. Mattermost upgrades it and
// then closes it; refusing the upgrade (HTTP 4xx) looks the same to clients.
async function expectDropped({token, query, label}) {
    let sock;
    try {
        sock = await RawSocket.open({token, query, label});
    } catch (err) {
        if (/Unexpected server response: 4\d\d/.test(err.message)) {
            return;
        }
        throw err;
    }
    await sock.waitClosed(WAIT);
    assert.deepEqual(sock.events.map(describe), [], `${label}: the server must drop the socket without a hello`);
}

// The official client, logged in as `account` ({client, user}).
//   header: also send the token as an Authorization header on the upgrade
//   (through the client's newWebSocketFn hook, as the mobile app does on
//   Android). Mattermost resumes a connection only when the upgrade itself is
//   authenticated; the web app gets that from its cookie.
async function connect(account, {header = false, config = {}, label} = {}) {
    const token = account.client.getToken();
    assert.ok(token, 'the account has a session token');
    const clientConfig = {minWebSocketRetryTime: 200, reconnectJitterRange: 0, ...config};
    if (header) {
        clientConfig.newWebSocketFn = (url) => new WebSocket(url, {headers: {Authorization: `Bearer ${token}`}});
    }
    const wsc = new WebSocketClient(clientConfig);
    const conn = {
        wsc,
        user: account.user,
        inbox: new Inbox(label || `${account.user.username}'s WebSocketClient`),
        counts: {firstConnect: 0, reconnect: 0, missed: 0, close: 0, error: 0},
        hello: null,
    };
    wsc.addMessageListener((msg) => conn.inbox.push(msg));
    wsc.addFirstConnectListener(() => conn.counts.firstConnect++);
    wsc.addReconnectListener(() => conn.counts.reconnect++);
    wsc.addMissedMessageListener(() => conn.counts.missed++);
    wsc.addCloseListener(() => conn.counts.close++);
    wsc.addErrorListener(() => conn.counts.error++);
    openClients.add(wsc);
    wsc.initialize(WS_URL, token);
    conn.hello = await conn.inbox.waitFor((m) => m.event === 'hello', 'hello', WAIT);
    return conn;
}

function shutdown(wsc) {
    openClients.delete(wsc);
    stopWebSocketClient(wsc);
}

// Sends an action through the official client and waits for its reply.
function call(conn, send, timeoutMs = WAIT) {
    return withTimeout(new Promise((resolve) => send(resolve)), timeoutMs, `${conn.inbox.label}: the reply to an action`);
}

// The official client stayed healthy: one hello, events in seq order from 0
// (it drops the socket on any gap, which the close count would show), no
// missed-message resync.
function assertHealthy(conn, {closes = 0} = {}) {
    const events = conn.inbox.items;
    assert.equal(events.filter((m) => m.event === 'hello').length, 1, `${conn.inbox.label}: exactly one hello`);
    assertContiguous(events, 0, conn.inbox.label);
    events.forEach(assertEnvelope);
    assert.equal(conn.counts.close, closes, `${conn.inbox.label}: the socket closed unexpectedly (a seq gap makes the client reconnect)`);
    assert.equal(conn.counts.missed, 0, `${conn.inbox.label}: the missed-message resync must not fire`);
}

function closeAll() {
    for (const wsc of [...openClients]) {
        shutdown(wsc);
    }
    for (const sock of [...openSockets]) {
        sock.ws.terminate();
        openSockets.delete(sock);
    }
}

after(closeAll);

// Each test closes what it opened, pass or fail.
function wsTest(name, options, fn) {
    return test(name, options, async (t) => {
        t.after(closeAll);
        await fn(t);
    });
}

// ---------------------------------------------------------------------------
// Fixtures through Client4.

// A fresh team with the admin and the given accounts, and a public channel
// they are all in.
async function world(members) {
    const {client: adminClient, user: adminUser} = await h.admin();
    const team = await h.newTeam('ws');
    for (const m of members) {
        await adminClient.addToTeam(team.id, m.user.id);
    }
    const channel = await h.newPublicChannel(adminClient, team.id, 'ws');
    for (const m of members) {
        await adminClient.addToChannel(m.user.id, channel.id);
    }
    return {adminClient, adminUser, admin: {client: adminClient, user: adminUser}, team, channel};
}

async function newPrivateChannel(client, teamId) {
    const name = `ws-secret-${h.rand(10)}`;
    return client.createChannel({team_id: teamId, name, display_name: `Secret ${name}`, type: 'P', purpose: '', header: ''});
}

// Posts in `channelId` and waits until each inbox has it: everything the
// server published for those connections before the post has been delivered.
async function barrier(client, channelId, inboxes) {
    await h.sleep(150); // lets events the server publishes in the background get queued first
    const post = await client.createPost({channel_id: channelId, message: `barrier ${h.rand(6)}`});
    for (const inbox of inboxes) {
        await inbox.waitFor(isPosted(post.id), `the barrier post ${post.id}`);
    }
    return post;
}

// n posts, a few at a time.
async function postMany(client, channelId, n, concurrency = 8) {
    const posts = new Array(n);
    let next = 0;
    await Promise.all(Array.from({length: concurrency}, async () => {
        while (next < n) {
            const i = next++;
            posts[i] = await client.createPost({channel_id: channelId, message: `burst ${i}`});
        }
    }));
    return posts;
}

// ---------------------------------------------------------------------------
// hello and the envelope

wsTest('hello is the first event: seq 0, a 26-character connection_id, server_version, server_hostname, broadcast.user_id = me', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, channel} = await world([a]);

    // initialize() with the token: the client authenticates with the
    // authentication_challenge action (Node's ws sends no cookie).
    const conn = await connect(a);
    const hello = conn.inbox.items[0];
    assert.equal(hello.event, 'hello', `the first event must be hello, got ${describe(hello)}`);
    assert.equal(hello.seq, 0);
    h.assertId(hello.data.connection_id, 'hello data.connection_id');
    assert.equal(typeof hello.data.server_version, 'string', 'hello data.server_version must be a string');
    assert.ok(h.semverOf(hello.data.server_version), `server_version must start with major.minor.patch, got ${hello.data.server_version}`);
    assert.ok('server_hostname' in hello.data, 'hello data.server_hostname must be present');
    assert.equal(typeof hello.data.server_hostname, 'string');
    assert.equal(hello.broadcast.user_id, a.user.id, 'hello broadcast.user_id is the connected user');
    assertEnvelope(hello);
    assert.equal(conn.wsc.connectionId, hello.data.connection_id, 'the client stored the connection id');
    assert.equal(conn.counts.firstConnect, 1);

    // A regular event carries the same envelope.
    const post = await adminClient.createPost({channel_id: channel.id, message: 'envelope check'});
    const posted = await conn.inbox.waitFor(isPosted(post.id), 'posted');
    assertEnvelope(posted);
    assertHealthy(conn);
});

// ---------------------------------------------------------------------------
// Authentication on a raw socket

wsTest('authentication_challenge on an unauthenticated socket answers {"status":"OK","seq_reply":1}; a second one gets no reply', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const sock = await RawSocket.open({label: 'challenge socket'});

    const ok = await sock.request('authentication_challenge', {token: a.client.getToken()}, 1);
    assert.deepEqual(ok, {status: 'OK', seq_reply: 1}, 'the challenge reply is exactly {"status":"OK","seq_reply":1}');
    const hello = await sock.event((m) => m.event === 'hello', 'hello after the challenge');
    assert.equal(hello.seq, 0);
    assert.equal(hello.broadcast.user_id, a.user.id);
    h.assertId(hello.data.connection_id, 'connection_id');

    // Mobile sends the challenge even on an authenticated socket: ignored, no reply.
    sock.send('authentication_challenge', {token: a.client.getToken()}, 2);
    const pong = await sock.request('ping', undefined, 3);
    assert.equal(pong.status, 'OK');
    assert.deepEqual(sock.frames.filter((f) => isReply(f) && f.seq_reply === 2), [], 'a second challenge gets no reply at all');
    assert.equal(sock.events.filter((m) => m.event === 'hello').length, 1, 'and no second hello');
    assert.equal(sock.closeInfo, null, 'the socket stays open');
});

wsTest('an action before authentication fails (no OK: a not_authenticated FAIL or no reply); the socket can still authenticate', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const sock = await RawSocket.open({label: 'unauthenticated socket'});

    sock.send('ping', undefined, 1);
    // Replies come in request order, so once the challenge (seq 2) is answered
    // any reply to the ping has arrived too.
    const ok = await sock.request('authentication_challenge', {token: a.client.getToken()}, 2);
    assert.equal(ok.status, 'OK');
    const toPing = sock.frames.filter((f) => isReply(f) && f.seq_reply === 1);
    assert.ok(toPing.length <= 1, 'at most one reply to the ping');
    if (toPing.length === 1) {
        // Older Mattermost answers; current Mattermost drops the reply (the
        // socket is not registered with the hub yet). Either way it is no pong.
        const fail = toPing[0];
        assert.equal(fail.status, 'FAIL', `an unauthenticated action must not succeed: ${JSON.stringify(fail)}`);
        assert.ok(fail.error && typeof fail.error === 'object', 'a FAIL reply carries an error object');
        assert.equal(fail.error.id, 'api.web_socket_router.not_authenticated.app_error');
        assert.equal(fail.error.status_code, 401);
        assert.ok(!('seq' in fail), 'replies carry no seq');
    }
    const hello = await sock.event((m) => m.event === 'hello', 'hello');
    assert.equal(sock.events[0], hello, `an unauthenticated socket gets no events; the first is the hello, got ${describe(sock.events[0])}`);
    assert.equal(hello.seq, 0);
});

wsTest('an unauthenticated socket is closed by the server after about 5 s', {timeout: 15000}, async () => {
    const sock = await RawSocket.open({label: 'idle unauthenticated socket'});
    const closed = await sock.waitClosed(9000);
    const elapsed = closed.at - sock.openedAt;
    assert.ok(elapsed >= 4000, `closed too early, after ${elapsed} ms (the server waits 5 s for authentication)`);
    assert.ok(elapsed <= 8000, `closed after ${elapsed} ms, expected about 5 s`);
    assert.deepEqual(sock.events.map(describe), [], 'it received no events');
});

wsTest('a challenge with a bad or missing token closes the socket', {timeout: 20000}, async () => {
    const bad = await RawSocket.open({label: 'bad-token socket'});
    bad.send('authentication_challenge', {token: `not-a-session-${h.rand(12)}`}, 1);
    await bad.waitClosed(4000);
    assert.ok(!bad.frames.items.some((f) => isReply(f) && f.status === 'OK'), 'no OK reply for a bad token');
    assert.deepEqual(bad.events.map(describe), [], 'no hello or other event for a bad token');

    const missing = await RawSocket.open({label: 'no-token socket'});
    missing.send('authentication_challenge', {}, 1);
    await missing.waitClosed(4000);
    assert.deepEqual(missing.events.map(describe), [], 'no hello without a token');
});

// ---------------------------------------------------------------------------
// ping and sequence numbers

wsTest('ping answers pong with seq_reply = the request seq and no seq; events count 0, 1, 2, … contiguously', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, channel} = await world([a]);
    const sock = await RawSocket.open({token: a.client.getToken(), label: 'ping socket'});
    await sock.event((m) => m.event === 'hello', 'hello');

    // The client's seq is its own counter; the reply echoes it.
    const pong = await sock.request('ping', undefined, 7);
    assert.equal(pong.status, 'OK');
    assert.equal(pong.seq_reply, 7);
    assert.ok(!('seq' in pong), `a reply carries no seq: ${JSON.stringify(pong)}`);
    assert.ok(!('event' in pong), `a reply is not an event: ${JSON.stringify(pong)}`);
    assert.equal(pong.data.text, 'pong');
    assert.equal(typeof pong.data.version, 'string');
    h.assertMillis(pong.data.server_time, 'pong data.server_time');

    // Replies interleaved with events do not advance the event counter.
    const posts = [];
    for (let i = 0; i < 3; i++) {
        posts.push(await adminClient.createPost({channel_id: channel.id, message: `seq ${i}`}));
        const r = await sock.request('ping', undefined, 8 + i);
        assert.equal(r.seq_reply, 8 + i);
    }
    for (const p of posts) {
        await sock.event(isPosted(p.id), `posted ${p.id}`);
    }
    const events = sock.events;
    assert.equal(events[0].event, 'hello');
    assertContiguous(events, 0, 'ping socket');
    events.forEach(assertEnvelope);
    assert.deepEqual(events.filter((m) => m.event === 'posted').map(postIdOf), posts.map((p) => p.id), 'posted events arrive in order');
    for (const r of sock.replies) {
        assert.ok(!('seq' in r), `no reply carries seq: ${JSON.stringify(r)}`);
    }
});

// ---------------------------------------------------------------------------
// Posts

wsTest('posted reaches channel members with the post as a JSON string and the channel and sender fields', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {team, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);

    const post = await b.client.createPost({channel_id: channel.id, message: `hello @${a.user.username}`});
    const ev = await ca.inbox.waitFor(isPosted(post.id), 'posted');
    const p = jsonField(ev, 'post');
    assert.equal(p.id, post.id);
    assert.equal(p.channel_id, channel.id);
    assert.equal(p.user_id, b.user.id);
    assert.equal(p.message, post.message);
    assert.equal(ev.data.channel_type, 'O');
    assert.equal(ev.data.channel_name, channel.name);
    assert.equal(ev.data.channel_display_name, channel.display_name);
    assert.equal(ev.data.sender_name, `@${b.user.username}`, 'sender_name is @username (TeammateNameDisplay "username")');
    assert.equal(ev.data.team_id, team.id);
    assert.equal(ev.broadcast.channel_id, channel.id);
    const mentions = jsonField(ev, 'mentions');
    assert.ok(Array.isArray(mentions) && mentions.includes(a.user.id), `data.mentions lists the mentioned user: ${ev.data.mentions}`);
    if ('set_online' in ev.data) {
        assert.equal(typeof ev.data.set_online, 'boolean');
    }

    // The sender's own connection gets it too.
    await cb.inbox.waitFor(isPosted(post.id), 'posted on the sender\'s connection');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('a user who is not in a private channel receives nothing for it; a member does', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, team, channel} = await world([a, b]);
    const secret = await newPrivateChannel(adminClient, team.id);
    await adminClient.addToChannel(a.user.id, secret.id);
    const ca = await connect(a);
    const cb = await connect(b);

    const hidden = await adminClient.createPost({channel_id: secret.id, message: 'members only'});
    const ev = await ca.inbox.waitFor(isPosted(hidden.id), 'posted in the private channel');
    assert.equal(ev.data.channel_type, 'P');
    assert.equal(ev.broadcast.channel_id, secret.id);

    await adminClient.patchChannel(secret.id, {header: `secret header ${h.rand(6)}`});
    await ca.inbox.waitFor((m) => m.event === 'channel_updated' && m.broadcast.channel_id === secret.id, 'channel_updated for the private channel');
    await call(ca, (cb2) => ca.wsc.userTyping(secret.id, '', cb2));

    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    const leaked = cb.inbox.filter((m) => JSON.stringify(m).includes(secret.id));
    assert.deepEqual(leaked.map(describe), [], 'nothing about the private channel reaches a non-member');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('post_edited, reaction_added, reaction_removed and post_deleted carry their JSON-string payloads', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, adminUser, admin, channel} = await world([a]);
    const ca = await connect(a);
    const cadm = await connect(admin);

    const post = await adminClient.createPost({channel_id: channel.id, message: 'original'});
    await ca.inbox.waitFor(isPosted(post.id), 'posted');

    await adminClient.patchPost({id: post.id, message: 'edited'});
    const edited = await ca.inbox.waitFor((m) => m.event === 'post_edited' && postIdOf(m) === post.id, 'post_edited');
    const ep = jsonField(edited, 'post');
    assert.equal(ep.message, 'edited');
    assert.ok(ep.edit_at > 0, 'the edited post has edit_at set');
    assert.equal(edited.broadcast.channel_id, channel.id);

    const isReaction = (event) => (m) => m.event === event && typeof m.data.reaction === 'string' &&
        (tryParse(m.data.reaction) || {}).post_id === post.id;
    await a.client.addReaction(a.user.id, post.id, 'smile');
    const added = await ca.inbox.waitFor(isReaction('reaction_added'), 'reaction_added');
    const r = jsonField(added, 'reaction');
    assert.equal(r.user_id, a.user.id);
    assert.equal(r.post_id, post.id);
    assert.equal(r.emoji_name, 'smile');
    h.assertMillis(r.create_at, 'reaction create_at');
    assert.equal(added.broadcast.channel_id, channel.id);
    await cadm.inbox.waitFor(isReaction('reaction_added'), 'reaction_added on the admin\'s connection');

    await a.client.removeReaction(a.user.id, post.id, 'smile');
    const removed = await ca.inbox.waitFor(isReaction('reaction_removed'), 'reaction_removed');
    const rr = jsonField(removed, 'reaction');
    assert.equal(rr.user_id, a.user.id);
    assert.equal(rr.emoji_name, 'smile');
    assert.equal(removed.broadcast.channel_id, channel.id);

    await adminClient.deletePost(post.id);
    const isDeleted = (m) => m.event === 'post_deleted' && postIdOf(m) === post.id;
    const deleted = await ca.inbox.waitFor(isDeleted, 'post_deleted');
    const dp = jsonField(deleted, 'post');
    assert.equal(dp.channel_id, channel.id);
    assert.equal(deleted.broadcast.channel_id, channel.id);
    assert.ok(!('delete_by' in deleted.data), 'a non-admin gets the post without delete_by');
    const adminDeleted = await cadm.inbox.waitFor(isDeleted, 'post_deleted on the admin\'s connection');
    assert.equal(adminDeleted.data.delete_by, adminUser.id, 'an admin gets delete_by');

    await barrier(adminClient, channel.id, [ca.inbox, cadm.inbox]);
    assert.equal(ca.inbox.filter(isDeleted).length, 1, 'one post_deleted per connection');
    assert.equal(cadm.inbox.filter(isDeleted).length, 1, 'one post_deleted per connection (admin)');
    assertHealthy(ca);
    assertHealthy(cadm);
});

// ---------------------------------------------------------------------------
// Actions: user_typing, statuses

wsTest('user_typing sends typing to the other members (not the sender); in a channel one is not in it FAILs', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, team, channel} = await world([a, b]);
    const secret = await newPrivateChannel(adminClient, team.id);
    const ca = await connect(a);
    const cb = await connect(b);
    const root = await adminClient.createPost({channel_id: channel.id, message: 'thread root'});

    const ok = await call(ca, (done) => ca.wsc.userTyping(channel.id, '', done));
    assert.equal(ok.status, 'OK', `user_typing answers OK: ${JSON.stringify(ok)}`);
    const typing = await cb.inbox.waitFor((m) => m.event === 'typing' && m.data.user_id === a.user.id && m.data.parent_id === '', 'typing');
    assert.equal(typing.broadcast.channel_id, channel.id);
    assert.equal(typing.data.parent_id, '');
    assert.ok(typing.broadcast.omit_users && typing.broadcast.omit_users[a.user.id] === true, `typing omits the sender: ${JSON.stringify(typing.broadcast)}`);

    await call(ca, (done) => ca.wsc.userTyping(channel.id, root.id, done));
    const inThread = await cb.inbox.waitFor((m) => m.event === 'typing' && m.data.parent_id === root.id, 'typing in a thread');
    assert.equal(inThread.data.user_id, a.user.id);
    assert.equal(inThread.broadcast.channel_id, channel.id);

    const fail = await call(ca, (done) => ca.wsc.userTyping(secret.id, '', done));
    assert.equal(fail.status, 'FAIL', `typing in a channel one is not in fails: ${JSON.stringify(fail)}`);
    assert.equal(fail.error && fail.error.id, 'api.websocket_handler.invalid_param.app_error');

    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(ca.inbox.filter((m) => m.event === 'typing').map(describe), [], 'the sender does not get its own typing');
    assert.deepEqual(cb.inbox.filter((m) => m.event === 'typing' && m.broadcast.channel_id === secret.id).map(describe), []);
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('get_statuses_by_ids answers a map user_id -> status; an empty list FAILs; get_statuses includes me', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const ca = await connect(a);
    const nobody = h.unknownId();

    let reply;
    const end = Date.now() + WAIT;
    do {
        reply = await call(ca, (done) => ca.wsc.getStatusesByIds([a.user.id, b.user.id, nobody], done));
        assert.equal(reply.status, 'OK', `get_statuses_by_ids answers OK: ${JSON.stringify(reply)}`);
        if (reply.data && reply.data[a.user.id] === 'online') {
            break;
        }
        await h.sleep(100);
    } while (Date.now() < end);
    assert.ok(reply.data && typeof reply.data === 'object' && !Array.isArray(reply.data), 'data is a map');
    assert.deepEqual(Object.keys(reply.data).sort(), [a.user.id, b.user.id, nobody].sort(), 'one entry per requested id');
    assert.equal(reply.data[a.user.id], 'online', 'a connected user is online');
    assert.ok(STATUSES.includes(reply.data[b.user.id]), `a status string, got ${reply.data[b.user.id]}`);
    assert.equal(reply.data[nobody], 'offline', 'a user without a status is offline');
    assert.ok(!('seq' in reply), 'replies carry no seq');

    const fail = await call(ca, (done) => ca.wsc.getStatusesByIds([], done));
    assert.equal(fail.status, 'FAIL', `an empty list fails: ${JSON.stringify(fail)}`);
    assert.equal(fail.error && fail.error.id, 'api.websocket_handler.invalid_param.app_error');

    const all = await call(ca, (done) => ca.wsc.getStatuses(done));
    assert.equal(all.status, 'OK');
    assert.equal(all.data[a.user.id], 'online', 'get_statuses includes the connected user');
    for (const [id, status] of Object.entries(all.data)) {
        h.assertId(id, 'get_statuses key');
        assert.ok(STATUSES.includes(status), `get_statuses value for ${id}: ${status}`);
    }
    assertHealthy(ca);
});

wsTest('connecting sets the user online, disconnecting offline; a REST status change sends status_change to that user only', {timeout: 25000}, async () => {
    const [watcher] = await h.users(1);
    const fresh = await h.newUser('wsstatus'); // never had a status set by hand
    const {adminClient, channel} = await world([watcher, fresh]);
    const cw = await connect(watcher);

    let cf = await connect(fresh);
    let status = await h.eventually(() => fresh.client.getStatus(fresh.user.id), (s) => s.status === 'online', WAIT);
    assert.equal(status.status, 'online', 'a connected user is online');

    shutdown(cf.wsc);
    status = await h.eventually(() => fresh.client.getStatus(fresh.user.id), (s) => s.status === 'offline', WAIT);
    assert.equal(status.status, 'offline', 'a user whose last connection closed is offline');

    cf = await connect(fresh);
    status = await h.eventually(() => fresh.client.getStatus(fresh.user.id), (s) => s.status === 'online', WAIT);
    assert.equal(status.status, 'online', 'online again after reconnecting');

    await fresh.client.updateStatus({user_id: fresh.user.id, status: 'away'});
    const change = await cf.inbox.waitFor((m) => m.event === 'status_change' && m.data.status === 'away', 'status_change to away');
    assert.equal(change.data.user_id, fresh.user.id);
    assert.equal(change.broadcast.user_id, fresh.user.id, 'status_change is addressed to that user');

    await barrier(adminClient, channel.id, [cw.inbox, cf.inbox]);
    assert.deepEqual(cw.inbox.filter((m) => m.event === 'status_change' && m.data.user_id === fresh.user.id).map(describe), [],
        'other users do not get someone else\'s status_change');
    assertHealthy(cw);
    assertHealthy(cf);
});

// ---------------------------------------------------------------------------
// Channel, team and user events

wsTest('user_added, channel_updated and user_removed reach the member and the channel; a removed user stops getting posts', {timeout: 25000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, adminUser, team, channel: lobby} = await world([a, b]);
    const room = await h.newPublicChannel(adminClient, team.id, 'ws');
    await adminClient.addToChannel(b.user.id, room.id);
    const ca = await connect(a);
    const cb = await connect(b);

    await adminClient.addToChannel(a.user.id, room.id);
    const isAdded = (m) => m.event === 'user_added' &&
        (m.data.user_id || (m.data.user && m.data.user.id)) === a.user.id &&
        (m.data.channel_id || m.broadcast.channel_id) === room.id;
    const toAdded = await ca.inbox.waitFor(isAdded, 'user_added on the added user\'s connection');
    assert.equal(toAdded.data.team_id, team.id);
    const toMember = await cb.inbox.waitFor(isAdded, 'user_added on a member\'s connection');
    assert.equal(toMember.data.team_id, team.id);
    assert.equal(toMember.broadcast.channel_id, room.id);

    const inRoom = await adminClient.createPost({channel_id: room.id, message: 'welcome'});
    await ca.inbox.waitFor(isPosted(inRoom.id), 'posted in the channel just joined');

    const header = `header ${h.rand(8)}`;
    await adminClient.patchChannel(room.id, {header});
    for (const conn of [ca, cb]) {
        const updated = await conn.inbox.waitFor((m) => m.event === 'channel_updated' && m.broadcast.channel_id === room.id, 'channel_updated');
        const ch = jsonField(updated, 'channel');
        assert.equal(ch.id, room.id);
        assert.equal(ch.header, header);
    }

    await adminClient.removeFromChannel(a.user.id, room.id);
    const toRemoved = await ca.inbox.waitFor((m) => m.event === 'user_removed' && (m.data.channel_id || m.broadcast.channel_id) === room.id,
        'user_removed on the removed user\'s connection');
    assert.equal(toRemoved.data.remover_id, adminUser.id);
    const toRest = await cb.inbox.waitFor((m) => m.event === 'user_removed' && m.data.user_id === a.user.id, 'user_removed on a member\'s connection');
    assert.equal(toRest.broadcast.channel_id, room.id);
    assert.equal(toRest.data.remover_id, adminUser.id);

    const afterRemoval = await adminClient.createPost({channel_id: room.id, message: 'after a left'});
    await cb.inbox.waitFor(isPosted(afterRemoval.id), 'posted for a remaining member');
    await barrier(adminClient, lobby.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(ca.inbox.filter(isPosted(afterRemoval.id)).map(describe), [], 'a removed member no longer gets the channel\'s posts');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('viewing a channel and saving preferences notify only that user (channel_viewed, preferences_changed)', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);
    await adminClient.createPost({channel_id: channel.id, message: 'something unread'});

    await a.client.viewMyChannel(channel.id);
    // Mattermost 9+ reports views as multiple_channels_viewed {channel_times};
    // older servers sent channel_viewed {channel_id}. Clients handle both.
    const isViewed = (m) => (m.event === 'channel_viewed' && m.data.channel_id === channel.id) ||
        (m.event === 'multiple_channels_viewed' && m.data.channel_times && channel.id in m.data.channel_times);
    const viewed = await ca.inbox.waitFor(isViewed, 'channel_viewed (or multiple_channels_viewed)');
    assert.equal(viewed.broadcast.user_id, a.user.id);
    if (viewed.event === 'multiple_channels_viewed') {
        h.assertMillis(viewed.data.channel_times[channel.id], 'channel_times value');
    }

    const pref = {user_id: a.user.id, category: 'compat_ws', name: `key_${h.rand(8)}`, value: 'on'};
    await a.client.savePreferences(a.user.id, [pref]);
    const changed = await ca.inbox.waitFor((m) => m.event === 'preferences_changed' &&
        typeof m.data.preferences === 'string' && m.data.preferences.includes(pref.name), 'preferences_changed');
    const prefs = jsonField(changed, 'preferences');
    assert.ok(Array.isArray(prefs), 'data.preferences is a JSON array');
    assert.deepEqual(prefs.find((p) => p.name === pref.name), pref);
    assert.equal(changed.broadcast.user_id, a.user.id);

    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(cb.inbox.filter((m) => isViewed(m) || m.event === 'preferences_changed').map(describe), [],
        'another user gets neither');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('creating a DM sends direct_added (channel id in broadcast.channel_id) to both; its posts say channel_type D and team_id ""', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const fresh = await h.newUser('wsdm'); // no DM with anyone yet
    const ca = await connect(a);
    const cf = await connect(fresh);

    const dm = await a.client.createDirectChannel([a.user.id, fresh.user.id]);
    for (const conn of [ca, cf]) {
        const added = await conn.inbox.waitFor((m) => m.event === 'direct_added' && m.broadcast.channel_id === dm.id, 'direct_added');
        assert.equal(added.data.creator_id, a.user.id);
        assert.equal(added.data.teammate_id, fresh.user.id);
    }

    const post = await a.client.createPost({channel_id: dm.id, message: 'direct'});
    const ev = await cf.inbox.waitFor(isPosted(post.id), 'posted in the DM');
    assert.equal(ev.data.channel_type, 'D');
    assert.equal(ev.data.team_id, '');
    assert.equal(ev.broadcast.channel_id, dm.id);
    assertHealthy(ca);
    assertHealthy(cf);
});

wsTest('added_to_team goes to the added user; leave_team to the leaver and the team', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('ws');
    await adminClient.addToTeam(team.id, b.user.id);
    const ca = await connect(a);
    const cb = await connect(b);

    await adminClient.addToTeam(team.id, a.user.id);
    const added = await ca.inbox.waitFor((m) => m.event === 'added_to_team' && m.data.team_id === team.id, 'added_to_team');
    assert.equal(added.data.user_id, a.user.id);
    assert.equal(added.broadcast.user_id, a.user.id);

    await adminClient.removeFromTeam(team.id, a.user.id);
    const isLeave = (m) => m.event === 'leave_team' && m.data.team_id === team.id && m.data.user_id === a.user.id;
    await ca.inbox.waitFor(isLeave, 'leave_team on the leaver\'s connection');
    await cb.inbox.waitFor(isLeave, 'leave_team on a team member\'s connection');
    assert.deepEqual(cb.inbox.filter((m) => m.event === 'added_to_team').map(describe), [], 'added_to_team goes only to the added user');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('new_user goes to everyone; user_updated carries the user as an object, without the password', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {client: adminClient} = await h.admin();
    const ca = await connect(a);
    const cb = await connect(b);

    const username = `ws-new-${h.rand(10)}`;
    const created = await adminClient.createUser({username, email: `${username}@example.com`, password: h.PASSWORD});
    const fresh = await ca.inbox.waitFor((m) => m.event === 'new_user' && m.data.user_id === created.id, 'new_user');
    assert.equal(fresh.broadcast.user_id, '');
    assert.equal(fresh.broadcast.channel_id, '');
    assert.equal(fresh.broadcast.team_id, '');

    const nickname = `nick-${h.rand(8)}`;
    await b.client.patchMe({nickname});
    const isUpdated = (m) => m.event === 'user_updated' && m.data.user && typeof m.data.user === 'object' &&
        m.data.user.id === b.user.id && m.data.user.nickname === nickname;
    for (const conn of [ca, cb]) {
        const updated = await conn.inbox.waitFor(isUpdated, 'user_updated with the new nickname');
        assert.equal(typeof updated.data.user, 'object', 'data.user is an object, not a JSON string');
        assert.ok(!updated.data.user.password, 'the user is sent without a password');
        assert.equal(updated.data.user.username, b.user.username);
    }
    assertHealthy(ca);
    assertHealthy(cb);
});

// ---------------------------------------------------------------------------
// Resumption

wsTest('resuming with connection_id and sequence_number replays exactly the missed events, no hello, seq continuing', {timeout: 25000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, channel} = await world([a]);
    const token = a.client.getToken();

    // First connection, as the web app opens it.
    const s1 = await RawSocket.open({token, query: '?connection_id=&sequence_number=0', label: 'first socket'});
    const hello = await s1.event((m) => m.event === 'hello', 'hello');
    const connectionId = hello.data.connection_id;
    h.assertId(connectionId, 'connection_id');
    const seen = [];
    for (let i = 0; i < 2; i++) {
        seen.push(await adminClient.createPost({channel_id: channel.id, message: `seen ${i}`}));
    }
    for (const p of seen) {
        await s1.event(isPosted(p.id), `posted ${p.id}`);
    }
    await h.sleep(200);
    await s1.close();
    const before = s1.events;
    assertContiguous(before, 0, 'first socket');
    const next = before[before.length - 1].seq + 1;

    const missed = [];
    for (let i = 0; i < 5; i++) {
        missed.push(await adminClient.createPost({channel_id: channel.id, message: `missed ${i}`}));
    }

    const s2 = await RawSocket.open({token, query: `?connection_id=${connectionId}&sequence_number=${next}`, label: 'resumed socket'});
    for (const p of missed) {
        await s2.event(isPosted(p.id), `the missed post ${p.id}`);
    }
    const live = await adminClient.createPost({channel_id: channel.id, message: 'live'});
    await s2.event(isPosted(live.id), 'the post made after resuming');

    const events = s2.events;
    assert.deepEqual(events.filter((m) => m.event === 'hello').map(describe), [], 'a successful resume sends no hello');
    assert.equal(events[0].seq, next, `the first event after resuming has seq ${next} (the sequence_number sent)`);
    assertContiguous(events, next, 'resumed socket');
    events.forEach(assertEnvelope);
    const postedIds = events.filter((m) => m.event === 'posted').map(postIdOf);
    assert.deepEqual(postedIds, [...missed.map((p) => p.id), live.id], 'exactly the missed posts, in order, then the live one');
    assert.ok(!postedIds.some((id) => seen.some((p) => p.id === id)), 'events already seen are not replayed');

    const pong = await s2.request('ping', undefined, 1);
    assert.equal(pong.data.text, 'pong', 'the resumed socket is authenticated');

    // A client that lost the last two events in flight names an earlier
    // sequence_number: they come again from the replay buffer, same seq, same
    // content, and then the stream carries on.
    await h.sleep(200);
    await s2.close();
    const got = s2.events;
    const rewind = got[got.length - 1].seq - 1;
    const s3 = await RawSocket.open({token, query: `?connection_id=${connectionId}&sequence_number=${rewind}`, label: 'rewound socket'});
    const lastAgain = await s3.event((m) => m.seq === rewind + 1, `the replay of seq ${rewind + 1}`);
    const after = await adminClient.createPost({channel_id: channel.id, message: 'after the rewind'});
    await s3.event(isPosted(after.id), 'the post made after the rewind');
    const replayed = s3.events;
    assert.deepEqual(replayed.filter((m) => m.event === 'hello').map(describe), [], 'no hello when the seq is in the replay buffer');
    assertContiguous(replayed, rewind, 'rewound socket');
    assert.deepEqual(replayed.slice(0, 2), got.slice(-2), 'the last two events are sent again exactly as before');
    assert.equal(lastAgain.seq, got[got.length - 1].seq);
    assert.equal(replayed.filter(isPosted(after.id)).length, 1);
});

wsTest('after more events than the server keeps for a dropped connection, resuming gets hello at seq 0 with a new connection_id', {timeout: 90000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, channel} = await world([a]);
    const token = a.client.getToken();

    const s1 = await RawSocket.open({token, query: '?connection_id=&sequence_number=0', label: 'first socket'});
    const hello = await s1.event((m) => m.event === 'hello', 'hello');
    const connectionId = hello.data.connection_id;
    const seen = await adminClient.createPost({channel_id: channel.id, message: 'seen'});
    await s1.event(isPosted(seen.id), 'posted');
    await h.sleep(200);
    await s1.close();
    const next = s1.events[s1.events.length - 1].seq + 1;

    // Beyond the 128-event replay buffer and the 256-event send queue.
    await postMany(adminClient, channel.id, 300);

    const s2 = await RawSocket.open({token, query: `?connection_id=${connectionId}&sequence_number=${next}`, label: 'late socket'});
    const again = await s2.event((m) => m.event === 'hello', 'hello after the events were lost');
    assert.equal(s2.events[0], again, `the first event is hello, got ${describe(s2.events[0])}`);
    assert.equal(again.seq, 0, 'hello restarts the numbering at 0');
    h.assertId(again.data.connection_id, 'new connection_id');
    assert.notEqual(again.data.connection_id, connectionId, 'a lost sequence gets a new connection_id');

    const live = await adminClient.createPost({channel_id: channel.id, message: 'after the reset'});
    await s2.event(isPosted(live.id), 'posted after the reset');
    assertContiguous(s2.events, 0, 'late socket');
});

wsTest('resume edge cases: an unknown connection_id gets a fresh hello; a malformed one, or a known one without sequence_number, is closed', {timeout: 20000}, async () => {
    const [a] = await h.users(1);
    const token = a.client.getToken();

    const unknown = h.unknownId();
    const s1 = await RawSocket.open({token, query: `?connection_id=${unknown}&sequence_number=5`, label: 'unknown-id socket'});
    const hello = await s1.event((m) => m.event === 'hello', 'hello');
    assert.equal(hello.seq, 0);
    h.assertId(hello.data.connection_id, 'connection_id');
    assert.notEqual(hello.data.connection_id, unknown, 'an unknown id is replaced by a new one');
    const known = hello.data.connection_id;
    await s1.close();

    await expectDropped({token, query: '?connection_id=not-an-id&sequence_number=0', label: 'malformed-id socket'});
    await expectDropped({token, query: `?connection_id=${known}`, label: 'no-sequence socket'});
});

wsTest('the official client reconnects after a dropped socket with the same connection_id: reconnect listener, no missed-message resync', {timeout: 25000}, async () => {
    const [a] = await h.users(1);
    const {adminClient, channel} = await world([a]);
    // Reconnect 1.5 s after the drop, so a post can be made in between.
    const conn = await connect(a, {header: true, config: {minWebSocketRetryTime: 1500}});
    const connectionId = conn.hello.data.connection_id;

    const p1 = await adminClient.createPost({channel_id: channel.id, message: 'before the drop'});
    await conn.inbox.waitFor(isPosted(p1.id), 'posted before the drop');

    const closed = new Promise((resolve) => conn.wsc.addCloseListener(resolve));
    conn.wsc.conn.close(); // the underlying socket, as a network drop would
    await withTimeout(closed, WAIT, 'the client to notice the close');

    const p2 = await adminClient.createPost({channel_id: channel.id, message: 'while disconnected'});
    await until(() => conn.counts.reconnect === 1, 'the reconnect listener', 8000);
    await conn.inbox.waitFor(isPosted(p2.id), 'the post made while disconnected', 5000);
    const p3 = await adminClient.createPost({channel_id: channel.id, message: 'after the reconnect'});
    await conn.inbox.waitFor(isPosted(p3.id), 'posted after the reconnect');

    assert.equal(conn.wsc.connectionId, connectionId, 'the connection_id is kept');
    assert.equal(conn.counts.missed, 0, 'no missed-message resync (that fires on a hello with a new connection_id)');
    assert.equal(conn.counts.reconnect, 1);
    assert.deepEqual(conn.inbox.filter((m) => m.event === 'posted').map(postIdOf), [p1.id, p2.id, p3.id], 'every post once, in order');
    assertHealthy(conn, {closes: 1});
});

wsTest('markPostAsUnread moves the read state to just before the post, recounts, and sends post_unread to that user only', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, team, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);
    await adminClient.createPost({channel_id: channel.id, message: 'read already'});
    const first = await adminClient.createPost({channel_id: channel.id, message: `hello @${a.user.username}`});
    await adminClient.createPost({channel_id: channel.id, message: 'and more'});
    await a.client.viewMyChannel(channel.id);
    const before = await a.client.getMyChannelMember(channel.id);
    assert.equal(before.mention_count, 0);

    const state = await a.client.markPostAsUnread(a.user.id, first.id);
    assert.equal(state.channel_id, channel.id);
    assert.equal(state.team_id, team.id);
    assert.equal(state.user_id, a.user.id);
    assert.equal(state.last_viewed_at, first.create_at - 1, 'read up to just before the post');
    assert.equal(state.mention_count, 1, 'the mention in the unread part counts again');
    assert.equal(state.msg_count, before.msg_count - 2, 'two messages are unread again');

    const ev = await ca.inbox.waitFor((m) => m.event === 'post_unread' && m.data.post_id === first.id, 'post_unread');
    assert.equal(ev.broadcast.user_id, a.user.id);
    assert.equal(ev.broadcast.channel_id, channel.id);
    assert.equal(ev.data.mention_count, 1);
    assert.equal(ev.data.msg_count, state.msg_count);
    assert.equal(ev.data.last_viewed_at, state.last_viewed_at);
    const after = await a.client.getMyChannelMember(channel.id);
    assert.equal(after.last_viewed_at, state.last_viewed_at);
    assert.equal(after.mention_count, 1);

    const {res} = await h.expectError(() => b.client.markPostAsUnread(a.user.id, first.id), 403, "marking another user's channel unread");
    h.assertMattermostError(res, 403);
    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(cb.inbox.filter((m) => m.event === 'post_unread').map(describe), [], 'the other member gets nothing');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('an ephemeral post from an integration (POST /posts/ephemeral) reaches only its recipient, as its sender, never stored', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, adminUser, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);

    const {data: sent, res} = await h.observe(() => adminClient.createPostEphemeral(a.user.id, {channel_id: channel.id, message: 'only for you'}));
    assert.equal(res.status, 201);
    assert.equal(sent.type, 'system_ephemeral');
    assert.equal(sent.user_id, adminUser.id, 'written as the caller');
    const ev = await ca.inbox.waitFor((m) => m.event === 'ephemeral_message', 'ephemeral_message');
    assert.equal(ev.broadcast.user_id, a.user.id);
    const post = JSON.parse(ev.data.post);
    assert.equal(post.id, sent.id);
    assert.equal(post.message, 'only for you');
    assert.equal(post.channel_id, channel.id);
    await h.expectError(() => adminClient.getPost(sent.id), 404, 'an ephemeral post is never stored');
    const {res: refused} = await h.expectError(() => b.client.createPostEphemeral(a.user.id, {channel_id: channel.id, message: 'spoof'}), 403, 'a member without create_post_ephemeral');
    h.assertMattermostError(refused, 403);

    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(cb.inbox.filter((m) => m.event === 'ephemeral_message').map(describe), [], 'nobody else sees it');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('a slash command\'s ephemeral reply reaches only the caller as ephemeral_message and is never stored; /me posts for everyone', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);

    const response = await a.client.executeCommand('/away', {channel_id: channel.id});
    assert.equal(response.response_type, 'ephemeral');
    assert.ok(response.text.length > 0, 'the reply says what happened');
    const ev = await ca.inbox.waitFor((m) => m.event === 'ephemeral_message', 'ephemeral_message');
    assert.equal(ev.broadcast.user_id, a.user.id);
    assert.equal(ev.broadcast.channel_id, channel.id);
    const post = JSON.parse(ev.data.post);
    assert.equal(post.type, 'system_ephemeral');
    assert.equal(post.message, response.text);
    assert.equal(post.channel_id, channel.id);
    assert.equal(post.user_id, a.user.id);
    await ca.inbox.waitFor((m) => m.event === 'status_change' && m.data.status === 'away', 'status_change to away');
    assert.equal((await a.client.getStatus(a.user.id)).status, 'away');
    await a.client.executeCommand('/online', {channel_id: channel.id});

    const me = await a.client.executeCommand('/me waves', {channel_id: channel.id});
    assert.equal(me.response_type, 'in_channel');
    const posted = await cb.inbox.waitFor((m) => m.event === 'posted' && JSON.parse(m.data.post).type === 'me', '/me posted');
    const mePost = JSON.parse(posted.data.post);
    assert.equal(mePost.message, '*waves*');
    assert.equal(mePost.user_id, a.user.id);

    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assert.deepEqual(cb.inbox.filter((m) => m.event === 'ephemeral_message').map(describe), [], 'the other member never sees the reply');
    const stored = await adminClient.getPosts(channel.id);
    assert.ok(!Object.values(stored.posts).some((p) => p.type === 'system_ephemeral'), 'ephemeral replies are not stored');
    assert.ok(stored.order.includes(mePost.id), '/me is an ordinary stored post');
    assertHealthy(ca);
    assertHealthy(cb);
});

wsTest('setting a custom status sends user_updated with it to others, and the recent list arrives as preferences_changed', {timeout: 20000}, async () => {
    const [a, b] = await h.users(2);
    const {adminClient, channel} = await world([a, b]);
    const ca = await connect(a);
    const cb = await connect(b);
    const text = `in a meeting ${h.rand(6)}`;
    await a.client.updateCustomStatus({emoji: 'calendar', text});
    const seen = await cb.inbox.waitFor((m) => m.event === 'user_updated' && m.data.user.id === a.user.id
        && (m.data.user.props || {}).customStatus, 'user_updated with the status');
    const status = JSON.parse(seen.data.user.props.customStatus);
    assert.equal(status.emoji, 'calendar');
    assert.equal(status.text, text);
    const prefs = await ca.inbox.waitFor((m) => m.event === 'preferences_changed'
        && JSON.parse(m.data.preferences).some((p) => p.category === 'custom_status'), 'recent statuses saved');
    const recent = JSON.parse(JSON.parse(prefs.data.preferences).find((p) => p.name === 'recent_custom_statuses').value);
    assert.equal(recent[0].text, text);
    await barrier(adminClient, channel.id, [ca.inbox, cb.inbox]);
    assertHealthy(ca);
    assertHealthy(cb);
});
