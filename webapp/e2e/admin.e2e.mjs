// The System Console in a real browser against a real server whose sign-up
// is closed: a plain member has no way in (no menu entry, a "not allowed"
// page, 403 from the server); the system admin (the server's first account)
// sees the server's status, creates an account, deactivates it (its open
// session ends), activates it again, promotes it (the console entry shows),
// resets its password; archives and restores a channel; exports everything
// and downloads the .zip; imports a bulk file; archives a team; reads the
// configuration.
//
// Run with `npm run e2e -- e2e/admin.e2e.mjs` (RUSTCHAT_BIN must point at a
// server binary); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, userMenu } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const NEW_PASSWORD = 'battery-staple-horse'
const MINUTE = { timeout: 60_000 }

/** The console's row of an account. */
const userRow = (page, username) => page.locator(`${tid('user-row')}[data-username="${username}"]`)

/** Chooses an item of an account's actions menu in the users list. */
async function userAction(page, username, item) {
  await userRow(page, username).locator(tid('user-actions')).click()
  await page.locator(`${tid('user-actions-items')} ${tid(item)}`).click()
}

/** Waits until `locator`'s text matches `pattern`. */
const textMatches = (locator, pattern, message) =>
  h.waitFor(async () => pattern.test(await h.textOf(locator)), { message, timeout: 20_000 })

describe('web app in a browser: the System Console', () => {
  let server
  let browser
  let admin
  let paula
  let team
  let runbooks
  const { session, test } = flowSuite(() => ({ browser, server }))

  /** A fresh browser context for `username`, logged in through the form. */
  async function freshLogin(username, password) {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, username)
    await h.loginUI(page, { username, password })
    return { context, page }
  }

  /** Opens a console page from the admin's account menu and its left navigation. */
  async function openConsole(page, section) {
    if (!new URL(page.url()).pathname.startsWith('/admin_console')) {
      await userMenu(page, 'open-system-console')
      await page.locator(tid('admin-console')).waitFor()
    }
    await page.locator(tid(`admin-nav-${section}`)).click()
    await page.waitForURL((u) => u.pathname === `/admin_console/${section}`)
  }

  before(async () => {
    // Closed sign-up: only an admin makes accounts (the first one excepted).
    // A mail server URL with a password, for the configuration page to hide
    // (nothing listens there; no test sends mail).
    server = await h.startServer({
      env: { RUSTCHAT_ENABLE_OPEN_SIGNUP: 'false', RUSTCHAT_SMTP_URL: 'smtp://mailer:hunter2-secret@127.0.0.1:9/' },
    })
    const anon = new h.Api(server.url)
    admin = await h.newUser(anon, { username: 'root', email: 'root@example.com', password: PASSWORD })
    assert.match(admin.roles, /system_admin/, 'the first account is the system admin')
    await admin.api.post('/api/v1/users', { username: 'paula', email: 'paula@example.com', password: PASSWORD })
    const { token } = await anon.post('/api/v1/auth/login', { login_id: 'paula', password: PASSWORD })
    paula = { ...(await anon.as(token).get('/api/v1/users/me')), password: PASSWORD, token, api: anon.as(token) }
    team = await h.createTeam(admin, { name: 'ops', display_name: 'Ops' })
    await h.addTeamMember(admin, team.id, paula.id)
    runbooks = await h.createChannel(admin, team.id, { name: 'runbooks', display_name: 'Runbooks' })
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. a plain member sees no console entry, and the console says not allowed', MINUTE, async () => {
    const { page } = await session(paula)
    await page.locator(tid('user-menu')).click()
    await page.locator(`${tid('user-menu-items')} ${tid('open-settings')}`).waitFor()
    assert.equal(await page.locator(tid('open-system-console')).count(), 0, 'no System Console entry for a member')
    await page.keyboard.press('Escape')

    await page.goto('/admin_console/users')
    await page.locator(tid('admin-not-allowed')).waitFor()
    assert.equal(await page.locator(tid('user-table')).count(), 0, 'no list of accounts')
    await h.checkAccessibility(page, 'the not-allowed page')
    // The server refuses the console's routes to her anyway.
    await assert.rejects(paula.api.get('/api/v1/admin/overview'), /answered 403/)
    await assert.rejects(paula.api.get('/api/v1/admin/users'), /answered 403/)
  })

  test('b. the admin opens the console from the account menu and sees the server is healthy', MINUTE, async () => {
    const { page } = await session(admin)
    await page.locator(tid('user-menu')).click()
    await page.locator(`${tid('user-menu-items')} ${tid('open-system-console')}`).click()
    await page.waitForURL((u) => u.pathname === '/admin_console/status')
    const database = page.locator(tid('status-database'))
    await database.waitFor()
    assert.equal(await database.getAttribute('data-status'), 'ok', 'the database answers')
    assert.match(await database.innerText(), /SQLite[\s\S]*OK/)
    assert.equal(await page.locator(tid('status-file-store')).getAttribute('data-status'), 'ok')
    const users = page.locator(`${tid('status-statistics')} [data-stat="unique_user_count"] dd`)
    assert.equal(await users.innerText(), '2', 'two active accounts')
    await h.screenshot(page, 'admin-status.png')
    await h.checkAccessibility(page, 'the server status page')
  })

  test('c. creates an account, deactivates it (its session ends), activates, promotes it, resets its password', MINUTE, async () => {
    const { page } = await session(admin)
    await openConsole(page, 'users')
    await userRow(page, 'paula').waitFor()
    await h.checkAccessibility(page, 'the users list')

    // Created by the admin on a server with sign-up closed; the password
    // policy's refusal shows by the password.
    await page.locator(tid('create-user')).click()
    const dialog = page.locator(tid('create-user-dialog'))
    await dialog.locator('input[name=username]').fill('carl')
    await dialog.locator('input[name=email]').fill('carl@example.com')
    await dialog.locator('input[name=password]').fill('short')
    await dialog.locator('input[name=first_name]').fill('Carl')
    await dialog.locator(tid('create-user-submit')).click()
    const passwordError = dialog.locator(tid('field-error-password'))
    await passwordError.waitFor()
    assert.match(await passwordError.innerText(), /at least 8 characters/)
    assert.equal(await dialog.locator('input[name=password]').getAttribute('aria-invalid'), 'true')
    await h.checkAccessibility(page, 'the create user dialog', { context: tid('create-user-dialog') })
    await dialog.locator('input[name=password]').fill(PASSWORD)
    await dialog.locator(tid('create-user-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    const carlRow = userRow(page, 'carl')
    await carlRow.waitFor()
    assert.match(await carlRow.innerText(), /carl@example\.com/)
    assert.match(await carlRow.locator(tid('user-status')).innerText(), /Active/)
    assert.match(await carlRow.innerText(), /Email and password/)
    const carl = await admin.api.get('/api/v1/users/username/carl')
    assert.equal(carl.first_name, 'Carl')
    await h.addTeamMember(admin, team.id, carl.id)

    // carl is signed in elsewhere when he is deactivated.
    let carlSide = await freshLogin('carl', PASSWORD)
    const carlToken = await carlSide.page.evaluate(() => localStorage.getItem('rustchat.token'))
    await userAction(page, 'carl', 'user-action-deactivate')
    const confirm = page.locator(tid('confirm-deactivate'))
    await confirm.locator(tid('confirm-ok')).click()
    await confirm.waitFor({ state: 'hidden' })
    await textMatches(carlRow.locator(tid('user-status')), /Deactivated/, 'carl shows as deactivated')
    assert.ok((await admin.api.get(`/api/v1/users/${carl.id}`)).delete_at > 0)
    const status = await carlSide.page.evaluate(
      (token) => fetch('/api/v1/users/me', { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status),
      carlToken,
    )
    assert.equal(status, 401, "carl's session no longer works")
    await carlSide.page.reload()
    await carlSide.page.waitForURL((u) => u.pathname === '/login')
    await carlSide.context.close()
    // The status filter finds him among the deactivated.
    await page.locator(tid('user-filter-status')).selectOption('deactivated')
    await h.waitFor(async () => (await page.locator(tid('user-row')).count()) === 1 && (await carlRow.count()) === 1, {
      message: 'only carl is listed as deactivated',
    })
    await page.locator(tid('user-filter-status')).selectOption('all')
    await userRow(page, 'root').waitFor()

    // Active again: he can sign in.
    await userAction(page, 'carl', 'user-action-activate')
    await textMatches(carlRow.locator(tid('user-status')), /Active/, 'carl shows as active again')
    carlSide = await freshLogin('carl', PASSWORD)
    await carlSide.page.locator(tid('user-menu')).click()
    await carlSide.page.locator(`${tid('user-menu-items')} ${tid('open-settings')}`).waitFor()
    assert.equal(await carlSide.page.locator(tid('open-system-console')).count(), 0, 'no console for carl yet')
    await carlSide.page.keyboard.press('Escape')

    // Promoted: the console entry shows for him after a reload, and the console opens.
    await userAction(page, 'carl', 'user-action-promote')
    await page.locator(`${tid('confirm-promote')} ${tid('confirm-ok')}`).click()
    await textMatches(carlRow.locator(tid('user-role')), /System Admin/, 'carl shows as a system admin')
    assert.equal((await admin.api.get(`/api/v1/users/${carl.id}`)).roles, 'system_user system_admin')
    await carlSide.page.reload()
    await carlSide.page.locator(tid('user-menu')).click()
    await carlSide.page.locator(`${tid('user-menu-items')} ${tid('open-system-console')}`).click()
    await carlSide.page.locator(tid('status-database')).waitFor()
    await carlSide.context.close()

    // The role filter lists the two admins.
    await page.locator(tid('user-filter-role')).selectOption('system_admin')
    await h.waitFor(
      async () => (await page.locator(tid('user-row')).evaluateAll((rows) => rows.map((r) => r.dataset.username).join(','))) === 'carl,root',
      { message: 'the admins are carl and root' },
    )
    await page.locator(tid('user-filter-role')).selectOption('all')
    await userRow(page, 'paula').waitFor()
    await h.screenshot(page, 'admin-users.png')

    // A new password: the policy's refusal by the field, then carl signs in with it.
    await userAction(page, 'carl', 'user-action-reset-password')
    const reset = page.locator(tid('reset-password-dialog'))
    await reset.locator('input[name=new_password]').fill('tiny')
    await reset.locator(tid('reset-password-submit')).click()
    await textMatches(reset.locator(tid('field-error-new_password')), /at least 8 characters/, 'the policy error by the field')
    await reset.locator('input[name=new_password]').fill(NEW_PASSWORD)
    await reset.locator(tid('reset-password-submit')).click()
    await reset.waitFor({ state: 'hidden' })
    await textMatches(page.locator(tid('admin-notice')), /password of @carl is reset/, 'the reset is confirmed')
    const anon = new h.Api(server.url)
    await assert.rejects(anon.post('/api/v1/auth/login', { login_id: 'carl', password: PASSWORD }), /answered 401/)
    carlSide = await freshLogin('carl', NEW_PASSWORD)
    await carlSide.page.locator(tid('user-menu')).waitFor()
    await carlSide.context.close()
  })

  test('d. archives a channel and restores it', MINUTE, async () => {
    const { page } = await session(admin)
    await openConsole(page, 'channels')
    const row = page.locator(`${tid('channel-row')}[data-name="runbooks"]`)
    await row.waitFor()
    assert.match(await row.innerText(), /Ops/)
    assert.equal(await row.locator(tid('channel-type')).innerText(), 'Public')
    await h.checkAccessibility(page, 'the channels list')

    await row.locator(tid('channel-members')).click()
    const members = page.locator(tid('members-dialog'))
    await members.locator(`${tid('member')}[data-username="root"]`).waitFor()
    assert.match(await members.locator(`${tid('member')}[data-username="root"]`).innerText(), /Channel admin/)
    await members.getByRole('button', { name: 'Close' }).click()

    await row.locator(tid('channel-archive')).click()
    await page.locator(`${tid('confirm-archive-channel')} ${tid('confirm-ok')}`).click()
    await textMatches(row.locator(tid('channel-status')), /Archived/, 'runbooks shows as archived')
    await h.screenshot(page, 'admin-channels.png', { publish: false })
    assert.ok((await admin.api.get(`/api/v1/channels/${runbooks.id}`)).delete_at > 0, 'archived on the server')
    // Without archived channels it is not listed.
    await page.locator(tid('channel-include-archived')).uncheck()
    await row.waitFor({ state: 'detached' })
    await page.locator(tid('channel-include-archived')).check()
    await row.locator(tid('channel-restore')).click()
    await textMatches(row.locator(tid('channel-status')), /Active/, 'runbooks shows as active again')
    assert.equal((await admin.api.get(`/api/v1/channels/${runbooks.id}`)).delete_at, 0, 'restored on the server')
  })

  test('e. an export runs to the end and downloads; a bulk file imports', MINUTE, async () => {
    const { page } = await session(admin)
    await openConsole(page, 'jobs')
    await page.locator(tid('job-table')).waitFor()
    await h.checkAccessibility(page, 'the jobs page')
    assert.equal(await page.locator(tid('export-download')).count(), 0, 'no export yet')

    await page.locator(tid('job-start-export')).click()
    const exportRow = page.locator(`${tid('job-row')}[data-type="export_process"]`).first()
    await exportRow.waitFor()
    await h.waitFor(async () => (await exportRow.getAttribute('data-status')) === 'success', {
      message: 'the export succeeds',
      timeout: 30_000,
    })
    assert.equal(await exportRow.locator(tid('job-progress')).getAttribute('value'), '100')
    const jobId = await exportRow.getAttribute('data-job-id')
    const link = page.locator(tid('export-download')).first()
    await link.waitFor()
    const href = await link.getAttribute('href')
    assert.equal(href, `/api/v1/exports/${jobId}.zip`)
    // The download works with the session cookie alone, as a plain link does.
    const head = await page.evaluate(async (url) => {
      const res = await fetch(url)
      const bytes = new Uint8Array(await res.arrayBuffer())
      return { status: res.status, start: String.fromCharCode(bytes[0], bytes[1]) }
    }, href)
    assert.deepEqual(head, { status: 200, start: 'PK' }, 'the export is a zip file')

    const bulk = [
      { type: 'version', version: 1 },
      { type: 'team', team: { name: 'imported', display_name: 'Imported', type: 'O' } },
      { type: 'channel', channel: { team: 'imported', name: 'welcome', display_name: 'Welcome', type: 'O' } },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n')
    await page.locator(tid('import-file')).setInputFiles({
      name: 'bulk.jsonl',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(`${bulk}\n`),
    })
    await page.locator(tid('job-start-import')).click()
    const importRow = page.locator(`${tid('job-row')}[data-type="import_process"]`).first()
    await importRow.waitFor()
    await h.waitFor(async () => (await importRow.getAttribute('data-status')) === 'success', {
      message: () => 'the import succeeds',
      timeout: 30_000,
    })
    assert.match(await importRow.locator(tid('job-results')).innerText(), /bulk\.jsonl/, 'the job names its file')
    const imported = await admin.api.get('/api/v1/teams/name/imported')
    assert.equal(imported.display_name, 'Imported')
    const welcome = await h.channelByName(admin, imported.id, 'welcome')
    assert.equal(welcome.display_name, 'Welcome')
    await h.screenshot(page, 'admin-jobs.png')
  })

  test('f. lists the teams with their member counts, and archives the imported one', MINUTE, async () => {
    const { page } = await session(admin)
    await openConsole(page, 'teams')
    const ops = page.locator(`${tid('team-row')}[data-name="ops"]`)
    const imported = page.locator(`${tid('team-row')}[data-name="imported"]`)
    await imported.waitFor()
    await textMatches(ops.locator(tid('team-member-count')), /^3$/, 'ops has root, paula and carl')
    await h.checkAccessibility(page, 'the teams list')
    await ops.locator(tid('team-members')).click()
    const members = page.locator(tid('members-dialog'))
    await textMatches(members.locator(tid('members-count')), /^3 members$/, 'the dialog counts three members')
    assert.deepEqual(
      await members.locator(tid('member')).evaluateAll((rows) => rows.map((r) => r.dataset.username)),
      ['carl', 'paula', 'root'],
    )
    await members.getByRole('button', { name: 'Close' }).click()

    const { id } = await admin.api.get('/api/v1/teams/name/imported')
    await imported.locator(tid('team-archive')).click()
    await page.locator(`${tid('confirm-archive-team')} ${tid('confirm-ok')}`).click()
    await imported.waitFor({ state: 'detached' })
    assert.ok((await admin.api.get(`/api/v1/teams/${id}`)).delete_at > 0, 'archived on the server')
    await page.reload()
    await ops.waitFor()
    assert.equal(await imported.count(), 0, 'not listed after a reload')
  })

  test('g. the configuration lists the settings, secrets hidden', MINUTE, async () => {
    const { page } = await session(admin)
    await openConsole(page, 'config')
    const listen = page.locator(`${tid('config-row')}[data-key="listen"]`)
    await listen.waitFor()
    assert.match(await listen.innerText(), /RUSTCHAT_LISTEN/)
    assert.match(await listen.locator(tid('config-value')).innerText(), /^127\.0\.0\.1:\d+$/)
    // Unset settings say so; a password in a URL is hidden.
    const value = (key) => page.locator(`${tid('config-row')}[data-key="${key}"] ${tid('config-value')}`).innerText()
    assert.equal(await value('redis_url'), 'unset')
    const smtp = await value('smtp_url')
    assert.match(smtp, /^smtp:\/\/mailer:\*{8}@127\.0\.0\.1:9/)
    assert.doesNotMatch(await page.locator(tid('config-table')).innerText(), /hunter2/, 'the password shows nowhere')
    await page.locator(tid('config-search')).fill('listen')
    await h.waitFor(async () => (await page.locator(tid('config-row')).count()) < 5, { message: 'the search narrows the list' })
    assert.equal(await listen.count(), 1, 'listen is still shown')
    await h.screenshot(page, 'admin-config.png', { publish: false })
    await h.checkAccessibility(page, 'the configuration page')
  })
})
