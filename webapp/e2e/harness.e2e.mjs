// The harness itself, without the web app's UI: the server starts, seeding
// over the native API works, Chromium runs, screenshots are written, axe
// finds violations, and the network switch really cuts a WebSocket. When
// these fail, the UI flows cannot be judged.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import * as h from './harness.mjs'

const PASSWORD = 'correct-horse-battery'

describe('e2e harness', () => {
  let server
  let browser
  let ann
  let ben

  before(async () => {
    server = await h.startServer()
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('seeds users, a team, channels, posts, reactions and files over the API', async () => {
    const anon = new h.Api(server.url)
    ann = await h.newUser(anon, { username: 'ann', email: 'ann@example.com', password: PASSWORD })
    ben = await h.newUser(anon, { username: 'ben', email: 'ben@example.com', password: PASSWORD })
    assert.ok(ann.token && ben.token)
    const me = await ben.api.get('/api/v1/users/me')
    assert.equal(me.username, 'ben')

    const team = await h.createTeam(ann, { name: 'harness', display_name: 'Harness' })
    await h.addTeamMember(ann, team.id, ben.id)
    const channels = await ben.api.get(`/api/v1/users/me/channels?team_id=${team.id}`)
    const names = channels.map((c) => c.name).sort()
    assert.deepEqual(names, ['off-topic', 'town-square'], 'a new member is in the default channels')

    const town = await h.channelByName(ben, team.id, 'town-square')
    const side = await h.createChannel(ann, team.id, { name: 'side', display_name: 'Side' })
    await h.addChannelMember(ann, side.id, ben.id)
    const root = await h.createPost(ben, town.id, 'root')
    await h.createPost(ann, town.id, 'reply', { root_id: root.id })
    await h.addReaction(ann, root.id, '+1')
    const file = await h.uploadFile(ann, side.id, 'pixel.png', h.makePng(16, 16))
    assert.ok(file.id, 'the upload answers a file record')
    await h.createPost(ann, side.id, 'a picture', { file_ids: [file.id] })

    const page = await ben.api.get(`/api/v1/channels/${town.id}/posts`)
    assert.equal(page.items.length, 2)
    const reactions = await ben.api.get(`/api/v1/posts/${root.id}/reactions`)
    assert.deepEqual(
      reactions.map((r) => r.emoji_name),
      ['+1'],
    )
    await assert.rejects(h.createPost(ben, 'nonexistent', 'x'), /answered 4\d\d/)
  })

  it('runs Chromium and writes screenshots', async () => {
    const context = await h.newContext(browser, server.url)
    try {
      const page = await context.newPage()
      const res = await page.goto('/api/v1/health')
      assert.equal(res.status(), 200)
      const file = await h.screenshot(page, 'harness-health.png', { publish: false })
      const png = readFileSync(file)
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG')
    } finally {
      await context.close()
    }
  })

  it('fails the accessibility check on serious violations only', async () => {
    const context = await h.newContext(browser, server.url)
    try {
      const page = await context.newPage()
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>ok</title></head>' +
          '<body><main><h1>Fine</h1><button>Send</button></main></body></html>',
      )
      await h.checkAccessibility(page, 'a clean page')
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>bad</title></head>' +
          '<body><main><h1>Bad</h1><button></button><img src="x.png"></main></body></html>',
      )
      await assert.rejects(h.checkAccessibility(page, 'a bad page', { warnOnly: false }), (err) => {
        assert.match(err.message, /button-name \[critical\]/)
        assert.match(err.message, /image-alt \[critical\]/)
        return true
      })
      // axe is injected even where a Content-Security-Policy forbids inline scripts.
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>csp</title>' +
          `<meta http-equiv="Content-Security-Policy" content="script-src 'self'">` +
          '</head><body><main><h1>Strict</h1></main></body></html>',
      )
      await h.checkAccessibility(page, 'a page with a strict CSP')
      // The generated PNG decodes in the browser.
      const size = await page.evaluate(async (src) => {
        const img = new Image()
        img.src = src
        await img.decode()
        return [img.naturalWidth, img.naturalHeight]
      }, `data:image/png;base64,${h.makePng(16, 16).toString('base64')}`)
      assert.deepEqual(size, [16, 16])
    } finally {
      await context.close()
    }
  })

  it('cuts and restores the event WebSocket with the network switch', async () => {
    const context = await h.newContext(browser, server.url)
    const network = await h.networkSwitch(context)
    try {
      const page = await context.newPage()
      await page.goto('/api/v1/health')
      await page.evaluate(() => {
        window.sockets = []
        window.openSocket = (token) => {
          const state = { open: false, closed: false, authed: false, events: [] }
          const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/ws`)
          ws.onopen = () => {
            state.open = true
            ws.send(JSON.stringify({ seq: 1, action: 'authenticate', data: { token } }))
          }
          ws.onmessage = (m) => {
            const frame = JSON.parse(m.data)
            if (frame.seq_reply === 1 && frame.ok) state.authed = true
            if (frame.type) state.events.push(frame.type)
          }
          ws.onclose = () => {
            state.closed = true
          }
          window.sockets.push(state)
          return window.sockets.length - 1
        }
      })
      const town = (await ann.api.get('/api/v1/teams/name/harness').then((t) => h.channelByName(ann, t.id, 'town-square')))
      const state = (i) => page.evaluate((i) => window.sockets[i], i)

      const first = await page.evaluate((t) => window.openSocket(t), ann.token)
      await h.waitFor(async () => (await state(first)).authed, { message: 'the socket authenticates' })
      await h.createPost(ben, town.id, 'event one')
      await h.waitFor(async () => (await state(first)).events.includes('post_created'), {
        message: 'the socket receives a posted event',
      })

      await network.offline()
      await h.waitFor(async () => (await state(first)).closed, { message: 'going offline closes the socket' })
      const during = await page.evaluate((t) => window.openSocket(t), ann.token)
      await h.waitFor(async () => (await state(during)).closed, { message: 'a socket opened offline fails' })
      assert.equal((await state(during)).authed, false)
      assert.equal(await page.evaluate(() => navigator.onLine), false, 'the page sees navigator.onLine false')

      await network.online()
      assert.equal(await page.evaluate(() => navigator.onLine), true)
      const again = await page.evaluate((t) => window.openSocket(t), ann.token)
      await h.waitFor(async () => (await state(again)).authed, { message: 'a socket opened back online works' })
      await h.createPost(ben, town.id, 'event two')
      await h.waitFor(async () => (await state(again)).events.includes('post_created'), {
        message: 'the new socket receives events',
      })
    } finally {
      await context.close()
    }
  })
})
