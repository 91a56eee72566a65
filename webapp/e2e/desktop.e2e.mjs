// The web app inside Mattermost's desktop app, in a real browser: a
// recording `window.desktopAPI`, put on the page before it loads (as the
// desktop app's preload script does), shows each call at its moment — ready,
// login, a mention in another channel updating the badge and sending a
// notification, a click on it opening the channel, navigation both ways, the
// system's dark mode, logout. Without the desktop app the title still counts.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as h from './harness.mjs'

const PASSWORD = 'correct-horse-battery'
const MINUTE = { timeout: 60_000 }

/** Runs in the page before its scripts: the recording desktop API. Calls survive reloads. */
function installDesktopApi() {
  if (!location.protocol.startsWith('http')) return
  const KEY = 'rustchat.e2e.desktopCalls'
  const calls = JSON.parse(sessionStorage.getItem(KEY) || '[]')
  const listeners = {}
  const record = (name, args) => {
    calls.push({ name, args: JSON.parse(JSON.stringify(args)), path: location.pathname })
    sessionStorage.setItem(KEY, JSON.stringify(calls))
  }
  const call = (name) => (...args) => record(name, args)
  const listen = (name) => (listener) => {
    listeners[name] = listener
    return () => delete listeners[name]
  }
  window.desktopAPI = {
    reactAppInitialized: call('reactAppInitialized'),
    onLogin: call('onLogin'),
    onLogout: call('onLogout'),
    setSessionExpired: call('setSessionExpired'),
    setUnreadsAndMentions: call('setUnreadsAndMentions'),
    sendNotification: async (...args) => {
      record('sendNotification', args)
      return { status: 'success' }
    },
    onNotificationClicked: listen('notificationClicked'),
    onBrowserHistoryPush: listen('browserHistoryPush'),
    sendBrowserHistoryPush: call('sendBrowserHistoryPush'),
    updateTheme: call('updateTheme'),
    getDarkMode: async () => true,
    onDarkModeChanged: listen('darkModeChanged'),
  }
  window.__desktop = { calls: () => JSON.parse(sessionStorage.getItem(KEY) || '[]'), listeners }
}

const callsOf = (page, name) => page.evaluate((n) => window.__desktop.calls().filter((c) => c.name === n), name)

async function lastCall(page, name, test, message) {
  return h.waitFor(
    async () => {
      const found = await callsOf(page, name)
      const last = found[found.length - 1]
      return last && test(last) ? last : null
    },
    { message },
  )
}

describe('web app in the desktop app', () => {
  let server
  let browser
  let alice
  let bob
  let team
  let dev

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    alice = await h.newUser(anon, { username: 'alice', email: 'alice@example.com', password: PASSWORD })
    bob = await h.newUser(anon, { username: 'bob', email: 'bob@example.com', password: PASSWORD })
    team = await h.createTeam(alice, { name: 'crew', display_name: 'Crew' })
    await h.addTeamMember(alice, team.id, bob.id)
    dev = await h.createChannel(alice, team.id, { name: 'dev', display_name: 'Dev' })
    await h.addChannelMember(alice, dev.id, bob.id)
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('tells the desktop app what happens, and follows what it asks', MINUTE, async () => {
    const context = await h.newContext(browser, server.url)
    await context.addInitScript(installDesktopApi)
    const page = await context.newPage()
    h.trackErrors(page, 'desktop')

    // Ready, and the system's dark mode from the desktop app.
    await page.goto('/login')
    await lastCall(page, 'reactAppInitialized', () => true, 'reactAppInitialized')
    assert.equal((await callsOf(page, 'reactAppInitialized')).length, 1, 'ready once')
    await h.waitFor(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', {
      message: 'the desktop app says dark',
    })
    const theme = await lastCall(page, 'updateTheme', (c) => c.args[0].isUsingSystemTheme, 'updateTheme')
    assert.equal(theme.args[0].centerChannelBg, '#1a1c21', 'the dark colours')

    // Login.
    await h.loginUI(page, alice)
    await page.locator(h.tid('channel-header')).waitFor()
    await lastCall(page, 'onLogin', () => true, 'onLogin')
    assert.deepEqual((await callsOf(page, 'setSessionExpired')).map((c) => c.args[0]), [false])
    assert.equal(page.url().endsWith('/crew/channels/town-square'), true)

    // A mention in another channel: the badge and a notification.
    await h.createPost(bob, dev.id, '@alice the build is green')
    await lastCall(page, 'setUnreadsAndMentions', (c) => c.args[0] === true && c.args[1] === 1, 'the badge: unread, one mention')
    const sent = await lastCall(page, 'sendNotification', () => true, 'a notification')
    const [title, body, channelId, teamId, url, silent] = sent.args
    assert.equal(title, 'Dev')
    assert.equal(body, '@bob: @alice the build is green')
    assert.equal(channelId, dev.id)
    assert.equal(teamId, team.id)
    assert.equal(url, '/crew/channels/dev')
    assert.equal(silent, false)
    await h.waitFor(async () => (await page.title()).startsWith('(1) * '), { message: 'the title counts the mention' })

    // A click on the notification opens the channel, which reads it.
    await page.evaluate(({ c, t, u }) => window.__desktop.listeners.notificationClicked(c, t, u), {
      c: channelId,
      t: teamId,
      u: url,
    })
    await page.waitForURL((u) => u.pathname === '/crew/channels/dev')
    await lastCall(page, 'setUnreadsAndMentions', (c) => c.args[1] === 0, 'the badge loses the mention')
    await lastCall(page, 'sendBrowserHistoryPush', (c) => c.args[0] === '/crew/channels/dev', 'the move is told')

    // The desktop app asks for a path: the page goes there and does not echo it.
    const pushesBefore = (await callsOf(page, 'sendBrowserHistoryPush')).length
    await page.evaluate(() => window.__desktop.listeners.browserHistoryPush('/crew/channels/town-square'))
    await page.waitForURL((u) => u.pathname === '/crew/channels/town-square')
    await page.locator(h.tid('channel-header')).waitFor()
    assert.equal((await callsOf(page, 'sendBrowserHistoryPush')).length, pushesBefore, 'no echo of the asked move')

    // A reply in a thread alice follows (she started it), in a channel she is not reading.
    const root = await h.createPost(alice, dev.id, 'the release plan')
    await h.createPost(bob, dev.id, 'looks good to me', { root_id: root.id })
    const reply = await lastCall(page, 'sendNotification', (c) => c.args[1] === '@bob: looks good to me', 'a followed-thread reply')
    assert.equal(reply.args[2], dev.id)

    // The system turns light.
    await page.evaluate(() => window.__desktop.listeners.darkModeChanged(false))
    await h.waitFor(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'light', {
      message: 'light again',
    })

    // Logout (the page reloads, and is ready again).
    const readyBefore = (await callsOf(page, 'reactAppInitialized')).length
    await page.locator(h.tid('user-menu')).click()
    await page.locator(h.tid('logout')).click()
    await page.waitForURL((u) => u.pathname === '/login')
    await lastCall(page, 'onLogout', () => true, 'onLogout')
    await h.waitFor(async () => (await callsOf(page, 'reactAppInitialized')).length === readyBefore + 1, {
      message: 'ready again after the reload',
    })
    await context.close()
  })

  it('in a browser, nothing of it is needed and the title still counts', MINUTE, async () => {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'browser')
    await h.loginUI(page, alice)
    await page.locator(h.tid('channel-header')).waitFor()
    await h.createPost(bob, dev.id, '@alice again')
    await h.waitFor(async () => /^\(1\) \* /.test(await page.title()), { message: 'the title counts the mention' })
    assert.equal(await page.evaluate(() => window.desktopAPI), undefined)
    await context.close()
  })
})
