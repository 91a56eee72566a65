// Sign-up by invitation in a real browser, on a server with the default,
// invitation-only sign-up: the plain sign-up page says so and offers no
// form; Mattermost's invitation link (/signup_user_complete/?id=…) opens a
// sign-up page for that team, and the new account lands in its town square.
// A team admin sees the link in the team's invite dialog and can replace
// it, after which the old link is refused.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as h from './harness.mjs'

const PASSWORD = 'correct-horse-battery'
const MINUTE = { timeout: 60_000 }

describe('web app in a browser: sign-up by invitation', () => {
  let server
  let browser
  let admin
  let team

  before(async () => {
    // The server's default: no open sign-up.
    server = await h.startServer({ env: { RUSTCHAT_ENABLE_OPEN_SIGNUP: 'false' } })
    const anon = new h.Api(server.url)
    // The first account can always be made; it becomes the admin.
    admin = await h.newUser(anon, { username: 'ada', email: 'ada@example.com', password: PASSWORD })
    team = await h.createTeam(admin, { name: 'ops', display_name: 'Ops Crew' })
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('on an empty server the sign-up page makes the first account, an admin', MINUTE, async () => {
    const empty = await h.startServer({ env: { RUSTCHAT_ENABLE_OPEN_SIGNUP: 'false' } })
    try {
      const context = await h.newContext(browser, empty.url)
      const page = await context.newPage()
      h.trackErrors(page, 'first account')
      await page.goto('/signup')
      await page.locator('input[name=email]').fill('root@example.com')
      await page.locator('input[name=username]').fill('root')
      await page.locator('input[name=password]').fill(PASSWORD)
      assert.equal(await page.locator(h.tid('signup-closed')).count(), 0, 'no invitation needed for the first account')
      await page.locator('button[type=submit]').click()
      await page.waitForURL((u) => u.pathname === '/teams/new', { timeout: h.TIMEOUT })
      const token = await page.evaluate(() => localStorage.getItem('rustchat.token'))
      const me = await new h.Api(empty.url, token).get('/api/v1/users/me')
      assert.match(me.roles, /system_admin/)
      await context.close()
    } finally {
      await empty.stop()
    }
  })

  it('the plain sign-up page says the server is invitation-only', MINUTE, async () => {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'invitations')
    await page.goto('/signup')
    const notice = page.locator(h.tid('signup-closed'))
    await notice.waitFor({ timeout: h.TIMEOUT })
    assert.match(await notice.innerText(), /invitation-only/)
    assert.equal(await page.locator('form input[name=email]').count(), 0, 'no form to fill in')
    await page.goto('/login')
    await page.locator('input[name=login]').waitFor({ timeout: h.TIMEOUT })
    await h.waitFor(async () => (await page.locator('a[href="/signup"]').count()) === 0, {
      message: 'the sign-in page offers no sign-up',
    })
    await context.close()
  })

  it('an invitation link leads from sign-up to the team\'s town square', MINUTE, async () => {
    const { invite_id: inviteId } = await admin.api.get(`/api/v1/teams/${team.id}`)
    assert.ok(inviteId, 'the team admin sees the invite id')
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'invitations')
    await page.goto(`/signup_user_complete/?id=${inviteId}`)
    const invited = page.locator(h.tid('invited-team'))
    await invited.waitFor({ timeout: h.TIMEOUT })
    assert.match(await invited.innerText(), /Ops Crew/)
    assert.equal(await page.locator('#auth-title').innerText(), 'Join Ops Crew')
    await h.checkAccessibility(page, 'sign-up page of an invitation')
    await h.screenshot(page, 'signup-invitation.png')

    await page.locator('input[name=email]').fill('grace@example.com')
    await page.locator('input[name=username]').fill('grace')
    await page.locator('input[name=password]').fill(PASSWORD)
    await page.locator('button[type=submit]').click()
    await page.waitForURL((u) => u.pathname === '/ops/channels/town-square', { timeout: h.TIMEOUT })
    await page.locator(h.tid('team-ops')).waitFor({ timeout: h.TIMEOUT })
    await page.locator(h.tid('channel-link-town-square')).waitFor({ timeout: h.TIMEOUT })

    // The server agrees: grace is a member of the team.
    const members = await admin.api.get(`/api/v1/teams/${team.id}/members`)
    const grace = await admin.api.get('/api/v1/users/username/grace')
    assert.ok(
      members.items.some((m) => m.user_id === grace.id),
      'the new account joined the invited team',
    )
    await context.close()
  })

  it('a team admin replaces the link, and the old one stops working', MINUTE, async () => {
    const before = (await admin.api.get(`/api/v1/teams/${team.id}`)).invite_id
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'invitations')
    await h.loginUI(page, { username: 'ada', password: PASSWORD })
    await page.goto('/ops/channels/town-square')
    await page.locator(h.tid('invite-people')).click()
    const link = page.locator(h.tid('invite-link'))
    await link.waitFor({ timeout: h.TIMEOUT })
    assert.equal(await link.inputValue(), `${new URL(server.url).origin}/signup_user_complete/?id=${before}`)
    await page.locator(h.tid('regenerate-invite')).click()
    await h.waitFor(async () => !(await link.inputValue()).endsWith(before), { message: 'a new link' })
    const after = (await admin.api.get(`/api/v1/teams/${team.id}`)).invite_id
    assert.notEqual(after, before)
    assert.ok((await link.inputValue()).endsWith(after), 'the dialog shows the new link')
    await context.close()

    const visitor = await h.newContext(browser, server.url)
    const visit = await visitor.newPage()
    h.trackErrors(visit, 'invitations')
    await visit.goto(`/signup_user_complete/?id=${before}`)
    const problem = visit.locator(h.tid('invite-problem'))
    await problem.waitFor({ timeout: h.TIMEOUT })
    assert.match(await problem.innerText(), /not valid/)
    await visitor.close()
  })
})
