'use strict';
// File attachments through Client4, as Mattermost serves them (api4/file.go,
// app/file.go, app/imaging, web.WriteFileResponse): the multipart upload the
// webapp sends (and the mobile app's order, file part first), the raw-body
// upload, downloads with their thumbnail and preview, file infos, files on
// posts, file search, the limits on size and image resolution, and who may
// read a file.
//
// Client4 builds the download URLs but does not fetch them (the webapp puts
// them in <img> and <a> tags); those are fetched here with Client4's own
// headers, its bearer token included.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const zlib = require('node:zlib');
const h = require('../lib/helpers');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_FILE_SIZE = 100 * 1024 * 1024; // FileSettings.MaxFileSize by default

// A word of letters only, so that no full-text parser splits it or reads it as a number.
function word(n = 12) {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    return Array.from(crypto.randomBytes(n), (b) => letters[b % 26]).join('');
}

// ---------------------------------------------------------------------------
// PNGs, made here: an RGB image of one random colour.

const CRC_TABLE = (() => {
    const table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        table[n] = c;
    }
    return table;
})();

function crc32(buf) {
    let c = -1;
    for (const b of buf) {
        c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    }
    return (c ^ -1) >>> 0;
}

function pngChunk(type, data) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
}

function ihdr(width, height) {
    const data = Buffer.alloc(13);
    data.writeUInt32BE(width, 0);
    data.writeUInt32BE(height, 4);
    data[8] = 8; // bit depth
    data[9] = 2; // colour type: RGB
    return pngChunk('IHDR', data);
}

function makePng(width, height) {
    const [r, g, b] = crypto.randomBytes(3);
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then pixels
    for (let x = 0; x < width; x++) {
        row[1 + x * 3] = r;
        row[2 + x * 3] = g;
        row[3 + x * 3] = b;
    }
    const raw = Buffer.concat(Array.from({length: height}, () => row));
    return Buffer.concat([
        PNG_SIGNATURE,
        ihdr(width, height),
        pngChunk('IDAT', zlib.deflateSync(raw)),
        pngChunk('IEND', Buffer.alloc(0)),
    ]);
}

// A decompression bomb: a few hundred bytes whose header (with a correct CRC)
// claims width × height pixels, followed by the pixels of a 1×1 image.
function makeBombPng(width, height) {
    const tiny = makePng(1, 1);
    const bomb = Buffer.concat([PNG_SIGNATURE, ihdr(width, height), tiny.subarray(8 + 25)]);
    assert.equal(bomb.readUInt32BE(16), width);
    assert.equal(bomb.readUInt32BE(29), crc32(bomb.subarray(12, 29)), 'the doctored IHDR keeps a valid CRC');
    return bomb;
}

// Width and height of a baseline or progressive JPEG, from its SOF segment.
function jpegSize(bytes, what) {
    assert.ok(bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8, `${what}: must start with the JPEG SOI marker FF D8`);
    let i = 2;
    while (i + 4 <= bytes.length) {
        if (bytes[i] !== 0xff) {
            assert.fail(`${what}: no JPEG marker at offset ${i}`);
        }
        const marker = bytes[i + 1];
        if (marker === 0xff) {
            i += 1; // fill byte
            continue;
        }
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
            i += 2; // no length
            continue;
        }
        const length = bytes.readUInt16BE(i + 2);
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
            return {height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7)};
        }
        i += 2 + length;
    }
    assert.fail(`${what}: no SOF segment in the JPEG`);
}

// ---------------------------------------------------------------------------
// Requests Client4 does not make itself.

// GET of a URL Client4 builds (getFileUrl and friends), with its headers.
async function fetchWithClient(client, url) {
    const response = await fetch(url, client.getOptions({method: 'get'}));
    return {
        status: response.status,
        headers: response.headers,
        contentType: response.headers.get('content-type'),
        disposition: response.headers.get('content-disposition') || '',
        bytes: Buffer.from(await response.arrayBuffer()),
    };
}

// GET /files/{id}/info: Client4 has no method for it; the webapp and the
// mobile app fetch it with their session.
async function fileInfo(client, fileId) {
    const response = await fetch(`${client.getFileRoute(fileId)}/info`, client.getOptions({method: 'get'}));
    const text = await response.text();
    return {status: response.status, headers: response.headers, body: text, json: response.ok ? JSON.parse(text) : null};
}

// A multipart body built by hand, parts in the given order, as the mobile app
// sends them: [{name, value}] or [{name, filename, type, data}].
function multipartBody(parts) {
    const boundary = `----compat${crypto.randomBytes(12).toString('hex')}`;
    const chunks = [];
    for (const part of parts) {
        let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
        if (part.filename !== undefined) {
            head += `; filename="${part.filename}"\r\nContent-Type: ${part.type || 'application/octet-stream'}`;
        }
        chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(part.data ?? part.value), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return {body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`};
}

async function postRaw(client, path, body, contentType) {
    const response = await fetch(`${h.MM_URL}${path}`, client.getOptions({
        method: 'post',
        body,
        headers: {'Content-Type': contentType},
    }));
    const text = await response.text();
    return {status: response.status, headers: response.headers, body: text, json: text ? JSON.parse(text) : null};
}

// A POST whose Content-Length header announces `declared` bytes but which
// sends only `body` and then waits for the answer: a server that checks the
// announced length answers before the upload is over. undici's fetch refuses
// a Content-Length that does not match the body, hence node:http.
function postDeclaringLength(client, path, declared, body) {
    return new Promise((resolve, reject) => {
        let settled = false;
        const req = http.request(`${h.MM_URL}${path}`, {
            method: 'POST',
            headers: {
                'Authorization': `Bearer ${client.getToken()}`,
                'X-Requested-With': 'XMLHttpRequest',
                'Content-Type': 'application/octet-stream',
                'Content-Length': String(declared),
            },
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                settled = true;
                clearTimeout(timer);
                req.destroy();
                const text = Buffer.concat(chunks).toString('utf8');
                resolve({status: res.statusCode, headers: new Headers(res.headers), body: text});
            });
        });
        const timer = setTimeout(() => {
            if (!settled) {
                settled = true;
                req.destroy();
                reject(new Error(`no answer within 10 s to a POST announcing ${declared} bytes: the server waits for a body it should refuse`));
            }
        }, 10000);
        req.on('error', (err) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                reject(err);
            }
        });
        req.write(body);
        // Never ended: the announced length is never reached.
    });
}

// ---------------------------------------------------------------------------
// Uploads.

async function upload(client, channelId, name, bytes, {type = 'application/octet-stream', clientId} = {}) {
    const form = new FormData();
    form.append('channel_id', channelId);
    if (clientId) {
        form.append('client_ids', clientId);
    }
    form.append('files', new Blob([bytes], {type}), name);
    const {data, res} = await h.observe(() => client.uploadFile(form));
    assert.equal(res.status, 201, `upload ${name}: POST /files answers 201`);
    assert.ok(Array.isArray(data.file_infos) && data.file_infos.length === 1, `upload ${name}: one file info: ${res.body}`);
    return {info: data.file_infos[0], data, res};
}

function assertFileInfo(info, expected, what) {
    h.assertId(info.id, `${what}: id`);
    for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(info[key], value, `${what}: ${key}`);
    }
    h.assertMillis(info.create_at, `${what}: create_at`);
    h.assertMillis(info.update_at, `${what}: update_at`);
    assert.equal(info.delete_at, 0, `${what}: delete_at`);
    assert.equal(typeof info.size, 'number', `${what}: size is a number`);
    for (const hidden of ['path', 'thumbnail_path', 'preview_path', 'content', 'creator_id']) {
        assert.ok(!(hidden in info), `${what}: ${hidden} is never sent to clients`);
    }
}

// One team, a public channel and a private one, both made by the admin.
// `member` and `peer` are in the team and the public channel; `outsider` is
// in the team but in no channel of it.
let worldPromise = null;
function world() {
    if (!worldPromise) {
        worldPromise = (async () => {
            const {client: adminClient, user: adminUser} = await h.admin();
            const [member, peer, outsider] = await h.users(3);
            const team = await h.newTeam('files');
            for (const account of [member, peer, outsider]) {
                await adminClient.addToTeam(team.id, account.user.id);
            }
            const open = await h.newPublicChannel(adminClient, team.id, 'files');
            await adminClient.addToChannel(member.user.id, open.id);
            await adminClient.addToChannel(peer.user.id, open.id);
            const name = `files-priv-${h.rand(10)}`;
            const secret = await adminClient.createChannel({
                team_id: team.id, name, display_name: `Compat ${name}`, type: 'P', purpose: '', header: '',
            });
            return {adminClient, adminUser, member, peer, outsider, team, open, secret};
        })();
    }
    return worldPromise;
}

// An image uploaded by the admin into the public channel and posted, shared by
// the download tests.
let postedPngPromise = null;
function postedPng() {
    if (!postedPngPromise) {
        postedPngPromise = (async () => {
            const w = await world();
            const png = makePng(300, 200);
            const name = `compat ${word()} chart.png`;
            const {info} = await upload(w.adminClient, w.open.id, name, png, {type: 'image/png'});
            const post = await w.adminClient.createPost({channel_id: w.open.id, message: 'a chart', file_ids: [info.id]});
            return {...w, png, name, info, post};
        })();
    }
    return postedPngPromise;
}

// ---------------------------------------------------------------------------
// Upload

test('uploadFile answers 201 with the file info of a PNG and echoes client_ids', async () => {
    const w = await world();
    const png = makePng(300, 200);
    const clientId = `client-${h.rand(12)}`;
    const before = Date.now();
    const {info, data, res} = await upload(w.adminClient, w.open.id, 'picture.png', png, {type: 'image/png', clientId});
    assert.match(res.url, /\/api\/v4\/files$/, 'Client4 posts to /api/v4/files without a bookmark parameter');
    assert.match(h.header(res, 'content-type'), /^application\/json/);
    assert.deepEqual(data.client_ids, [clientId], 'client_ids are echoed in the order of the files');
    assertFileInfo(info, {
        user_id: w.adminUser.id,
        channel_id: w.open.id,
        name: 'picture.png',
        extension: 'png',
        size: png.length,
        mime_type: 'image/png',
        width: 300,
        height: 200,
        has_preview_image: true,
    }, 'PNG upload');
    assert.ok(!info.post_id, `a file not yet posted has no post_id (omitted), got ${JSON.stringify(info.post_id)}`);
    assert.ok(info.create_at >= before - 60000, 'create_at is now');
    assert.equal(typeof info.mini_preview, 'string', 'an image has a mini_preview (base64 of a tiny JPEG)');
    assert.match(info.mini_preview, /^[A-Za-z0-9+/]+=*$/, 'mini_preview is standard base64, as Go encodes []byte');
    const mini = Buffer.from(info.mini_preview, 'base64');
    assert.deepEqual(jpegSize(mini, 'mini_preview'), {width: 16, height: 16}, 'the mini preview is a 16×16 JPEG');

    // The uploader can read it back before it is posted.
    const got = await fileInfo(w.adminClient, info.id);
    assert.equal(got.status, 200, `GET /files/{id}/info: ${got.body}`);
    assert.deepEqual(got.json, info, 'GET /files/{id}/info answers the same file info');
    assert.match(got.headers.get('content-type'), /^application\/json/);
});

test('uploadFile without client_ids takes several files at once', async () => {
    const w = await world();
    const form = new FormData();
    form.append('channel_id', w.open.id);
    form.append('files', new Blob([makePng(20, 10)], {type: 'image/png'}), 'one.png');
    form.append('files', new Blob([Buffer.from('second file\n')], {type: 'text/plain'}), 'two.txt');
    const {data, res} = await h.observe(() => w.adminClient.uploadFile(form));
    assert.equal(res.status, 201);
    assert.deepEqual(data.file_infos.map((f) => f.name), ['one.png', 'two.txt'], 'one info per file, in order');
    assert.ok(Array.isArray(data.client_ids) && data.client_ids.length === 0, `no client_ids sent, none echoed: ${JSON.stringify(data.client_ids)}`);
    assert.notEqual(data.file_infos[0].id, data.file_infos[1].id);
});

test('the mobile app order: a multipart body whose file part comes before channel_id', async () => {
    const w = await world();
    const png = makePng(40, 30);
    const clientId = `mobile-${h.rand(12)}`;
    const {body, contentType} = multipartBody([
        {name: 'files', filename: 'mobile.png', type: 'image/png', data: png},
        {name: 'channel_id', value: w.open.id},
        {name: 'client_ids', value: clientId},
    ]);
    const res = await postRaw(w.adminClient, '/api/v4/files', body, contentType);
    assert.equal(res.status, 201, `upload with the file part first: ${res.body}`);
    assert.equal(res.json.file_infos.length, 1);
    assert.deepEqual(res.json.client_ids, [clientId]);
    assertFileInfo(res.json.file_infos[0], {
        channel_id: w.open.id, name: 'mobile.png', extension: 'png', size: png.length,
        mime_type: 'image/png', width: 40, height: 30, has_preview_image: true,
    }, 'mobile upload');

    const download = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(res.json.file_infos[0].id));
    assert.equal(download.status, 200);
    assert.ok(download.bytes.equals(png), 'the bytes uploaded first come back whole');
});

test('a raw-body upload with ?channel_id=&filename= answers 201 with the file info', async () => {
    const w = await world();
    const text = Buffer.from(`raw upload ${h.rand(8)}\n`);
    const clientId = `raw-${h.rand(8)}`;
    const path = `/api/v4/files?channel_id=${w.open.id}&filename=notes.txt&client_id=${clientId}`;
    const res = await postRaw(w.adminClient, path, text, 'application/octet-stream');
    assert.equal(res.status, 201, `raw upload: ${res.body}`);
    assert.equal(res.json.file_infos.length, 1);
    assert.deepEqual(res.json.client_ids, [clientId], 'the client_id query parameter is echoed');
    const info = res.json.file_infos[0];
    assertFileInfo(info, {channel_id: w.open.id, name: 'notes.txt', extension: 'txt', size: text.length}, 'raw upload');
    assert.match(info.mime_type, /^text\/plain/);
});

test('an upload without channel_id is refused with 400', async () => {
    const w = await world();
    const form = new FormData();
    form.append('files', new Blob([Buffer.from('orphan')], {type: 'text/plain'}), 'orphan.txt');
    const {res} = await h.expectError(() => w.adminClient.uploadFile(form), 400, 'upload without channel_id');
    h.assertMattermostError(res, 400);
});

test('an upload into a channel the user is not in is refused with 403, every time', async () => {
    // The server decides before it has read the file part. Mattermost (Go's
    // net/http) still reads or waits out the rest of a small body before it
    // closes the connection, so the client always gets the 403; a server that
    // closes at once makes the client's fetch fail (EPIPE / ECONNRESET) on
    // some attempts instead. Hence several attempts, each with a file part
    // small enough for Go to drain (under its 256 KiB) and large enough to be
    // still on its way when the server decides.
    const ATTEMPTS = 40;
    const w = await world();
    const outcomes = {};
    let first = null;
    for (let i = 0; i < ATTEMPTS; i++) {
        const form = new FormData();
        form.append('channel_id', w.secret.id);
        form.append('files', new Blob([Buffer.alloc(200 * 1024, `intruder ${i}\n`)], {type: 'text/plain'}), 'intruder.txt');
        const before = h.exchanges.length;
        let outcome;
        try {
            await w.outsider.client.uploadFile(form);
            outcome = 'accepted';
        } catch (err) {
            if (h.exchanges.length > before) {
                const res = h.exchanges[h.exchanges.length - 1];
                outcome = `HTTP ${res.status}`;
                first = first || res;
            } else {
                outcome = `no answer: ${err.message}${err.cause ? ` (${err.cause.code || err.cause.message})` : ''}`;
            }
        }
        outcomes[outcome] = (outcomes[outcome] || 0) + 1;
    }
    assert.deepEqual(outcomes, {'HTTP 403': ATTEMPTS}, 'every refused upload is answered 403');
    h.assertMattermostError(first, 403);
});

// ---------------------------------------------------------------------------
// Posts with files

test('createPost with file_ids attaches the files: file_ids, metadata.files, post_id', async () => {
    const w = await world();
    const png = makePng(64, 48);
    const {info} = await upload(w.adminClient, w.open.id, 'attached.png', png, {type: 'image/png'});
    const {data: post, res} = await h.observe(() => w.adminClient.createPost({
        channel_id: w.open.id,
        message: 'with a file',
        file_ids: [info.id],
    }));
    assert.equal(res.status, 201);
    assert.deepEqual(post.file_ids, [info.id], 'the post names its files');
    assert.ok(post.metadata && Array.isArray(post.metadata.files), `the new post carries metadata.files: ${res.body.slice(0, 400)}`);
    assert.equal(post.metadata.files.length, 1);
    const attached = post.metadata.files[0];
    assert.equal(attached.id, info.id);
    assert.equal(attached.post_id, post.id, 'the file now belongs to the post');
    assert.equal(attached.name, 'attached.png');
    assert.equal(attached.mime_type, 'image/png');
    assert.equal(attached.width, 64);
    assert.equal(attached.height, 48);

    const fetched = await w.adminClient.getPost(post.id);
    assert.deepEqual(fetched.file_ids, [info.id]);
    assert.deepEqual(fetched.metadata.files.map((f) => f.id), [info.id], 'getPost carries metadata.files');

    const list = await w.adminClient.getPosts(w.open.id, 0, 60);
    assert.deepEqual(list.posts[post.id].metadata.files.map((f) => f.id), [info.id], 'posts in a PostList carry metadata.files');

    const {data: infos, res: infosRes} = await h.observe(() => w.adminClient.getFileInfosForPost(post.id));
    assert.equal(infosRes.status, 200);
    assert.ok(Array.isArray(infos), 'getFileInfosForPost answers an array');
    assert.deepEqual(infos.map((f) => f.id), [info.id]);
    assert.equal(infos[0].post_id, post.id);
    assert.equal(infos[0].channel_id, w.open.id);

    const got = await fileInfo(w.adminClient, info.id);
    assert.equal(got.json.post_id, post.id, 'GET /files/{id}/info has the post_id once posted');

    // A member of the channel reads the posted file too.
    const asMember = await fileInfo(w.member.client, info.id);
    assert.equal(asMember.status, 200, `a channel member reads a posted file: ${asMember.body}`);
    const memberInfos = await w.member.client.getFileInfosForPost(post.id);
    assert.deepEqual(memberInfos.map((f) => f.id), [info.id]);
});

test('a file is attached to one post only; a file of another user is not attached', async () => {
    const w = await world();
    const {info} = await upload(w.adminClient, w.open.id, 'once.txt', Buffer.from('once\n'), {type: 'text/plain'});
    const first = await w.adminClient.createPost({channel_id: w.open.id, message: 'first', file_ids: [info.id]});
    assert.deepEqual(first.file_ids, [info.id]);
    const second = await w.adminClient.createPost({channel_id: w.open.id, message: 'second', file_ids: [info.id]});
    assert.ok(!second.file_ids || second.file_ids.length === 0, `a posted file is not attached again: ${JSON.stringify(second.file_ids)}`);
    assert.deepEqual(await w.adminClient.getFileInfosForPost(second.id), []);

    const {info: theirs} = await upload(w.member.client, w.open.id, 'theirs.txt', Buffer.from('theirs\n'), {type: 'text/plain'});
    const stolen = await w.adminClient.createPost({channel_id: w.open.id, message: 'not mine', file_ids: [theirs.id]});
    assert.ok(!stolen.file_ids || stolen.file_ids.length === 0, `another user's file is not attached: ${JSON.stringify(stolen.file_ids)}`);
    const stillTheirs = await fileInfo(w.member.client, theirs.id);
    assert.ok(!stillTheirs.json.post_id, 'the file stays unposted');
});

test('deleting a post deletes its files: info and download answer 404', async () => {
    const w = await world();
    const {info} = await upload(w.adminClient, w.open.id, 'doomed.png', makePng(10, 10), {type: 'image/png'});
    const post = await w.adminClient.createPost({channel_id: w.open.id, message: 'doomed', file_ids: [info.id]});
    assert.equal((await fileInfo(w.adminClient, info.id)).status, 200);
    await w.adminClient.deletePost(post.id);
    const gone = await fileInfo(w.adminClient, info.id);
    assert.equal(gone.status, 404, `the file of a deleted post is gone: ${gone.body}`);
    const download = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
    assert.equal(download.status, 404);
});

// ---------------------------------------------------------------------------
// Downloads

test('getFileUrl downloads the bytes uploaded; an image is inline, ?download=1 makes it an attachment', async () => {
    const {adminClient, png, name, info} = await postedPng();
    const url = adminClient.getFileUrl(info.id);
    assert.equal(url, `${h.MM_URL}/api/v4/files/${info.id}`);
    const got = await fetchWithClient(adminClient, url);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(png), 'the downloaded bytes equal the upload');
    assert.equal(got.contentType, 'image/png');
    assert.equal(got.headers.get('content-length'), String(png.length));
    assert.match(got.disposition, /^inline\s*;/i, `an image is shown in place: ${got.disposition}`);
    assert.ok(got.disposition.includes('filename'), 'the disposition names the file');
    assert.ok(got.disposition.includes(encodeURIComponent(name)) || got.disposition.includes(name), `the disposition carries the file name: ${got.disposition}`);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');

    const forced = await fetchWithClient(adminClient, `${url}?download=1`);
    assert.equal(forced.status, 200);
    assert.ok(forced.bytes.equals(png));
    assert.match(forced.disposition, /^attachment\s*;/i, `?download=1 forces a download: ${forced.disposition}`);

    // The timestamp form Client4 builds for cache busting works too.
    const stamped = await fetchWithClient(adminClient, adminClient.getFileUrl(info.id, Date.now()));
    assert.equal(stamped.status, 200);
    assert.ok(stamped.bytes.equals(png));
});

test('getFileThumbnailUrl and getFilePreviewUrl answer JPEGs of the right size', async () => {
    const {adminClient, info} = await postedPng();
    const thumb = await fetchWithClient(adminClient, adminClient.getFileThumbnailUrl(info.id));
    assert.equal(thumb.status, 200);
    assert.equal(thumb.contentType, 'image/jpeg', 'thumbnails are JPEG');
    assert.ok(thumb.bytes.length > 0);
    assert.deepEqual(jpegSize(thumb.bytes, 'thumbnail'), {width: 120, height: 80},
        'a landscape image is scaled to 120 pixels wide, keeping its ratio (imaging.GenerateThumbnail)');
    assert.match(thumb.disposition, /^inline\s*;/i);

    const preview = await fetchWithClient(adminClient, adminClient.getFilePreviewUrl(info.id));
    assert.equal(preview.status, 200);
    assert.equal(preview.contentType, 'image/jpeg', 'previews are JPEG');
    assert.deepEqual(jpegSize(preview.bytes, 'preview'), {width: 300, height: 200}, 'a preview is never enlarged');
});

test('a text file: mime_type text/plain, no image fields, downloaded as an attachment, no thumbnail (400)', async () => {
    const w = await world();
    const text = Buffer.from(`plain words ${h.rand(8)}\nsecond line\n`);
    const {info} = await upload(w.adminClient, w.open.id, 'readme.txt', text, {type: 'text/plain'});
    assertFileInfo(info, {name: 'readme.txt', extension: 'txt', size: text.length}, 'text upload');
    assert.match(info.mime_type, /^text\/plain/, `a text file is text/plain, got ${info.mime_type}`);
    for (const key of ['width', 'height', 'has_preview_image']) {
        assert.ok(!info[key], `a text file has no ${key} (omitted): ${JSON.stringify(info[key])}`);
    }
    assert.equal(info.mini_preview, null, 'a text file has mini_preview null');

    const got = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(text));
    assert.match(got.contentType, /^text\/plain/);
    assert.match(got.disposition, /^attachment\s*;/i, `only media types are shown in place: ${got.disposition}`);

    const thumb = await fetchWithClient(w.adminClient, w.adminClient.getFileThumbnailUrl(info.id));
    assert.equal(thumb.status, 400, 'a file without a thumbnail answers 400');
    assert.equal(JSON.parse(thumb.bytes.toString()).id, 'api.file.get_file_thumbnail.no_thumbnail.app_error');
    const preview = await fetchWithClient(w.adminClient, w.adminClient.getFilePreviewUrl(info.id));
    assert.equal(preview.status, 400, 'a file without a preview answers 400');
    assert.equal(JSON.parse(preview.bytes.toString()).id, 'api.file.get_file_preview.no_preview.app_error');
});

test('an HTML file is served as text/plain and as an attachment, never as a page', async () => {
    const w = await world();
    const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n');
    const {info} = await upload(w.adminClient, w.open.id, 'page.html', html, {type: 'text/html'});
    assert.equal(info.extension, 'html');
    const got = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(html));
    assert.match(got.contentType, /^text\/plain/, `HTML is served as text/plain, got ${got.contentType}`);
    assert.match(got.disposition, /^attachment\s*;/i, `HTML is always downloaded: ${got.disposition}`);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
});

test('SVG and PDF files are served as attachments', async () => {
    const w = await world();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>\n');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    for (const [name, bytes, type] of [['drawing.svg', svg, 'image/svg+xml'], ['paper.pdf', pdf, 'application/pdf']]) {
        const {info} = await upload(w.adminClient, w.open.id, name, bytes, {type});
        const got = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
        assert.equal(got.status, 200, name);
        assert.ok(got.bytes.equals(bytes), `${name}: bytes`);
        assert.match(got.disposition, /^attachment\s*;/i, `${name} is always downloaded: ${got.disposition}`);
    }
});

test('an SVG keeps the type image/svg+xml, in its info and when served (as an attachment)', async () => {
    // Mattermost types a file by its extension (model.NewInfo: mime.TypeByExtension),
    // and serves SVG as image/svg+xml with an attachment disposition: the webapp
    // shows SVG attachments in an <img>, which renders SVG only under that type.
    const w = await world();
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n');
    const {info} = await upload(w.adminClient, w.open.id, 'shape.svg', svg, {type: 'image/svg+xml'});
    assert.equal(info.extension, 'svg');
    assert.equal(info.mime_type, 'image/svg+xml', 'an .svg file is image/svg+xml');
    const got = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
    assert.equal(got.status, 200);
    assert.match(got.contentType || '', /^image\/svg\+xml/, `an SVG is served as image/svg+xml, got ${got.contentType}`);
    assert.match(got.disposition, /^attachment\s*;/i);
});

test('getFilePublicLink answers 403 while public links are disabled (the default)', async () => {
    const {adminClient, info} = await postedPng();
    const {error, res} = await h.expectError(() => adminClient.getFilePublicLink(info.id), 403, 'getFilePublicLink');
    assert.equal(error.server_error_id, 'api.file.get_public_link.disabled.app_error');
    h.assertMattermostError(res, 403);
});

test('an unknown file id answers 404; a malformed one 400', async () => {
    const w = await world();
    const missing = await fileInfo(w.adminClient, h.unknownId());
    assert.equal(missing.status, 404, `unknown file: ${missing.body}`);
    const download = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(h.unknownId()));
    assert.equal(download.status, 404);
    const bad = await fileInfo(w.adminClient, 'not-an-id');
    assert.equal(bad.status, 400, `malformed file id: ${bad.body}`);
});

// ---------------------------------------------------------------------------
// Permissions

test('a user outside a private channel gets 403 for its files: info, download, thumbnail, preview, post files', async () => {
    const w = await world();
    const png = makePng(30, 20);
    const {info} = await upload(w.adminClient, w.secret.id, 'secret.png', png, {type: 'image/png'});
    const post = await w.adminClient.createPost({channel_id: w.secret.id, message: 'secret file', file_ids: [info.id]});
    assert.deepEqual(post.file_ids, [info.id]);

    const denied = await fileInfo(w.outsider.client, info.id);
    assert.equal(denied.status, 403, `GET /files/{id}/info by a non-member: ${denied.body}`);
    const body = JSON.parse(denied.body);
    assert.equal(body.id, 'api.context.permissions.app_error');
    assert.equal(body.status_code, 403);
    for (const [what, url] of [
        ['download', w.outsider.client.getFileUrl(info.id)],
        ['download=1', `${w.outsider.client.getFileUrl(info.id)}?download=1`],
        ['thumbnail', w.outsider.client.getFileThumbnailUrl(info.id)],
        ['preview', w.outsider.client.getFilePreviewUrl(info.id)],
    ]) {
        const got = await fetchWithClient(w.outsider.client, url);
        assert.equal(got.status, 403, `${what} by a non-member answers 403`);
        assert.ok(!got.bytes.equals(png), `${what}: no file bytes for a non-member`);
    }
    await h.expectError(() => w.outsider.client.getFileInfosForPost(post.id), 403, 'getFileInfosForPost by a non-member');

    // The admin (uploader and member) still reads it.
    const own = await fetchWithClient(w.adminClient, w.adminClient.getFileUrl(info.id));
    assert.equal(own.status, 200);
    assert.ok(own.bytes.equals(png));
});

test('a file not yet posted is readable by its uploader only, even in a shared channel', async () => {
    // Mattermost checks info.CreatorId, then SessionHasPermissionToChannelByPost
    // (info.PostId): with no post yet there is no channel to grant read_channel,
    // so only the uploader (or a system admin) may read the file.
    const w = await world();
    const draft = Buffer.from(`draft ${h.rand(8)}\n`);
    const {info} = await upload(w.member.client, w.open.id, 'draft.txt', draft, {type: 'text/plain'});
    assert.equal((await fileInfo(w.member.client, info.id)).status, 200, 'the uploader reads the file');
    const statuses = {
        outsiderInfo: (await fileInfo(w.outsider.client, info.id)).status,
        outsiderDownload: (await fetchWithClient(w.outsider.client, w.outsider.client.getFileUrl(info.id))).status,
        peerInfo: (await fileInfo(w.peer.client, info.id)).status,
        peerDownload: (await fetchWithClient(w.peer.client, w.peer.client.getFileUrl(info.id))).status,
    };
    assert.deepEqual(statuses, {outsiderInfo: 403, outsiderDownload: 403, peerInfo: 403, peerDownload: 403},
        'nobody but the uploader reads a file before it is posted: not a team member outside the channel, not another channel member');

    const post = await w.member.client.createPost({channel_id: w.open.id, message: 'now shared', file_ids: [info.id]});
    assert.deepEqual(post.file_ids, [info.id]);
    const after = await fetchWithClient(w.peer.client, w.peer.client.getFileUrl(info.id));
    assert.equal(after.status, 200, 'once posted, the channel member reads it');
    assert.ok(after.bytes.equals(draft));
});

// ---------------------------------------------------------------------------
// Search

test('searchFiles finds a posted file by a word of its name: FileInfoList shape', async () => {
    const {adminClient, team, name, info, post} = await postedPng();
    const term = name.split(' ')[1];
    const {data: result, res} = await h.observe(() => adminClient.searchFiles(team.id, term, false));
    assert.equal(res.status, 200);
    assert.match(res.url, new RegExp(`/api/v4/teams/${team.id}/files/search$`));
    assert.ok(Array.isArray(result.order), `order is an array: ${res.body.slice(0, 300)}`);
    assert.equal(typeof result.file_infos, 'object');
    assert.ok(!Array.isArray(result.file_infos), 'file_infos is a map keyed by id');
    assert.deepEqual(result.order, [info.id], 'the one file with that word');
    const found = result.file_infos[info.id];
    assert.ok(found, 'every id in order has its file info');
    assert.equal(found.name, name);
    assert.equal(found.post_id, post.id);
    assert.equal(found.channel_id, post.channel_id);
    assert.equal(result.next_file_info_id, '');
    assert.equal(result.prev_file_info_id, '');
    assert.equal(result.first_inaccessible_file_time, 0);

    const {data: none} = await h.observe(() => adminClient.searchFilesWithParams(team.id, {terms: word(), is_or_search: false, page: 0, per_page: 20}));
    assert.deepEqual(none.order, [], 'an unknown word finds nothing');
    assert.deepEqual(none.file_infos, {});
});

test('searchFiles finds only files the user may read, and only posted ones', async () => {
    const w = await world();
    const term = word();
    const {info: hidden} = await upload(w.adminClient, w.secret.id, `${term} hidden.txt`, Buffer.from('hidden\n'), {type: 'text/plain'});
    await w.adminClient.createPost({channel_id: w.secret.id, message: 'hidden', file_ids: [hidden.id]});
    const {info: shown} = await upload(w.adminClient, w.open.id, `${term} shown.txt`, Buffer.from('shown\n'), {type: 'text/plain'});
    await w.adminClient.createPost({channel_id: w.open.id, message: 'shown', file_ids: [shown.id]});
    await upload(w.adminClient, w.open.id, `${term} unposted.txt`, Buffer.from('unposted\n'), {type: 'text/plain'});

    const asAdmin = await w.adminClient.searchFiles(w.team.id, term, false);
    assert.deepEqual([...asAdmin.order].sort(), [hidden.id, shown.id].sort(), 'the admin finds both posted files, not the unposted one');
    const asMember = await w.member.client.searchFiles(w.team.id, term, false);
    assert.deepEqual(asMember.order, [shown.id], 'a member of the public channel only finds its file');
    const asOutsider = await w.outsider.client.searchFiles(w.team.id, term, false);
    assert.deepEqual(asOutsider.order, [], 'a user in no channel finds nothing');
});

test('searchFiles with empty terms answers 400', async () => {
    const w = await world();
    const {res} = await h.expectError(() => w.adminClient.searchFiles(w.team.id, '', false), 400, 'empty file search');
    h.assertMattermostError(res, 400);
});

// ---------------------------------------------------------------------------
// Limits

test('an image above the resolution limit (a decompression bomb) is refused with 400', async () => {
    const w = await world();
    const bomb = makeBombPng(100000, 100000);
    assert.ok(bomb.length < 200, 'the bomb is a tiny file');
    const form = new FormData();
    form.append('channel_id', w.open.id);
    form.append('files', new Blob([bomb], {type: 'image/png'}), 'bomb.png');
    const {error, res} = await h.expectError(() => w.adminClient.uploadFile(form), 400, 'upload of a 100000×100000 PNG');
    assert.equal(error.server_error_id, 'api.file.upload_file.large_image_detailed.app_error');
    h.assertMattermostError(res, 400);
});

test('an upload announcing more than max_file_size is refused with 413 before it is sent', async () => {
    const w = await world();
    const path = `/api/v4/files?channel_id=${w.open.id}&filename=big.bin`;
    const res = await postDeclaringLength(w.adminClient, path, MAX_FILE_SIZE + 1, Buffer.alloc(64 * 1024, 7));
    assert.equal(res.status, 413, `an announced ${MAX_FILE_SIZE + 1} bytes: ${res.body.slice(0, 300)}`);
    const body = h.assertMattermostError(res, 413);
    assert.equal(body.id, 'api.file.upload_file.too_large_detailed.app_error');
});

// ---------------------------------------------------------------------------
// Resumable uploads (api4/upload.go, app/upload.go). Client4 has no methods
// for them; they are called here with Client4's headers and session.

async function sendJson(client, method, path, body) {
    const response = await fetch(`${h.MM_URL}${path}`, client.getOptions({method, body: body === undefined ? undefined : JSON.stringify(body)}));
    const text = await response.text();
    return {status: response.status, headers: response.headers, body: text, json: text ? JSON.parse(text) : null};
}

test('a resumable upload: POST /uploads, parts at file_offset (204), the last part answers the file info', async () => {
    const w = await world();
    const MIB = 1024 * 1024;
    const bytes = crypto.randomBytes(5 * MIB + 4321);
    const created = await sendJson(w.adminClient, 'post', '/api/v4/uploads', {channel_id: w.open.id, filename: 'resumed.bin', file_size: bytes.length});
    assert.equal(created.status, 201, created.body);
    const session = created.json;
    h.assertId(session.id, 'upload id');
    assert.equal(session.type, 'attachment');
    assert.equal(session.user_id, w.adminUser.id);
    assert.equal(session.channel_id, w.open.id);
    assert.equal(session.file_size, bytes.length);
    assert.equal(session.file_offset, 0);
    assert.ok(!('path' in session), 'the storage path is never sent');

    const first = await postRaw(w.adminClient, `/api/v4/uploads/${session.id}`, bytes.subarray(0, 5 * MIB), 'application/octet-stream');
    assert.equal(first.status, 204, first.body);
    const progress = await sendJson(w.adminClient, 'get', `/api/v4/uploads/${session.id}`);
    assert.equal(progress.json.file_offset, 5 * MIB);
    const mine = await sendJson(w.adminClient, 'get', '/api/v4/users/me/uploads');
    assert.ok(mine.json.some((u) => u.id === session.id), 'the upload is listed as unfinished');

    const peek = await sendJson(w.member.client, 'get', `/api/v4/uploads/${session.id}`);
    assert.equal(peek.status, 403);
    assert.equal(peek.json.id, 'api.upload.get_upload.forbidden.app_error');

    const last = await postRaw(w.adminClient, `/api/v4/uploads/${session.id}`, bytes.subarray(5 * MIB), 'application/octet-stream');
    assert.equal(last.status, 200, last.body);
    assertFileInfo(last.json, {name: 'resumed.bin', size: bytes.length, channel_id: w.open.id}, 'completed upload');
    const post = await w.adminClient.createPost({channel_id: w.open.id, message: 'resumed', file_ids: [last.json.id]});
    assert.deepEqual(post.file_ids, [last.json.id]);
    const got = await fetchWithClient(w.member.client, w.member.client.getFileUrl(last.json.id));
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(bytes), 'the downloaded file is the bytes sent in two parts');
    const gone = await sendJson(w.adminClient, 'get', `/api/v4/uploads/${session.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.id, 'app.upload.get.app_error');
});

test('resumable uploads refuse an oversize file (413), a small first part and a part past the end (400)', async () => {
    const w = await world();
    const big = await sendJson(w.adminClient, 'post', '/api/v4/uploads', {channel_id: w.open.id, filename: 'big.bin', file_size: MAX_FILE_SIZE + 1});
    assert.equal(big.status, 413);
    assert.equal(h.assertMattermostError(big, 413).id, 'api.upload.create.upload_too_large.app_error');
    const outsider = await sendJson(w.outsider.client, 'post', '/api/v4/uploads', {channel_id: w.secret.id, filename: 'x.bin', file_size: 10});
    assert.equal(outsider.status, 403, 'no upload into a channel one is not in');

    const {json: session} = await sendJson(w.adminClient, 'post', '/api/v4/uploads', {channel_id: w.open.id, filename: 'six.bin', file_size: 6 * 1024 * 1024});
    const small = await postRaw(w.adminClient, `/api/v4/uploads/${session.id}`, Buffer.alloc(1000, 1), 'application/octet-stream');
    assert.equal(small.status, 400);
    assert.equal(small.json.id, 'app.upload.upload_data.first_part_too_small.app_error');
    const res = await postDeclaringLength(w.adminClient, `/api/v4/uploads/${session.id}`, 6 * 1024 * 1024 + 1, Buffer.alloc(1024, 7));
    assert.equal(res.status, 400, res.body);
    assert.equal(JSON.parse(res.body).id, 'api.upload.upload_data.invalid_content_length');
    const progress = await sendJson(w.adminClient, 'get', `/api/v4/uploads/${session.id}`);
    assert.equal(progress.json.file_offset, 0, 'refused parts leave nothing behind');
});
