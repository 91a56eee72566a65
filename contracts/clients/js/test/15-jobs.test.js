'use strict';
// What `mmctl export …` and `mmctl import …` do, through Client4: an export
// job, its archive listed and downloaded; that archive uploaded back as an
// import (POST /uploads with type "import"), listed, processed by an import
// job (which adds nothing: the data is already there) and deleted. Jobs are
// a system admin's tool: a plain user is refused everywhere.

const {test} = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/helpers');

async function waitForJob(client, id, timeoutMs = 60000) {
    const started = Date.now();
    for (;;) {
        const job = await client.getJob(id);
        if (['success', 'warning', 'error', 'canceled'].includes(job.status)) {
            return job;
        }
        assert.ok(Date.now() - started < timeoutMs, `job ${id} still ${job.status}`);
        await h.sleep(200);
    }
}

async function raw(client, method, route, body, headers = {}) {
    const res = await fetch(`${client.getBaseRoute()}${route}`, {
        method,
        headers: {Authorization: `Bearer ${client.getToken()}`, ...headers},
        body,
    });
    return res;
}

test('export job, download, upload as an import, import job, delete: as mmctl does', async () => {
    const {client} = await h.admin();
    // Something of the admin's own to export.
    const team = await h.newTeam('jobs');
    const channel = await h.newPublicChannel(client, team.id, 'jobs');
    await client.createPost({channel_id: channel.id, message: 'exported and back'});

    const created = await client.createJob({type: 'export_process'});
    h.assertId(created.id);
    assert.equal(created.type, 'export_process');
    assert.ok(['pending', 'in_progress', 'success'].includes(created.status), created.status);
    const exported = await waitForJob(client, created.id);
    assert.equal(exported.status, 'success', JSON.stringify(exported.data));
    assert.equal(exported.progress, 100);
    const name = exported.data.export_file;
    assert.match(name, /\.zip$/);
    const byType = await client.getJobsByType('export_process');
    assert.ok(byType.some((j) => j.id === created.id));
    assert.ok((await client.getJobs(0, 50)).some((j) => j.id === created.id));

    const listed = await (await raw(client, 'GET', '/exports')).json();
    assert.ok(listed.includes(name), JSON.stringify(listed));
    const download = await raw(client, 'GET', `/exports/${name}`);
    assert.equal(download.status, 200);
    const archive = Buffer.from(await download.arrayBuffer());
    assert.equal(archive.subarray(0, 2).toString(), 'PK', 'a zip archive');

    // Upload it back as an import, in two parts.
    const session = await (await raw(client, 'POST', '/uploads',
        JSON.stringify({type: 'import', filename: 'back.zip', file_size: archive.length}),
        {'Content-Type': 'application/json'})).json();
    assert.equal(session.type, 'import');
    const half = Math.max(Math.floor(archive.length / 2), Math.min(archive.length, 5 * 1024 * 1024));
    const first = await raw(client, 'POST', `/uploads/${session.id}`, archive.subarray(0, half));
    if (half < archive.length) {
        assert.equal(first.status, 204);
        const last = await raw(client, 'POST', `/uploads/${session.id}`, archive.subarray(half));
        assert.equal(last.status, 204, 'a finished import upload has no file record');
    } else {
        assert.equal(first.status, 204);
    }
    const imports = await (await raw(client, 'GET', '/imports')).json();
    const importName = `${session.id}_back.zip`;
    assert.ok(imports.includes(importName), JSON.stringify(imports));

    const importJob = await client.createJob({type: 'import_process', data: {import_file: importName, local_mode: 'false'}});
    const imported = await waitForJob(client, importJob.id);
    assert.equal(imported.status, 'success', JSON.stringify(imported.data));
    assert.equal(imported.data.new_posts, '0', 'everything was there already');
    assert.ok(Number(imported.data.posts_read) >= 1);

    // A finished job cannot be canceled; deleting removes the files.
    await h.expectError(() => client.cancelJob(importJob.id), 400, 'canceling a finished job');
    assert.equal((await raw(client, 'DELETE', `/imports/${importName}`)).status, 200);
    assert.ok(!(await (await raw(client, 'GET', '/imports')).json()).includes(importName));
    assert.equal((await raw(client, 'DELETE', `/exports/${name}`)).status, 200);
    assert.equal((await raw(client, 'GET', `/exports/${name}`)).status, 404);

    // Bad input is named.
    await h.expectError(() => client.createJob({type: 'import_process', data: {import_file: 'missing.zip'}}), 400, 'an import of no upload');
    await h.expectError(() => client.createJob({type: 'no_such_job'}), 400, 'an unknown job type');
});

test('jobs, imports and exports refuse a plain user', async () => {
    const {client} = await h.newUser('jobs');
    await h.expectError(() => client.createJob({type: 'export_process'}), 403, 'creating a job');
    await h.expectError(() => client.getJobs(), 403, 'listing jobs');
    await h.expectError(() => client.getJobsByType('export_process'), 403, 'listing jobs by type');
    for (const route of ['/imports', '/exports']) {
        const res = await raw(client, 'GET', route);
        assert.equal(res.status, 403, route);
        h.assertMattermostError({status: res.status, body: await res.text(), headers: res.headers}, 403);
    }
    const upload = await raw(client, 'POST', '/uploads',
        JSON.stringify({type: 'import', filename: 'x.zip', file_size: 10}),
        {'Content-Type': 'application/json'});
    assert.equal(upload.status, 403);
});
