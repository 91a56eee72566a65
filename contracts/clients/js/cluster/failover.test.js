'use strict';
// Failover of a two-node cluster, through Mattermost's official clients:
// receivers hold WebSocketClient connections through the load balancer (which
// spreads them over both nodes), posters post over REST through it, and node 1
// is killed with SIGKILL while they do. The receivers that were on node 1 see
// their socket close and reconnect, through the load balancer, to node 2 with
// their connection_id and sequence_number, as the official client does; their
// connection's checkpoint is in Redis and every event is in the cluster's
// stream, so node 2 resumes their connection where it stood.
//
// Checked at the end: (a) some receivers were on node 1 and reconnected;
// (b) every acknowledged post (createPost answered 201) reached every receiver
// exactly once; (c) the connections were resumed: no new connection_id, no
// missed-message resync; (d) a post that was never acknowledged arrived at
// most once.
//
// Started by scripts/cluster test, which sets CLUSTER_URL (the load balancer),
// NODE1_URL and NODE1_PID (the node that is killed). Not part of the
// single-server suites in ../test/.

const {test, before, after} = require('node:test');
const assert = require('node:assert/strict');

const CLUSTER_URL = (process.env.CLUSTER_URL || '').replace(/\/+$/, '');
const NODE1_URL = (process.env.NODE1_URL || '').replace(/\/+$/, '');
const NODE1_PID = Number(process.env.NODE1_PID || 0);
if (!CLUSTER_URL || !NODE1_URL || !NODE1_PID) {
    throw new Error('CLUSTER_URL, NODE1_URL and NODE1_PID must be set: run this test with scripts/cluster test');
}
// The helpers' clients talk to MM_URL: here, the load balancer.
process.env.MM_URL = CLUSTER_URL;

const h = require('../lib/helpers');
const {tryParse, withTimeout} = h;
const {WebSocketClient} = require('@mattermost/client');
const WebSocket = require('ws');

// The official client under Node: its CloseEvent, and a way to stop it for good.
const {stopWebSocketClient} = require('../lib/websocket-client');

const WS_URL = h.newClient().getWebSocketUrl().replace(/^http/i, 'ws');
const RECEIVERS = 8;
const POSTERS = 2;
const POST_EVERY_MS = 30;
const KILL_AFTER_MS = 2000;
const POST_AFTER_KILL_MS = 4000;
const DELIVERY_TIMEOUT_MS = 15000;
// The load balancer names the node that answered each request, the WebSocket
// upgrade included (scripts/cluster writes that into haproxy.cfg).
const NODE_HEADER = 'x-cluster-node';

const sleep = h.sleep;

async function until(check, timeoutMs) {
    const end = Date.now() + timeoutMs;
    while (!check() && Date.now() < end) {
        await sleep(50);
    }
    return check();
}

const started = Date.now();
const at = () => `${((Date.now() - started) / 1000).toFixed(2)}s`;

// ---------------------------------------------------------------------------
// Receivers: the official WebSocketClient, and a record of what it saw.

class Receiver {
    constructor(index, account, channelId) {
        this.index = index;
        this.label = `receiver ${index} (${account.user.username})`;
        this.channelId = channelId;
        // One entry per socket the client opened: the query it sent (its
        // connection_id and sequence_number), the node that took it, its close.
        this.sockets = [];
        this.hellos = []; // {connectionId, socket}
        this.posted = new Map(); // post id -> [{seq, socket}]
        this.counts = {firstConnect: 0, reconnect: 0, missed: 0, close: 0, error: 0};
        this.missedAt = [];
        const token = account.client.getToken();
        assert.ok(token, `${this.label}: the account has a session token`);
        this.token = token;
        this.wsc = new WebSocketClient({
            minWebSocketRetryTime: 200,
            reconnectJitterRange: 200,
            maxWebSocketFails: 1000,
            // The upgrade carries the token, as the mobile app sends it (the
            // web app sends its cookie): Mattermost resumes a connection only
            // when the upgrade itself is authenticated.
            newWebSocketFn: (url) => this.open(url, token),
        });
        this.wsc.addMessageListener((msg) => this.onMessage(msg));
        this.wsc.addFirstConnectListener(() => this.counts.firstConnect++);
        this.wsc.addReconnectListener(() => this.counts.reconnect++);
        this.wsc.addMissedMessageListener(() => {
            this.counts.missed++;
            this.missedAt.push({at: at(), socket: this.sockets.length - 1});
        });
        this.wsc.addCloseListener(() => this.counts.close++);
        this.wsc.addErrorListener(() => this.counts.error++);
    }

    open(url, token) {
        const query = new URL(url).searchParams;
        const socket = {
            n: this.sockets.length,
            connectionId: query.get('connection_id') || '',
            sequenceNumber: query.get('sequence_number'),
            disconnectErrCode: query.get('disconnect_err_code'),
            node: null,
            openedAt: null,
            closedAt: null,
            closeCode: null,
        };
        this.sockets.push(socket);
        const ws = new WebSocket(url, {headers: {Authorization: `Bearer ${token}`}});
        ws.on('upgrade', (res) => {
            socket.node = res.headers[NODE_HEADER] || '?';
        });
        ws.on('open', () => {
            socket.openedAt = at();
        });
        ws.on('close', (code) => {
            socket.closedAt = at();
            socket.closeCode = code;
        });
        this.ws = ws;
        return ws;
    }

    onMessage(msg) {
        const socket = this.sockets.length - 1;
        if (msg.event === 'hello') {
            this.hellos.push({connectionId: msg.data.connection_id, socket, at: at()});
        }
        if (msg.event === 'posted') {
            const post = typeof msg.data.post === 'string' ? tryParse(msg.data.post) : undefined;
            if (post && post.channel_id === this.channelId) {
                const seen = this.posted.get(post.id) || [];
                seen.push({seq: msg.seq, socket});
                this.posted.set(post.id, seen);
            }
        }
    }

    async connect() {
        this.wsc.initialize(WS_URL, this.token);
        const ok = await until(() => this.hellos.length > 0, 5000);
        assert.ok(ok, `${this.label}: no hello within 5 s of connecting`);
    }

    // The nodes its sockets were on, in order: "node1 -> node2".
    get path() {
        return this.sockets.map((s) => s.node || 'no upgrade').join(' -> ');
    }

    get firstNode() {
        return this.sockets.length > 0 ? this.sockets[0].node : null;
    }

    // Its first socket closed and it opened another.
    get reconnected() {
        return this.sockets.length > 1 && this.counts.reconnect > 0;
    }

    describe() {
        const sockets = this.sockets.map((s) => `#${s.n} ${s.node || '?'} sent connection_id=${s.connectionId || '""'} `
            + `sequence_number=${s.sequenceNumber}${s.disconnectErrCode ? ` disconnect_err_code=${s.disconnectErrCode}` : ''} `
            + `open ${s.openedAt || '-'} closed ${s.closedAt ? `${s.closedAt} (${s.closeCode})` : '-'}`);
        const hellos = this.hellos.map((x) => `${x.connectionId} on socket #${x.socket} at ${x.at}`);
        return `${this.label}: ${this.path}; hellos: ${hellos.join(', ')}; `
            + `reconnects ${this.counts.reconnect}, missed-message resyncs ${this.counts.missed}, `
            + `posts received ${this.posted.size}\n      ${sockets.join('\n      ')}`;
    }

    shutdown() {
        stopWebSocketClient(this.wsc, this.ws);
    }
}

// ---------------------------------------------------------------------------
// The run: set up through the load balancer, post, kill node 1, post on,
// wait for delivery. The tests below check what was recorded.

const run = {
    receivers: [],
    acked: new Map(), // post id -> {poster, n, at}
    failed: [], // {poster, n, at, error}
    killedAt: null,
    node1GoneAt: null,
    delivered: false,
};

function missingFor(receiver) {
    return [...run.acked.keys()].filter((id) => !receiver.posted.has(id));
}

function allDelivered() {
    return run.receivers.every((r) => missingFor(r).length === 0);
}

async function poster(index, account, channelId, state) {
    let n = 0;
    while (!state.stop) {
        n++;
        const t = at();
        try {
            const post = await account.client.createPost({channel_id: channelId, message: `poster ${index} post ${n}`});
            run.acked.set(post.id, {poster: index, n, at: t});
        } catch (err) {
            // Expected while node 1 dies: counted, not fatal.
            run.failed.push({poster: index, n, at: t, error: String(err && err.message || err).slice(0, 200)});
        }
        await sleep(POST_EVERY_MS);
    }
}

async function nodeAnswers(url) {
    try {
        const res = await fetch(`${url}/api/v4/system/ping`, {signal: AbortSignal.timeout(500)});
        return res.ok;
    } catch (err) {
        return false;
    }
}

before(async () => {
    const accounts = await h.users(RECEIVERS + POSTERS);
    const {client: adminClient} = await h.admin();
    const team = await h.newTeam('cluster');
    const channel = await h.newPublicChannel(adminClient, team.id, 'cluster');
    for (const a of accounts) {
        await adminClient.addToTeam(team.id, a.user.id);
        await adminClient.addToChannel(a.user.id, channel.id);
    }
    // Posts made by the set-up (joins) are not counted: only what follows.
    await sleep(200);

    const receiverAccounts = accounts.slice(0, RECEIVERS);
    const posterAccounts = accounts.slice(RECEIVERS);
    run.receivers = receiverAccounts.map((a, i) => new Receiver(i + 1, a, channel.id));
    // One after the other, so that round robin alternates them over the nodes.
    for (const r of run.receivers) {
        await r.connect();
    }
    const spread = run.receivers.map((r) => `${r.index}:${r.firstNode}`).join(' ');
    console.log(`# ${at()} receivers connected (receiver:node) ${spread}`);

    const state = {stop: false};
    const posting = posterAccounts.map((a, i) => poster(i + 1, a, channel.id, state));

    await sleep(KILL_AFTER_MS);
    console.log(`# ${at()} kill -9 node 1 (pid ${NODE1_PID}); ${run.acked.size} posts acknowledged so far`);
    process.kill(NODE1_PID, 'SIGKILL');
    run.killedAt = at();
    const gone = await (async () => {
        const end = Date.now() + 3000;
        while (Date.now() < end) {
            if (!(await nodeAnswers(NODE1_URL))) {
                return true;
            }
            await sleep(50);
        }
        return false;
    })();
    assert.ok(gone, `node 1 (${NODE1_URL}) still answers after SIGKILL`);
    run.node1GoneAt = at();
    console.log(`# ${run.node1GoneAt} node 1 no longer answers`);

    await sleep(POST_AFTER_KILL_MS);
    state.stop = true;
    await withTimeout(Promise.all(posting), 30000, 'the posters to finish their last request');
    // A last post once everything has settled: delivered in order on every
    // stream, so when it is there, everything before it was delivered too.
    const last = await posterAccounts[0].client.createPost({channel_id: channel.id, message: 'the last post'});
    run.acked.set(last.id, {poster: 1, n: 'last', at: at()});
    console.log(`# ${at()} posting stopped: ${run.acked.size} acknowledged, ${run.failed.length} failed`);

    run.delivered = await until(allDelivered, DELIVERY_TIMEOUT_MS);
    // Time for a late duplicate to show.
    await sleep(500);
    console.log(`# ${at()} ${run.delivered ? 'every receiver has every acknowledged post' : 'delivery timed out'}`);
    for (const r of run.receivers) {
        console.log(`# ${r.describe().replace(/\n/g, '\n# ')}`);
    }
    for (const f of run.failed) {
        console.log(`# failed post: poster ${f.poster} #${f.n} at ${f.at}: ${f.error}`);
    }
}, {timeout: 120000});

after(() => {
    for (const r of run.receivers) {
        r.shutdown();
    }
});

// Fails with one line per problem, when there is any.
function report(problems, what) {
    if (problems.length > 0) {
        assert.fail(`${what}:\n  ${problems.join('\n  ')}`);
    }
}

// Up to `max` ids, then how many more.
function some(ids, max = 5) {
    return ids.slice(0, max).join(', ') + (ids.length > max ? ` and ${ids.length - max} more` : '');
}

test('(a) receivers were on node 1 when it was killed, and reconnected through the load balancer', () => {
    const onNode1 = run.receivers.filter((r) => r.firstNode === 'node1');
    const onNode2 = run.receivers.filter((r) => r.firstNode === 'node2');
    const spread = run.receivers.map((r) => `${r.label}: ${r.path}`).join('\n  ');
    assert.ok(onNode1.length > 0 && onNode2.length > 0,
        `the load balancer did not spread the receivers over both nodes:\n  ${spread}`);
    const stuck = onNode1.filter((r) => !r.reconnected);
    report(stuck.map((r) => r.describe()), 'receivers of node 1 whose socket did not close, or that did not open another');
    const notMoved = onNode1.filter((r) => r.sockets[r.sockets.length - 1].node !== 'node2'
        || r.sockets[r.sockets.length - 1].closedAt !== null);
    report(notMoved.map((r) => r.describe()), 'receivers of node 1 that do not end on a live socket to node 2');
});

test('(b) every acknowledged post reached every receiver exactly once', () => {
    assert.ok(run.acked.size > 0, 'no post was acknowledged');
    const problems = [];
    for (const r of run.receivers) {
        const missing = missingFor(r);
        const twice = [...run.acked.keys()].filter((id) => (r.posted.get(id) || []).length > 1);
        if (missing.length > 0 || twice.length > 0) {
            const parts = [];
            if (missing.length > 0) {
                const when = missing.map((id) => run.acked.get(id).at);
                parts.push(`${missing.length} of ${run.acked.size} missing (${some(missing)}; posted at ${some(when)})`);
            }
            if (twice.length > 0) {
                parts.push(`${twice.length} more than once (${some(twice.map((id) => `${id} ×${r.posted.get(id).length}`))})`);
            }
            problems.push(`${r.label} [${r.path}]: ${parts.join('; ')}`);
        }
    }
    report(problems, `acknowledged posts not delivered exactly once (node 1 killed at ${run.killedAt}, `
        + `the last post acknowledged at ${[...run.acked.values()].pop().at})`);
});

test('(c) no receiver got a new connection: those of node 1 resumed theirs on node 2 (same connection_id, no missed-message resync)', () => {
    const problems = [];
    for (const r of run.receivers) {
        const ids = [...new Set(r.hellos.map((x) => x.connectionId))];
        const first = r.hellos.length > 0 ? r.hellos[0].connectionId : '(no hello)';
        const issues = [];
        if (r.hellos.length !== 1) {
            issues.push(`${r.hellos.length} hellos (${r.hellos.map((x) => `${x.connectionId} on socket #${x.socket}`).join(', ')})`);
        }
        if (ids.length > 1 || r.wsc.connectionId !== first) {
            issues.push(`connection_id changed from ${first} to ${r.wsc.connectionId}`);
        }
        if (r.counts.missed > 0) {
            issues.push(`the missed-message callback fired ${r.counts.missed} time(s) (at ${r.missedAt.map((m) => m.at).join(', ')})`);
        }
        if (issues.length > 0) {
            problems.push(`${r.label} [${r.path}]: ${issues.join('; ')}`);
        }
    }
    report(problems, 'connections not resumed across the failover');
});

test('(d) a post never acknowledged arrived at most once', () => {
    const problems = [];
    for (const r of run.receivers) {
        const twice = [...r.posted.entries()].filter(([id, seen]) => !run.acked.has(id) && seen.length > 1);
        if (twice.length > 0) {
            problems.push(`${r.label} [${r.path}]: ${some(twice.map(([id, seen]) => `${id} ×${seen.length}`))}`);
        }
    }
    report(problems, 'unacknowledged posts delivered more than once');
});
