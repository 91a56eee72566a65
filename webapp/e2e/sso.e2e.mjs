// Single sign-on in the web app, in a real browser: the sign-in page shows a
// button per enabled provider; the OpenID Connect one goes to a real
// provider (oidc-provider, started here: the same one the Client4 suite uses,
// from contracts/clients/js, whose packages scripts/compat installs), whose
// login and consent forms are filled in, and comes back signed in to the
// app, with a working session. A refused sign-in comes back to the sign-in
// page with the reason.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { after, before, describe, it } from 'node:test'
import * as h from './harness.mjs'

const require = createRequire(import.meta.url)
const { startProviders, SECRETS } = require('../../contracts/clients/js/lib/identity-provider.js')
const PASSWORD = 'correct-horse-battery'
const MINUTE = { timeout: 60_000 }

describe('web app in a browser: single sign-on', () => {
  let server
  let closed
  let providers
  let browser

  before(async () => {
    const idpPort = await h.freePort()
    const gitlabPort = await h.freePort()
    const discovery = `http://127.0.0.1:${idpPort}/.well-known/openid-configuration`
    const env = {
      RUSTCHAT_OPENID_DISCOVERY_URL: discovery,
      RUSTCHAT_OPENID_CLIENT_ID: 'rustchat-openid',
      RUSTCHAT_OPENID_CLIENT_SECRET: SECRETS['rustchat-openid'],
      RUSTCHAT_OPENID_BUTTON_TEXT: 'Company SSO',
      RUSTCHAT_GITLAB_URL: `http://127.0.0.1:${gitlabPort}`,
      RUSTCHAT_GITLAB_CLIENT_ID: 'rustchat-gitlab',
      RUSTCHAT_GITLAB_CLIENT_SECRET: SECRETS['rustchat-gitlab'],
    }
    server = await h.startServer({ env })
    // A second server whose sign-up is closed: providers make no accounts there.
    closed = await h.startServer({ env: { ...env, RUSTCHAT_ENABLE_OPEN_SIGNUP: 'false' } })
    // The providers know each server's own address as the way back.
    providers = await startProviders([server.serverUrl, closed.serverUrl], idpPort, gitlabPort)
    // The first account (an admin) is a password one, made before anyone signs in.
    for (const s of [server, closed]) {
      await h.newUser(new h.Api(s.url), { username: 'ada', email: 'ada@example.com', password: PASSWORD })
    }
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await providers?.stop()
    await server?.stop()
    await closed?.stop()
  })

  it('signs in through the provider\'s button and lands in the app', MINUTE, async () => {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'sso')
    await page.goto('/login')
    const buttons = page.locator('a.sso-button')
    await buttons.first().waitFor({ timeout: h.TIMEOUT })
    assert.deepEqual(await buttons.allInnerTexts(), ['Sign in with GitLab', 'Sign in with Company SSO'])
    await h.checkAccessibility(page, 'sign-in page with providers')

    await page.locator('a.sso-button[data-service="openid"]').click()
    // The provider's own pages: its login form, then its consent form.
    await page.locator('input[name=login]').fill('grace')
    await page.locator('input[name=password]').fill('any-password')
    await page.locator('button[type=submit]').click()
    await page.locator('button[type=submit]').click()

    await page.waitForURL((u) => u.origin === new URL(server.url).origin && !u.pathname.startsWith('/login'), {
      timeout: h.TIMEOUT,
    })
    const token = await page.evaluate(() => localStorage.getItem('rustchat.token'))
    assert.ok(token, 'the app keeps a session')
    const me = await new h.Api(server.url, token).get('/api/v1/users/me')
    assert.equal(me.username, 'grace')
    assert.equal(me.auth_service, 'openid')
    await context.close()
  })

  it('a server whose sign-up is closed makes no account for a provider\'s user', MINUTE, async () => {
    const context = await h.newContext(browser, closed.url)
    const page = await context.newPage()
    await page.goto('/login')
    await page.locator('a.sso-button[data-service="openid"]').click()
    await page.locator('input[name=login]').fill('mallory')
    await page.locator('input[name=password]').fill('any-password')
    await page.locator('button[type=submit]').click()
    await page.locator('button[type=submit]').click()
    await page.waitForURL((u) => u.origin === new URL(closed.url).origin && u.pathname === '/login', {
      timeout: h.TIMEOUT,
    })
    const alert = page.getByRole('alert')
    await alert.waitFor({ timeout: h.TIMEOUT })
    assert.match(await alert.innerText(), /sign-up is closed/)
    const token = await page.evaluate(() => localStorage.getItem('rustchat.token'))
    assert.equal(token, null, 'no session')
    await context.close()
  })

  it('a refused sign-in comes back to the sign-in page with the reason', MINUTE, async () => {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    // A way back this browser never started.
    await page.goto('/signup/openid/complete?code=forged&state=forged')
    await page.waitForURL((u) => u.pathname === '/login', { timeout: h.TIMEOUT })
    const alert = page.getByRole('alert')
    await alert.waitFor({ timeout: h.TIMEOUT })
    assert.match(await alert.innerText(), /Single sign-on failed: .*not valid/)
    await context.close()
  })
})
