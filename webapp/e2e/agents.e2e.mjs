// A2A agents in a real browser against a real server and a real agent: the
// system admin adds the agent from its card's address in the System Console
// (a card that is not one is refused, the input kept), disables and enables
// it, re-reads its card, sets its secret; a member sees its bot's profile
// card with the Bot and Agent badges and its skills, and is refused the
// admin's calls; the admin removes it (its bot is deactivated).
//
// It needs an agent: AGENT_CARD_URL is the address of its agent card, as
// the server (not the browser) reaches it. Without it the suite is skipped.
// AGENT_SERVER_ENV may hold a JSON object of extra RUSTCHAT_* settings for
// the server (e.g. one that lets it reach an agent on 127.0.0.1).
//
// Run with `AGENT_CARD_URL=… npm run e2e -- e2e/agents.e2e.mjs`
// (RUSTCHAT_BIN must point at a server binary); see e2e/harness.mjs.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, openChannel, postById, rand, userMenu } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'bots'
const BOT = 'e2eagent'
const MINUTE = { timeout: 60_000 }
const CARD_URL = process.env.AGENT_CARD_URL ?? ''

/** The console's row of an agent, by its bot's username. */
const agentRow = (page, username) => page.locator(`${tid('agent-row')}[data-username="${username}"]`)

/** Chooses an item of an agent's actions menu. */
async function agentAction(page, username, item) {
  await agentRow(page, username).locator(tid('agent-actions')).click()
  await page.locator(`${tid('agent-actions-items')} ${tid(item)}`).click()
}

/** Waits until `locator`'s text matches `pattern`. */
const textMatches = (locator, pattern, message) =>
  h.waitFor(async () => pattern.test(await h.textOf(locator)), { message, timeout: 20_000 })

describe('web app in a browser: A2A agents', { skip: CARD_URL ? false : 'AGENT_CARD_URL is not set' }, () => {
  let server
  let browser
  let admin
  let paula
  let town
  let agent
  const { session, test } = flowSuite(() => ({ browser, server }))

  /** Opens the console's Agents page from the account menu. */
  async function openAgents(page) {
    if (!new URL(page.url()).pathname.startsWith('/admin_console')) {
      await userMenu(page, 'open-system-console')
      await page.locator(tid('admin-console')).waitFor()
    }
    await page.locator(tid('admin-nav-agents')).click()
    await page.waitForURL((u) => u.pathname === '/admin_console/agents')
    await page.locator(tid('agent-table')).waitFor()
  }

  before(async () => {
    server = await h.startServer({ env: JSON.parse(process.env.AGENT_SERVER_ENV || '{}') })
    const anon = new h.Api(server.url)
    admin = await h.newUser(anon, { username: 'root', email: 'root@example.com', password: PASSWORD })
    assert.match(admin.roles, /system_admin/, 'the first account is the system admin')
    paula = await h.newUser(anon, { username: 'paula', email: 'paula@example.com', password: PASSWORD })
    const team = await h.createTeam(admin, { name: TEAM, display_name: 'Bots' })
    await h.addTeamMember(admin, team.id, paula.id)
    town = await h.channelByName(admin, team.id, 'town-square')
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. the admin adds the agent from its card; a page that is no card is refused', MINUTE, async () => {
    const { page } = await session(admin)
    await openAgents(page)
    await page.locator(tid('agents-none')).waitFor()
    await h.checkAccessibility(page, 'the empty agents page')

    await page.locator(tid('add-agent')).click()
    const dialog = page.locator(tid('add-agent-dialog'))
    const cardInput = dialog.locator('input[name=card_url]')
    // The server's health answer is JSON but no agent card.
    const notACard = `${server.url}/api/v1/health`
    await cardInput.fill(notACard)
    await dialog.locator('input[name=username]').fill(BOT)
    await dialog.locator(tid('add-agent-submit')).click()
    const refusal = dialog.locator(`${tid('add-agent-error')}, ${tid('field-error-card_url')}`)
    await refusal.waitFor()
    assert.ok((await refusal.innerText()).trim().length > 0, 'the server says what is wrong')
    assert.equal(await cardInput.inputValue(), notACard, 'the address is kept')
    assert.equal(await dialog.locator('input[name=username]').inputValue(), BOT, 'the username is kept')
    assert.equal(await dialog.locator('input[name=secret]').getAttribute('type'), 'password')
    await h.checkAccessibility(page, 'the add agent dialog', { context: tid('add-agent-dialog') })

    await cardInput.fill(CARD_URL)
    await dialog.locator(tid('add-agent-submit')).click()
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 })
    await textMatches(page.locator(tid('admin-notice')), new RegExp(`@${BOT} is added`), 'the agent is added')

    const list = await admin.api.get('/api/v1/agents')
    assert.equal(list.length, 1, 'one agent on the server')
    agent = list[0]
    assert.equal(agent.username, BOT)
    assert.equal(agent.card_url, CARD_URL)
    assert.equal(agent.enabled, true)
    const row = agentRow(page, BOT)
    await row.waitFor()
    assert.equal(await row.locator(tid('agent-name')).innerText(), agent.display_name || BOT)
    assert.equal(await row.locator(tid('agent-protocol')).innerText(), `A2A ${agent.protocol_version}`)
    assert.equal(await row.locator(tid('agent-streaming')).innerText(), agent.streaming ? 'Yes' : 'No')
    assert.match(await row.locator(tid('agent-skills')).innerText(), new RegExp(`^${agent.skills.length} skills?$`))
    assert.equal(await row.locator(tid('agent-status')).getAttribute('data-enabled'), 'true')
    assert.equal(await row.locator(tid('agent-card-url')).innerText(), CARD_URL)
    const bot = await admin.api.get(`/api/v1/users/${agent.user_id}`)
    assert.equal(bot.is_bot, true, 'the agent is a bot account')
    await h.screenshot(page, 'admin-agents.png', { publish: false })
    await h.checkAccessibility(page, 'the agents page')
  })

  test('b. disables and enables it, re-reads its card, sets a secret', MINUTE, async () => {
    const { page } = await session(admin)
    await openAgents(page)
    const row = agentRow(page, BOT)
    await row.waitFor()

    await agentAction(page, BOT, 'agent-action-disable')
    await h.waitFor(async () => (await row.locator(tid('agent-status')).getAttribute('data-enabled')) === 'false', {
      message: 'the agent shows as disabled',
    })
    assert.equal((await admin.api.get(`/api/v1/agents/${agent.id}`)).enabled, false, 'disabled on the server')
    await agentAction(page, BOT, 'agent-action-enable')
    await h.waitFor(async () => (await row.locator(tid('agent-status')).getAttribute('data-enabled')) === 'true', {
      message: 'the agent shows as enabled again',
    })
    assert.equal((await admin.api.get(`/api/v1/agents/${agent.id}`)).enabled, true, 'enabled on the server')

    const updatedBefore = (await admin.api.get(`/api/v1/agents/${agent.id}`)).update_at
    await agentAction(page, BOT, 'agent-action-refresh')
    await textMatches(page.locator(tid('admin-notice')), /is read again/, 'the card is read again')
    assert.ok((await admin.api.get(`/api/v1/agents/${agent.id}`)).update_at >= updatedBefore)

    await agentAction(page, BOT, 'agent-action-secret')
    const dialog = page.locator(tid('agent-secret-dialog'))
    await dialog.locator('input[name=secret]').fill(`secret-${rand()}`)
    await dialog.locator(tid('agent-secret-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    await textMatches(page.locator(tid('admin-notice')), /secret of .* is changed/, 'the secret is saved')
    const fresh = await admin.api.get(`/api/v1/agents/${agent.id}`)
    if (fresh.auth && fresh.auth.scheme !== 'none') assert.equal(fresh.auth.has_secret, true, 'the server has a secret')
  })

  test("c. a member sees the bot's profile card with its skills, and may not change agents", MINUTE, async () => {
    const mine = await paula.api.get(`/api/v1/agents/${agent.id}`)
    assert.equal(mine.card_url, '', 'no card address for a member')
    assert.equal(mine.endpoint_url, '', 'no endpoint for a member')
    assert.equal(mine.auth, null, 'no authentication details for a member')
    await assert.rejects(paula.api.post('/api/v1/agents', { card_url: CARD_URL }), /answered 403/)
    await assert.rejects(paula.api.patch(`/api/v1/agents/${agent.id}`, { enabled: false }), /answered 403/)
    await assert.rejects(paula.api.delete(`/api/v1/agents/${agent.id}`), /answered 403/)

    const { page } = await session(paula)
    await openChannel(page, TEAM, 'town-square', 'Town Square')
    const post = await h.createPost(paula, town.id, `What can @${BOT} do? ${rand()}`)
    await postById(page, post.id).locator(`.mention[data-mention="${BOT}"]`).click()
    const card = page.locator(tid('profile-popover'))
    await card.waitFor()
    await textMatches(card.locator(tid('profile-username')), new RegExp(`^@${BOT}$`), "the mention opens the bot's card")
    await card.locator(tid('profile-bot-badge')).waitFor()
    await card.locator(tid('profile-agent-badge')).waitFor()
    assert.equal(await card.locator(tid('profile-agent-skill')).count(), agent.skills.length, 'every skill is listed')
    for (const skill of agent.skills) {
      const item = card.locator(`${tid('profile-agent-skill')}[data-skill-id="${skill.id}"]`)
      assert.match(await item.innerText(), new RegExp(skill.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    }
    await h.checkAccessibility(page, 'the profile card of an agent', { context: tid('profile-popover') })
    await h.screenshot(page, 'profile-card-agent.png', { publish: false })
    await page.keyboard.press('Escape')
    await card.waitFor({ state: 'hidden' })
  })

  test('d. the admin removes the agent after a confirmation; its bot is deactivated', MINUTE, async () => {
    const { page } = await session(admin)
    await openAgents(page)
    const row = agentRow(page, BOT)
    await row.waitFor()
    await agentAction(page, BOT, 'agent-action-remove')
    const confirm = page.locator(tid('confirm-remove-agent'))
    // Cancelled first: nothing happens.
    await confirm.locator(tid('confirm-cancel')).click()
    await confirm.waitFor({ state: 'hidden' })
    assert.equal((await admin.api.get('/api/v1/agents')).length, 1, 'still there after cancelling')
    await agentAction(page, BOT, 'agent-action-remove')
    await confirm.locator(tid('confirm-ok')).click()
    await row.waitFor({ state: 'detached' })
    await page.locator(tid('agents-none')).waitFor()
    assert.deepEqual(await admin.api.get('/api/v1/agents'), [], 'no agent on the server')
    await assert.rejects(admin.api.get(`/api/v1/agents/${agent.id}`), /answered 404/)
    assert.ok((await admin.api.get(`/api/v1/users/${agent.user_id}`)).delete_at > 0, 'its bot is deactivated')
  })
})
