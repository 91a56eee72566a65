// Custom emoji and the phone layout in a real browser against a real server.
// Custom emoji: added through the manage dialog (with the refusals it
// shows), seen as an image by another user whose page learns of it from the
// socket, offered by the composer's autocomplete and the reaction picker,
// deleted by its creator only. The phone (390×844, touch): the sidebar
// drawer, switching channels, sending, a thread and the side panels cover
// the screen, with nothing wider than the screen and targets of 40 px.
//
// Run with `npm run e2e -- e2e/emoji-mobile.e2e.mjs` (RUSTCHAT_BIN must point
// at a server binary); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import {
  flowSuite,
  horizontalOverflow,
  openChannel as openTeamChannel,
  postAction,
  postById,
  rand,
  smallTargets,
  userMenu,
  waitForPost,
} from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'e2e'
const MINUTE = { timeout: 60_000 }
const EMOJI = 'partyparrot'

const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** Asserts nothing is wider than the screen, naming what is. */
async function assertFitsWidth(page, screen) {
  const { scrollWidth, innerWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
  assert.ok(scrollWidth <= innerWidth, `${screen}: the page scrolls sideways (${scrollWidth} > ${innerWidth} px)`)
  // A phone zooms out to show a too-wide page, widening innerWidth with it;
  // the layout width stays the screen's.
  assert.ok(scrollWidth <= clientWidth, `${screen}: the page is wider than the screen (${scrollWidth} > ${clientWidth} px)`)
  assert.deepEqual(await horizontalOverflow(page), [], `${screen}: nothing reaches past the right edge`)
}

/** Opens the custom emoji dialog from the composer's emoji picker. */
async function openEmojiManager(page) {
  await page.locator(tid('composer-emoji')).click()
  await page.locator(tid('emoji-picker-manage')).click()
  const dialog = page.locator(tid('custom-emoji-dialog'))
  await dialog.waitFor()
  return dialog
}

const emojiRow = (dialog, name) => dialog.locator(`${tid('custom-emoji-row')}[data-name="${name}"]`)

/** Whether an <img> has loaded a real image (the cookie authorised it). */
const imageLoaded = (img) => img.evaluate((el) => el.complete && el.naturalWidth > 0)

describe('web app in a browser: custom emoji, the phone layout', () => {
  let server
  let browser
  let alice
  let bob
  let dana
  let team
  let townSquare
  let planning
  let partyPost
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    const person = (username) => h.newUser(anon, { username, email: `${username}@example.com`, password: PASSWORD })
    alice = await person('alice')
    bob = await person('bob')
    dana = await person('dana')
    team = await h.createTeam(alice, { name: TEAM, display_name: 'E2E' })
    for (const u of [bob, dana]) await h.addTeamMember(alice, team.id, u.id)
    townSquare = await h.channelByName(alice, team.id, 'town-square')
    planning = await h.createChannel(alice, team.id, { name: 'planning', display_name: 'Planning' })
    for (const u of [bob, dana]) await h.addChannelMember(alice, planning.id, u.id)
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. alice adds a custom emoji in its dialog; refusals are shown', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    // Bob's page is open before the emoji exists: it must learn of it live.
    await openChannel(b.page, 'town-square', 'Town Square')
    assert.equal(await a.page.locator(tid('open-sidebar')).isVisible(), false, 'no drawer button on a desktop screen')
    assert.ok(await a.page.locator(tid('sidebar')).isVisible(), 'the sidebar stays in place on a desktop screen')

    const dialog = await openEmojiManager(a.page)
    await dialog.locator(tid('custom-emoji-empty')).waitFor()
    const name = dialog.locator(tid('custom-emoji-name'))
    const file = dialog.locator(tid('custom-emoji-file'))
    const save = dialog.locator(tid('custom-emoji-save'))
    const error = dialog.locator(tid('custom-emoji-error'))

    await name.fill('Party Parrot')
    await file.setInputFiles({ name: 'parrot.png', mimeType: 'image/png', buffer: h.makePng(32, 32) })
    await save.click()
    await h.waitFor(async () => /lower-case/.test(await h.textOf(error)), { message: 'a name with a space is refused' })

    await name.fill('smile')
    await save.click()
    await h.waitFor(async () => /built-in/.test(await h.textOf(error)), { message: 'a built-in name is refused' })

    // Not an image, though named like one: the server refuses it, naming the field.
    await name.fill(EMOJI)
    await file.setInputFiles({ name: 'parrot.png', mimeType: 'image/png', buffer: Buffer.from('not really a picture') })
    await save.click()
    await h.waitFor(async () => /^Image: .*PNG/.test((await h.textOf(error)).trim()), {
      message: () => 'the server’s refusal of the image is shown with its field',
    })

    await file.setInputFiles({ name: 'parrot.png', mimeType: 'image/png', buffer: h.makePng(32, 32) })
    await save.click()
    await emojiRow(dialog, EMOJI).waitFor()
    assert.match(await h.textOf(dialog.locator(tid('custom-emoji-note'))), /:partyparrot: was added/)
    assert.equal(await error.count(), 0, 'no error is left once added')
    await h.waitFor(() => imageLoaded(emojiRow(dialog, EMOJI).locator('img')), { message: 'the list shows the emoji’s image' })
    assert.equal(await emojiRow(dialog, EMOJI).locator(tid('custom-emoji-delete')).count(), 1, 'its creator may delete it')
    await h.checkAccessibility(a.page, 'the custom emoji dialog', { context: tid('custom-emoji-dialog') })
    await h.screenshot(a.page, 'custom-emoji-dialog.png', { publish: false })

    // The same name again: refused.
    await name.fill(EMOJI)
    await file.setInputFiles({ name: 'parrot.png', mimeType: 'image/png', buffer: h.makePng(16, 16) })
    await save.click()
    await h.waitFor(async () => /already exists/.test(await h.textOf(error)), { message: 'a taken name is refused' })
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
  })

  test('b. the emoji shows as an image for bob, live; the composer suggests it', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')

    const input = a.page.locator(tid('composer-input'))
    await input.click()
    await input.pressSequentially('Release day :partyp')
    const suggestion = a.page.locator(tid('autocomplete-item')).filter({ hasText: `:${EMOJI}:` })
    await suggestion.waitFor()
    await h.waitFor(() => imageLoaded(suggestion.locator('img')), { message: 'the suggestion shows the image' })
    await a.page.keyboard.press('Tab')
    // Tab takes the suggestion and a space.
    const tail = `and :notanemoji: ${rand()}`
    await input.pressSequentially(tail)
    assert.equal(await input.inputValue(), `Release day :${EMOJI}: ${tail}`)
    await a.page.keyboard.press('Enter')

    const mine = await waitForPost(a.page, 'Release day')
    // The server's id, once the post is no longer the pending copy.
    partyPost = await h.waitFor(() => mine.evaluate((el) => (el.classList.contains('sending') ? null : el.dataset.postId)), {
      message: 'alice’s post is sent',
    })
    const theirs = postById(b.page, partyPost)
    const img = theirs.locator(`${tid('post-message')} img.custom-emoji[alt=":${EMOJI}:"]`)
    await img.waitFor()
    await h.waitFor(() => imageLoaded(img), { message: 'bob’s browser loads the emoji image' })
    assert.match(await h.textOf(theirs.locator(tid('post-message'))), /:notanemoji:/, 'an unknown name stays text')
    await h.checkAccessibility(b.page, 'a post with a custom emoji', { context: tid('post-list') })
  })

  test('c. bob reacts with the custom emoji from the picker; alice sees it', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    const theirs = postById(b.page, partyPost)
    await postAction(theirs, 'post-react')
    const picker = b.page.locator(tid('emoji-picker'))
    await picker.locator(tid('emoji-custom-section')).waitFor()
    await picker.locator(tid('emoji-search')).fill('parrot')
    const choice = picker.locator(`${tid(`emoji-${EMOJI}`)}[data-custom="true"]`)
    await choice.waitFor()
    assert.equal(await picker.locator(tid('emoji-heart')).count(), 0, 'the search filters the built-in emoji too')
    await h.screenshot(b.page, 'custom-emoji-picker.png')
    await choice.click()

    const reaction = theirs.locator(tid(`reaction-${EMOJI}`))
    await reaction.waitFor()
    assert.equal(await reaction.getAttribute('aria-pressed'), 'true', 'bob’s reaction is his')
    const alices = postById(a.page, partyPost).locator(tid(`reaction-${EMOJI}`))
    await h.waitFor(async () => /\b1\b/.test(await h.textOf(alices)), { message: 'alice sees the reaction counted once' })
    const reactionImg = alices.locator(`img[alt=":${EMOJI}:"]`)
    await h.waitFor(() => imageLoaded(reactionImg), { message: 'the reaction shows the image' })
  })

  test('d. only its creator may delete the emoji; once deleted it is text again', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)

    await userMenu(b.page, 'open-settings')
    await b.page.locator(tid('open-custom-emoji')).click()
    const bobsDialog = b.page.locator(tid('custom-emoji-dialog'))
    await emojiRow(bobsDialog, EMOJI).waitFor()
    assert.equal(await emojiRow(bobsDialog, EMOJI).locator(tid('custom-emoji-delete')).count(), 0, 'bob may not delete alice’s emoji')
    assert.match(await h.textOf(emojiRow(bobsDialog, EMOJI)), /by alice/)
    await b.page.keyboard.press('Escape')
    await bobsDialog.waitFor({ state: 'detached' })

    const dialog = await openEmojiManager(a.page)
    let question = ''
    a.page.once('dialog', (d) => {
      question = d.message()
      void d.accept()
    })
    await emojiRow(dialog, EMOJI).locator(tid('custom-emoji-delete')).click()
    await emojiRow(dialog, EMOJI).waitFor({ state: 'detached' })
    assert.match(question, /Delete the custom emoji :partyparrot:/)
    await dialog.locator(tid('custom-emoji-empty')).waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()

    const message = postById(a.page, partyPost).locator(tid('post-message'))
    await h.waitFor(async () => (await message.locator('img').count()) === 0, { message: 'the post shows no image any more' })
    assert.match(await h.textOf(message), /:partyparrot:/, 'the name is shown as typed')
    const remaining = await alice.api.get('/api/v1/emoji')
    assert.deepEqual(remaining, [], 'the server has no custom emoji left')
  })

  test('e. on a phone: the drawer, switching channels, sending, a thread and the side panels', { timeout: 120_000 }, async () => {
    const context = await h.newContext(browser, server.url, h.PHONE)
    const page = await context.newPage()
    h.trackErrors(page, 'dana (phone)')
    try {
      await page.goto('/login')
      await page.locator('input[name=login]').waitFor()
      await assertFitsWidth(page, 'the login page')
      await h.loginUI(page, dana)
      await page.locator(tid('post-list')).waitFor()
      const header = page.locator(tid('channel-header'))
      await h.waitFor(async () => (await h.textOf(header)).includes('Town Square'), { message: 'dana lands in Town Square' })

      const sidebar = page.locator(tid('sidebar'))
      const menu = page.locator(tid('open-sidebar'))
      assert.equal(await sidebar.isVisible(), false, 'the sidebar is hidden on a phone')
      const list = await page.locator(tid('post-list')).boundingBox()
      assert.ok(list && list.x === 0 && list.width >= 389, `the messages take the full width (${JSON.stringify(list)})`)
      await assertFitsWidth(page, 'the channel')
      assert.deepEqual(await smallTargets(page, '#main'), [], 'every button of the channel is at least 40 px')
      await h.checkAccessibility(page, 'the channel on a phone')

      // Opened by the menu button; closed by the backdrop, then by Escape.
      await menu.tap()
      await sidebar.waitFor({ state: 'visible' })
      assert.equal(await menu.getAttribute('aria-expanded'), 'true')
      await assertFitsWidth(page, 'the open drawer')
      assert.deepEqual(await smallTargets(page, tid('nav-drawer')), [], 'every entry of the drawer is at least 40 px')
      await h.checkAccessibility(page, 'the open drawer')
      await h.screenshot(page, 'phone-drawer.png')
      await page.locator(tid('drawer-backdrop')).tap({ position: { x: 370, y: 400 } })
      await sidebar.waitFor({ state: 'hidden' })
      await menu.tap()
      await sidebar.waitFor({ state: 'visible' })
      await page.keyboard.press('Escape')
      await sidebar.waitFor({ state: 'hidden' })
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'open-sidebar', 'Escape gives focus back to the menu button')

      // Choosing a channel closes it.
      await menu.tap()
      await page.locator(tid('channel-link-planning')).tap()
      await page.waitForURL((u) => u.pathname === `/${TEAM}/channels/planning`)
      await sidebar.waitFor({ state: 'hidden' })
      await h.waitFor(async () => (await h.textOf(header)).includes('Planning'), { message: 'the header shows Planning' })

      // Sending from the composer at the bottom of the screen.
      const input = page.locator(tid('composer-input'))
      const box = await input.boundingBox()
      assert.ok(box && box.y + box.height <= 844 && box.y > 600, `the composer is at the bottom of the screen (${JSON.stringify(box)})`)
      const text = `Sent from a phone ${rand()}`
      await input.tap()
      await page.keyboard.type(text)
      await page.locator(tid('send')).tap()
      const post = await waitForPost(page, text)
      await h.waitFor(async () => (await post.getAttribute('class'))?.includes('sending') === false, { message: 'the post is sent' })
      await assertFitsWidth(page, 'the channel with a new post')
      await h.screenshot(page, 'phone-channel.png')

      // A thread covers the screen and closes back to the channel.
      await post.tap()
      await post.locator(tid('post-reply')).tap()
      const panel = page.locator(tid('thread-panel'))
      await panel.waitFor()
      const panelBox = await panel.boundingBox()
      assert.ok(panelBox && panelBox.x === 0 && panelBox.y === 0 && panelBox.width >= 389 && panelBox.height >= 843, `the thread covers the screen (${JSON.stringify(panelBox)})`)
      const reply = `A reply from the phone ${rand()}`
      await page.locator(tid('thread-composer-input')).tap()
      await page.keyboard.type(reply)
      await page.keyboard.press('Enter')
      await waitForPost(page, reply, 'thread-panel')
      await assertFitsWidth(page, 'the thread')
      assert.deepEqual(await smallTargets(page, tid('thread-panel')), [], 'every button of the thread is at least 40 px')
      await h.screenshot(page, 'phone-thread.png', { publish: false })
      await page.locator(tid('thread-close')).tap()
      await panel.waitFor({ state: 'detached' })
      assert.ok(await page.locator(tid('post-list')).isVisible(), 'the channel is back')

      // Saved messages: the side panel covers the screen too.
      await page.locator(tid('saved-posts')).tap()
      const results = page.locator(tid('search-results'))
      await results.waitFor()
      const resultsBox = await results.boundingBox()
      assert.ok(resultsBox && resultsBox.x === 0 && resultsBox.width >= 389, 'the saved messages cover the screen')
      await assertFitsWidth(page, 'the saved messages')
      await results.getByRole('button', { name: 'Close search' }).tap()
      await results.waitFor({ state: 'detached' })

      // The emoji picker and the custom emoji dialog fit.
      await page.locator(tid('composer-emoji')).tap()
      await page.locator(tid('emoji-picker')).waitFor()
      await assertFitsWidth(page, 'the emoji picker')
      await page.locator(tid('emoji-picker-manage')).tap()
      const dialog = page.locator(tid('custom-emoji-dialog'))
      await dialog.waitFor()
      await assertFitsWidth(page, 'the custom emoji dialog')
      await dialog.getByRole('button', { name: 'Close' }).tap()
      await dialog.waitFor({ state: 'detached' })

      // The Threads view, from the drawer.
      await menu.tap()
      await page.locator(tid('sidebar-threads')).tap()
      await page.locator(tid('threads-view')).waitFor()
      await sidebar.waitFor({ state: 'hidden' })
      await assertFitsWidth(page, 'the Threads view')
      await page.locator(tid('thread-item')).first().tap()
      await page.locator(tid('thread-panel')).waitFor()
      await assertFitsWidth(page, 'a thread in the Threads view')
      await page.locator(tid('thread-close')).tap()
      await page.locator(tid('thread-panel')).waitFor({ state: 'detached' })
    } finally {
      await context.close()
    }
  })
})
