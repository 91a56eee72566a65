// Daily features of the web app in a real browser against a real server:
// the followed threads (the Threads entry and view, reading, following),
// marking a channel unread from a post, and slash commands in the composer.
// Users alice and bob, seeded over the native API, each in their own
// browser context.
//
// Run with `npm run e2e -- e2e/daily.e2e.mjs` (RUSTCHAT_BIN must point at a
// server binary); see e2e/harness.mjs for the other settings. Each test makes
// the posts it needs.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, openChannel as openTeamChannel, postAction, postById, rand, waitForPost } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'e2e'
const MINUTE = { timeout: 60_000 }

const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** Opens the Threads view from the sidebar. */
async function openThreads(page) {
  await page.locator(tid('sidebar-threads')).click()
  await page.waitForURL((u) => u.pathname === `/${TEAM}/threads`)
  await page.locator(tid('threads-view')).waitFor()
}

const threadItem = (page, rootId) => page.locator(`${tid('thread-item')}[data-thread-id="${rootId}"]`)

/** Polls an attribute of a locator until it has the value. */
const attributeIs = (locator, name, value, message) =>
  h.waitFor(async () => (await locator.getAttribute(name)) === value, { message })

describe('web app in a browser: threads, mark as unread, slash commands', () => {
  let server
  let browser
  let alice
  let bob
  let team
  let townSquare
  let planning
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    const person = (username) => h.newUser(anon, { username, email: `${username}@example.com`, password: PASSWORD })
    alice = await person('alice')
    bob = await person('bob')
    team = await h.createTeam(alice, { name: TEAM, display_name: 'E2E' })
    await h.addTeamMember(alice, team.id, bob.id)
    townSquare = await h.channelByName(alice, team.id, 'town-square')
    planning = await h.createChannel(alice, team.id, { name: 'planning', display_name: 'Planning' })
    await h.addChannelMember(alice, planning.id, bob.id)
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. a reply makes Threads unread; the thread is listed, opening it reads it, unfollowing removes it', MINUTE, async () => {
    const a = await session(alice)
    await openChannel(a.page, 'town-square', 'Town Square')
    const entry = a.page.locator(tid('sidebar-threads'))
    await attributeIs(entry, 'data-unread', 'false', 'Threads starts read')

    const root = await h.createPost(alice, townSquare.id, `Release checklist for Friday ${rand()}`)
    await h.createPost(bob, townSquare.id, `I'll take the changelog ${rand()}`, { root_id: root.id })
    await attributeIs(entry, 'data-unread', 'true', 'a reply to her post makes the Threads entry unread for alice')

    await h.createPost(bob, townSquare.id, `@alice can you sign off the build? ${rand()}`, { root_id: root.id })
    const badge = entry.locator(tid('threads-mention-badge'))
    await h.waitFor(async () => (await h.textOf(badge)).trim() === '1', { message: 'the Threads entry counts 1 mention' })

    await openThreads(a.page)
    const item = threadItem(a.page, root.id)
    await item.waitFor()
    assert.equal(await item.getAttribute('data-unread'), 'true', 'the thread is listed as unread')
    assert.match(await h.textOf(item.locator(tid('thread-preview'))), /Release checklist for Friday/, 'the root is previewed')
    assert.match(await h.textOf(item.locator(tid('thread-channel'))), /Town Square/, 'the channel is named')
    assert.match(await h.textOf(item.locator(tid('thread-reply-count'))), /^2 replies$/, 'the replies are counted')
    assert.equal((await h.textOf(item.locator(tid('thread-mention-badge')))).trim().split(/\s/)[0], '1', 'the mention is counted')
    await h.checkAccessibility(a.page, 'the Threads view', { context: tid('threads-view') })
    await h.screenshot(a.page, 'threads.png')

    await item.click()
    const panel = a.page.locator(tid('thread-panel'))
    await panel.waitFor()
    await waitForPost(a.page, 'can you sign off the build?', 'thread-panel')
    await attributeIs(item, 'data-unread', 'false', 'opening the thread reads it')
    await attributeIs(entry, 'data-unread', 'false', 'the Threads entry is read again')
    assert.equal(await badge.count(), 0, 'no mention badge is left')

    // A reply while the thread is open is read as it arrives.
    const live = `Build signed off ${rand()}`
    await h.createPost(bob, townSquare.id, live, { root_id: root.id })
    await waitForPost(a.page, live, 'thread-panel')
    await h.waitFor(async () => /^3 replies$/.test(await h.textOf(item.locator(tid('thread-reply-count')))), {
      message: 'the list counts the new reply',
    })
    await a.page.waitForTimeout(1500)
    assert.equal(await item.getAttribute('data-unread'), 'false', 'a reply in the open thread does not leave it unread')

    const follow = panel.locator(tid('thread-follow'))
    await attributeIs(follow, 'aria-pressed', 'true', 'the panel shows alice follows the thread')
    assert.equal((await h.textOf(follow)).trim(), 'Following')
    await follow.click()
    await attributeIs(follow, 'aria-pressed', 'false', 'Follow is offered after unfollowing')
    await item.waitFor({ state: 'detached' })

    // Unfollowed: a new reply neither lists the thread nor makes Threads unread.
    await h.createPost(bob, townSquare.id, `One more thing ${rand()}`, { root_id: root.id })
    await a.page.waitForTimeout(1000)
    assert.equal(await item.count(), 0, 'an unfollowed thread stays out of the list')
    assert.equal(await entry.getAttribute('data-unread'), 'false', 'an unfollowed thread does not make Threads unread')

    await follow.click()
    await attributeIs(follow, 'aria-pressed', 'true', 'following again')
    await item.waitFor()
  })

  test('b. the Unread filter and Mark all as read', MINUTE, async () => {
    const a = await session(alice)
    await openThreads(a.page)
    const quiet = await h.createPost(alice, planning.id, `Quiet thread ${rand()}`)
    const busy = await h.createPost(alice, planning.id, `Busy thread ${rand()}`)
    await h.createPost(bob, planning.id, `noted ${rand()}`, { root_id: quiet.id })
    await threadItem(a.page, quiet.id).click()
    await attributeIs(threadItem(a.page, quiet.id), 'data-unread', 'false', 'the quiet thread is read')
    await a.page.locator(tid('thread-close')).click()
    await h.createPost(bob, planning.id, `on it ${rand()}`, { root_id: busy.id })
    await attributeIs(threadItem(a.page, busy.id), 'data-unread', 'true', 'a new reply lists the busy thread, unread')
    const first = a.page.locator(tid('thread-item')).first()
    assert.equal(await first.getAttribute('data-thread-id'), busy.id, 'the most recently active thread comes first')

    await a.page.locator(tid('threads-filter-unread')).click()
    await threadItem(a.page, quiet.id).waitFor({ state: 'detached' })
    assert.equal(await threadItem(a.page, busy.id).count(), 1, 'the Unread filter keeps the unread thread')

    await a.page.locator(tid('threads-mark-all-read')).click()
    await a.page.locator(tid('threads-empty')).waitFor()
    await attributeIs(a.page.locator(tid('sidebar-threads')), 'data-unread', 'false', 'Mark all as read clears Threads')
    await a.page.locator(tid('threads-filter-all')).click()
    await attributeIs(threadItem(a.page, busy.id), 'data-unread', 'false', 'the busy thread is read in the full list')
  })

  test('c. mark as unread: the channel stays unread with the line above the post, in every tab', MINUTE, async () => {
    const a = await session(alice)
    const lines = []
    for (const n of [1, 2, 3]) lines.push(await h.createPost(bob, planning.id, `Agenda item ${n} ${rand()}`))
    const other = await a.context.newPage()
    h.trackErrors(other, 'alice, second tab')
    await other.goto(`/${TEAM}/channels/town-square`)
    await other.locator(tid('post-list')).waitFor()

    // The first tab in front again: a tab behind gets few animation frames, which slows the clicks.
    await a.page.bringToFront()
    await openChannel(a.page, 'planning', 'Planning')
    const link = a.page.locator(tid('channel-link-planning'))
    const otherLink = other.locator(tid('channel-link-planning'))
    await attributeIs(link, 'data-unread', 'false', 'planning is read on opening it')
    await attributeIs(otherLink, 'data-unread', 'false', 'the second tab sees planning read')

    await postAction(postById(a.page, lines[1].id), 'post-mark-unread')
    await attributeIs(link, 'data-unread', 'true', 'planning shows unread after Mark as unread')
    await attributeIs(otherLink, 'data-unread', 'true', 'the second tab shows planning unread too')
    const lineBefore = () =>
      a.page.evaluate(() => document.querySelector('[data-testid="new-messages-line"]')?.nextElementSibling?.getAttribute('data-post-id'))
    await h.waitFor(async () => (await lineBefore()) === lines[1].id, { message: 'the New messages line is above the post marked unread' })

    // Staying in the channel does not read it, nor does a new post there.
    await h.createPost(bob, planning.id, `@alice one more item ${rand()}`)
    const badge = link.locator(tid('mention-badge'))
    await h.waitFor(async () => (await h.textOf(badge)).trim() === '1', { message: 'a mention while staying counts' })
    await a.page.waitForTimeout(1500)
    assert.equal(await link.getAttribute('data-unread'), 'true', 'planning is still unread while alice stays in it')
    assert.equal(await lineBefore(), lines[1].id, 'the line stays above the post marked unread')

    // Leaving and coming back reads it.
    await openChannel(a.page, 'town-square', 'Town Square')
    assert.equal(await link.getAttribute('data-unread'), 'true', 'left unread')
    await openChannel(a.page, 'planning', 'Planning')
    await attributeIs(link, 'data-unread', 'false', 'coming back reads planning')
    await attributeIs(otherLink, 'data-unread', 'false', 'and in the second tab')
    await other.close()
  })

  test('d. slash commands: suggestions, running one, an unknown one, one that goes elsewhere, one in a thread', MINUTE, async () => {
    const a = await session(alice)
    await openChannel(a.page, 'town-square', 'Town Square')
    const composer = a.page.locator(tid('composer-input'))
    const suggestions = a.page.locator(tid('autocomplete'))
    await composer.click()

    await composer.pressSequentially('/ec', { delay: 30 })
    const echo = suggestions.locator(tid('autocomplete-item')).filter({ hasText: '/echo' })
    await echo.waitFor()
    assert.equal(await echo.getAttribute('aria-selected'), 'true', '/echo is the selected suggestion')
    assert.equal(await suggestions.locator(tid('autocomplete-item')).count(), 1, 'only /echo starts with /ec')
    await h.checkAccessibility(a.page, 'the command suggestions', { context: tid('autocomplete') })
    await composer.press('Tab')
    await h.waitFor(async () => (await composer.inputValue()) === '/echo ', { message: 'Tab takes /echo and a space' })
    await composer.fill('')

    const word = rand()
    await composer.pressSequentially(`/shrug ${word}`, { delay: 20 })
    await composer.press('Enter')
    const shrugged = await waitForPost(a.page, word)
    assert.equal((await h.textOf(shrugged.locator(tid('post-message')))).trim(), `${word} ¯\\_(ツ)_/¯`, '/shrug posts the text and a shrug')
    await h.waitFor(async () => (await composer.inputValue()) === '', { message: 'the composer is emptied after the command' })

    await composer.pressSequentially('/nosuchcommand now', { delay: 10 })
    await composer.press('Enter')
    const error = a.page.locator(tid('composer-error'))
    await h.waitFor(async () => /no \/nosuchcommand command/.test(await h.textOf(error)), {
      message: 'an unknown command is reported by the composer',
    })
    assert.equal(await composer.inputValue(), '/nosuchcommand now', 'the text is kept to correct it')
    await composer.fill('')

    // A command that goes elsewhere: /join opens the channel it joined.
    await h.createChannel(bob, team.id, { name: 'lobby', display_name: 'Lobby' })
    await composer.pressSequentially('/join ~lobby', { delay: 10 })
    await composer.press('Enter')
    await a.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/lobby`)
    await h.waitFor(async () => (await h.textOf(a.page.locator(tid('channel-header')))).includes('Lobby'), {
      message: '/join opens the channel',
    })

    // /msg opens the direct channel, at its @username address, with the message in it.
    const hello = `hello ${rand()}`
    await composer.pressSequentially(`/msg @bob ${hello}`, { delay: 10 })
    await composer.press('Enter')
    await a.page.waitForURL((u) => u.pathname === `/${TEAM}/messages/@bob`)
    await waitForPost(a.page, hello)

    // In a thread, the command's post is a reply.
    await openChannel(a.page, 'town-square', 'Town Square')
    const root = await h.createPost(bob, townSquare.id, `Thread for commands ${rand()}`)
    await postAction(postById(a.page, root.id), 'post-reply')
    const threadComposer = a.page.locator(`${tid('thread-panel')} ${tid('thread-composer-input')}`)
    const reply = rand()
    await threadComposer.pressSequentially(`/shrug ${reply}`, { delay: 10 })
    await threadComposer.press('Enter')
    await waitForPost(a.page, reply, 'thread-panel')
    await a.page.locator(tid('thread-close')).click()
  })
})
