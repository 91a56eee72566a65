// People and channels in a real browser against a real server: a custom
// status with an expiry seen beside one's name by another user, and cleared;
// the profile card of a post's author (and of an @mention) and its Message
// button; a channel renamed with a header, muted, its notification settings,
// archived and restored, left. Users alice, bob and erin, seeded over the
// native API, each in their own browser context.
//
// Run with `npm run e2e -- e2e/profiles.e2e.mjs` (RUSTCHAT_BIN must point at
// a server binary); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, openChannel as openTeamChannel, postById, rand, sidebarSection, userMenu, waitForPost } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'people'
const MINUTE = { timeout: 60_000 }

const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** The header's text includes `text`, polled. */
const headerShows = (page, text) =>
  h.waitFor(async () => (await h.textOf(page.locator(tid('channel-header')))).includes(text), {
    message: `the channel header shows "${text}"`,
  })

/** Chooses an item of the open channel's menu (`channel-menu-edit`, `channel-menu-mute`, …). */
async function channelMenu(page, item) {
  await page.locator(tid('channel-menu')).click()
  await page.locator(`${tid('channel-menu-items')} ${tid(item)}`).click()
}

/** The accessible names of the status emoji inside `scope` ('' when none). */
const statusLabel = async (scope) =>
  (await scope.locator(tid('custom-status-emoji')).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))).join('|')

describe('web app in a browser: custom status, profiles, channel settings', () => {
  let server
  let browser
  let alice
  let bob
  let erin
  let team
  let planning
  let townSquare
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    const person = (username, first_name, last_name) =>
      h.newUser(anon, { username, email: `${username}@example.com`, password: PASSWORD, first_name, last_name })
    alice = await person('alice', 'Alice', 'Andersen')
    bob = await person('bob', 'Bob', 'Brown')
    erin = await person('erin', 'Erin', 'Evans')
    // alice makes the team, so she is its admin (restoring a channel needs that).
    team = await h.createTeam(alice, { name: TEAM, display_name: 'People' })
    for (const u of [bob, erin]) await h.addTeamMember(alice, team.id, u.id)
    townSquare = await h.channelByName(alice, team.id, 'town-square')
    planning = await h.createChannel(alice, team.id, { name: 'planning', display_name: 'Planning' })
    await h.addChannelMember(alice, planning.id, bob.id)
    // A direct message between bob and alice, for bob's sidebar.
    await bob.api.post('/api/v1/channels/direct', { user_id: alice.id })
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. a status with an expiry shows beside alice for bob, live, until she clears it', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(b.page, 'planning', 'Planning')
    await h.markNoReload(b.page)
    const post = await h.createPost(alice, planning.id, `Back in a bit ${rand()}`)
    const head = postById(b.page, post.id).locator('.post-head')
    await head.waitFor()
    const dmLink = sidebarSection(b.page, 'Direct messages').locator(tid('channel-link-@alice'))
    await dmLink.waitFor()
    assert.equal(await statusLabel(head), '', 'no status beside alice at first')

    await userMenu(a.page, 'set-status')
    const dialog = a.page.locator(tid('custom-status-dialog'))
    await dialog.waitFor()
    await h.checkAccessibility(a.page, 'the custom status dialog', { context: tid('custom-status-dialog') })
    await h.screenshot(a.page, 'custom-status.png')
    await dialog.locator(tid('status-suggestion')).filter({ hasText: 'Out for lunch' }).click()
    assert.equal(await dialog.locator(tid('status-text')).inputValue(), 'Out for lunch', 'the suggestion fills the text')
    assert.equal(await dialog.locator(tid('status-duration')).inputValue(), 'thirty_minutes', 'and its duration')
    await dialog.locator(tid('status-duration')).selectOption('one_hour')
    const setAt = Date.now()
    await dialog.locator(tid('status-save')).click()
    await dialog.waitFor({ state: 'hidden' })

    // The server holds it with its expiry, an hour from now.
    const saved = JSON.parse((await bob.api.get(`/api/v1/users/${alice.id}`)).props.customStatus)
    assert.equal(saved.emoji, 'sandwich')
    assert.equal(saved.duration, 'one_hour')
    const inMinutes = (Date.parse(saved.expires_at) - setAt) / 60_000
    assert.ok(inMinutes > 58 && inMinutes <= 60, `expires an hour from now (${inMinutes.toFixed(1)} min)`)

    // alice sees it on her own menu button...
    await h.waitFor(async () => (await statusLabel(a.page.locator(tid('user-menu')))).startsWith('Out for lunch'), {
      message: "alice's menu button shows her status",
    })
    // ...and bob beside her post and her direct message, without a reload.
    await h.waitFor(async () => /^Out for lunch · Until /.test(await statusLabel(head)), {
      message: "bob sees alice's status beside her post, with until when",
    })
    assert.equal(await head.locator(tid('custom-status-emoji')).innerText(), '🥪', 'the emoji is the sandwich')
    await h.waitFor(async () => (await statusLabel(dmLink)).startsWith('Out for lunch'), {
      message: "bob's direct message with alice shows her status",
    })

    // Cleared from the menu.
    await userMenu(a.page, 'clear-status')
    await h.waitFor(async () => (await statusLabel(head)) === '' && (await statusLabel(dmLink)) === '', {
      message: "alice's status is gone from bob's view",
    })
    assert.equal(await statusLabel(a.page.locator(tid('user-menu'))), '', 'and from her own menu button')
    assert.equal((await bob.api.get(`/api/v1/users/${alice.id}`)).props.customStatus, '', 'the server cleared it')
    await h.assertNotReloaded(b.page)

    // The recent statuses remember it.
    await userMenu(a.page, 'set-status')
    await dialog.locator(tid('status-recent')).filter({ hasText: 'Out for lunch' }).waitFor()
    await a.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  })

  test("b. a post author's profile: who, status, local time; Message opens the direct message", MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await bob.api.patch(`/api/v1/users/${bob.id}`, { position: 'Product designer', nickname: 'Bobby' })
    await bob.api.put('/api/v1/users/me/custom_status', { emoji: 'house', text: 'Working from home' })
    await openChannel(a.page, 'planning', 'Planning')
    // bob's page is open (his socket makes him online) and saved his time zone (UTC here).
    await openChannel(b.page, 'planning', 'Planning')
    await h.waitFor(async () => (await alice.api.get(`/api/v1/users/${bob.id}`)).timezone?.automaticTimezone === 'UTC', {
      message: "bob's browser saved his time zone",
    })
    const post = await h.createPost(bob, planning.id, `Mock-ups are ready ${rand()}`)
    const bobsPost = postById(a.page, post.id)
    await bobsPost.waitFor()

    const card = a.page.locator(tid('profile-popover'))
    const author = bobsPost.locator(tid('post-author'))
    await author.click()
    await card.waitFor()
    assert.equal(await card.locator(tid('profile-name')).innerText(), 'Bob Brown')
    assert.equal(await card.locator(tid('profile-username')).innerText(), '@bob')
    await h.waitFor(async () => (await card.locator(tid('profile-position')).innerText()) === 'Product designer', {
      message: 'the card shows his position (user_updated)',
    })
    assert.equal(await card.locator(tid('profile-nickname')).innerText(), 'Bobby')
    await h.waitFor(async () => (await h.textOf(card.locator(tid('profile-custom-status')))).includes('Working from home'), {
      message: 'the card shows his custom status',
    })
    await h.waitFor(async () => (await h.textOf(card.locator(tid('profile-presence')))) === 'Online', {
      message: 'the card shows him online',
    })
    assert.match(await card.locator(tid('profile-local-time')).innerText(), /^\d{1,2}:\d{2}\s?[AP]M \(UTC\)$/, 'his local time')
    assert.ok(await card.evaluate((el) => el.contains(document.activeElement)), 'the card takes the focus')
    await h.checkAccessibility(a.page, 'the profile card', { context: tid('profile-popover') })
    await h.screenshot(a.page, 'profile-card.png')

    // Escape closes it and gives the focus back to the name.
    await a.page.keyboard.press('Escape')
    await card.waitFor({ state: 'hidden' })
    assert.ok(await author.evaluate((el) => el === document.activeElement), 'the focus is back on the name')

    // The avatar opens it too; a click elsewhere closes it.
    await bobsPost.locator(tid('post-avatar')).click()
    await card.waitFor()
    await a.page.locator(tid('channel-header')).click({ position: { x: 600, y: 10 } })
    await card.waitFor({ state: 'hidden' })

    // An @mention opens the card of who it names.
    const mention = await h.createPost(alice, planning.id, `Thanks @erin for the review ${rand()}`)
    await postById(a.page, mention.id).locator('.mention[data-mention="erin"]').click()
    await card.waitFor()
    await h.waitFor(async () => (await h.textOf(card.locator(tid('profile-username')))) === '@erin', {
      message: "the mention opens erin's card",
    })
    await a.page.keyboard.press('Escape')
    await card.waitFor({ state: 'hidden' })

    // Message: the direct message with bob opens.
    await author.click()
    await card.locator(tid('profile-message')).click()
    await a.page.waitForURL((u) => u.pathname === `/${TEAM}/messages/@bob`)
    await headerShows(a.page, 'bob')
    await card.waitFor({ state: 'hidden' })
    const text = `About the mock-ups ${rand()}`
    await a.page.locator(tid('composer-input')).fill(text)
    await a.page.locator(tid('composer-input')).press('Enter')
    await waitForPost(a.page, text)
    await bob.api.delete('/api/v1/users/me/custom_status')
  })

  test('c. a channel renamed with a header: the address follows, for the other member too', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    const suffix = rand()
    const ops = await h.createChannel(alice, team.id, { name: `ops-${suffix}`, display_name: `Ops ${suffix}` })
    await h.addChannelMember(alice, ops.id, bob.id)
    await a.page.locator(tid(`channel-link-${ops.name}`)).waitFor()
    await openChannel(a.page, ops.name, ops.display_name)
    await b.page.locator(tid(`channel-link-${ops.name}`)).waitFor()
    await openChannel(b.page, ops.name, ops.display_name)

    await channelMenu(a.page, 'channel-menu-edit')
    const dialog = a.page.locator(tid('channel-edit-dialog'))
    await dialog.waitFor()
    // A URL taken by another channel: the server's refusal shows in the dialog.
    await dialog.locator('input[name=name]').fill('planning')
    await dialog.locator(tid('channel-edit-save')).click()
    await h.waitFor(async () => (await h.textOf(dialog.locator('[role=alert]'))).trim().length > 0, {
      message: 'the dialog shows why the URL was refused',
    })
    assert.ok(await dialog.isVisible(), 'the dialog stays open')

    const renamed = { name: `operations-${suffix}`, displayName: `Operations ${suffix}` }
    const header = `Runbooks are in the wiki ${rand()}`
    await dialog.locator('input[name=display_name]').fill(renamed.displayName)
    await dialog.locator('input[name=name]').fill(renamed.name)
    await dialog.locator('textarea[name=header]').fill(header)
    await h.checkAccessibility(a.page, 'the channel edit dialog', { context: tid('channel-edit-dialog') })
    await dialog.locator(tid('channel-edit-save')).click()
    await dialog.waitFor({ state: 'hidden' })
    await a.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/${renamed.name}`)
    await headerShows(a.page, renamed.displayName)
    await headerShows(a.page, header)

    // bob, who has it open, follows: new name, header, address and sidebar entry.
    await headerShows(b.page, renamed.displayName)
    await headerShows(b.page, header)
    await b.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/${renamed.name}`)
    await b.page.locator(tid(`channel-link-${renamed.name}`)).waitFor()
    const stored = await h.channelByName(alice, team.id, renamed.name)
    assert.equal(stored.header, header)
    assert.equal(stored.display_name, renamed.displayName)
  })

  test('d. a muted channel is dimmed and not bold for new messages; only mentions count', MINUTE, async () => {
    const b = await session(bob)
    const suffix = rand()
    const quiet = await h.createChannel(alice, team.id, { name: `chatter-${suffix}`, display_name: `Chatter ${suffix}` })
    await h.addChannelMember(alice, quiet.id, bob.id)
    const link = b.page.locator(tid(`channel-link-${quiet.name}`))
    const planningLink = b.page.locator(tid('channel-link-planning'))
    await link.waitFor()
    await openChannel(b.page, quiet.name, quiet.display_name)

    await channelMenu(b.page, 'channel-menu-mute')
    await h.waitFor(async () => (await link.getAttribute('data-muted')) === 'true', { message: 'the channel is muted' })
    assert.match((await link.getAttribute('class')) ?? '', /\bmuted\b/, 'its sidebar entry is dimmed')
    const member = await bob.api.get(`/api/v1/channels/${quiet.id}/members/me`)
    assert.equal(member.notify_props.mark_unread, 'mention', 'the server has it muted')

    // bob reads elsewhere; alice writes in the muted channel, then in planning.
    await openChannel(b.page, 'town-square', 'Town Square')
    await h.createPost(alice, quiet.id, `Anyone for coffee? ${rand()}`)
    await h.createPost(alice, planning.id, `Roadmap draft ${rand()}`)
    // Events come in order: once planning is unread, the muted channel's post was seen too.
    await h.waitFor(async () => (await planningLink.getAttribute('data-unread')) === 'true', {
      message: 'planning turns unread for bob',
    })
    assert.equal(await link.getAttribute('data-unread'), 'false', 'the muted channel is not bold for a new message')
    const weight = await link.evaluate((el) => getComputedStyle(el).fontWeight)
    assert.ok(Number(weight) < 600, `the muted channel's name is not bold (font-weight ${weight})`)

    // A mention still counts.
    await h.createPost(alice, quiet.id, `@bob can you look at this? ${rand()}`)
    await h.waitFor(async () => (await h.textOf(link.locator(tid('mention-badge')))).trim() === '1', {
      message: 'a mention in the muted channel shows its badge',
    })

    // Unmuted (from its menu), the unread messages count again.
    await openChannel(b.page, quiet.name, quiet.display_name)
    await channelMenu(b.page, 'channel-menu-mute')
    await h.waitFor(async () => (await link.getAttribute('data-muted')) === null, { message: 'unmuted' })
    await h.createPost(alice, quiet.id, `Coffee is ready ${rand()}`)
    await openChannel(b.page, 'town-square', 'Town Square')
    await h.createPost(alice, quiet.id, `Last call ${rand()}`)
    await h.waitFor(async () => (await link.getAttribute('data-unread')) === 'true', {
      message: 'unmuted, a new message makes it bold again',
    })
  })

  test('e. notification preferences send only what changed; another tab sees the change', MINUTE, async () => {
    const b = await session(bob)
    await openChannel(b.page, 'planning', 'Planning')
    const before = await bob.api.get(`/api/v1/channels/${planning.id}/members/me`)
    await channelMenu(b.page, 'channel-menu-notifications')
    const dialog = b.page.locator(tid('channel-notifications-dialog'))
    await dialog.waitFor()
    await h.checkAccessibility(b.page, 'the notification preferences dialog', { context: tid('channel-notifications-dialog') })
    await h.screenshot(b.page, 'channel-notifications.png')
    await h.waitFor(async () => !(await dialog.locator(tid('notify-save')).isDisabled()), { message: 'the settings loaded' })
    await dialog.locator(tid('notify-desktop')).selectOption('none')
    const sent = b.page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/channels/${planning.id}/members/me/notify_props`))
    await dialog.locator(tid('notify-save')).click()
    assert.deepEqual((await sent).postDataJSON(), { desktop: 'none' }, 'only the changed setting is sent')
    await dialog.waitFor({ state: 'hidden' })
    const after = await bob.api.get(`/api/v1/channels/${planning.id}/members/me`)
    assert.equal(after.notify_props.desktop, 'none')
    assert.equal(after.notify_props.push ?? 'default', before.notify_props.push ?? 'default', 'push is unchanged')

    // Muted from another session: the open page hears of it (channel_member_updated).
    const link = b.page.locator(tid('channel-link-planning'))
    await bob.api.patch(`/api/v1/channels/${planning.id}/members/me/notify_props`, { mark_unread: 'mention' })
    await h.waitFor(async () => (await link.getAttribute('data-muted')) === 'true', { message: 'muted from elsewhere' })
    await bob.api.patch(`/api/v1/channels/${planning.id}/members/me/notify_props`, { mark_unread: 'all', desktop: 'default' })
    await h.waitFor(async () => (await link.getAttribute('data-muted')) === null, { message: 'unmuted from elsewhere' })
  })

  test('f. archived, a channel is read-only for everyone; restored, it takes posts again', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    const suffix = rand()
    const old = await h.createChannel(alice, team.id, { name: `legacy-${suffix}`, display_name: `Legacy ${suffix}` })
    await h.addChannelMember(alice, old.id, bob.id)
    await h.createPost(alice, old.id, `Notes from the old project ${suffix}`)
    for (const page of [a.page, b.page]) {
      await page.locator(tid(`channel-link-${old.name}`)).waitFor()
      await openChannel(page, old.name, old.display_name)
    }

    await channelMenu(a.page, 'channel-menu-archive')
    const confirm = a.page.locator(tid('archive-channel-dialog'))
    await confirm.waitFor()
    await confirm.locator(tid('confirm-ok')).click()
    await confirm.waitFor({ state: 'hidden' })
    for (const [who, page] of [
      ['alice', a.page],
      ['bob', b.page],
    ]) {
      await page.locator(tid('archived-notice')).waitFor()
      assert.equal(await page.locator(tid('composer-input')).count(), 0, `${who} has no composer in the archived channel`)
      await waitForPost(page, `Notes from the old project ${suffix}`)
    }
    assert.ok((await h.channelByName(alice, team.id, old.name)).delete_at > 0, 'the server archived it')

    // Gone from bob's sidebar once he looks elsewhere.
    await b.page.locator(tid('channel-link-town-square')).click()
    await b.page.locator(tid(`channel-link-${old.name}`)).waitFor({ state: 'detached' })

    await channelMenu(a.page, 'channel-menu-restore')
    await a.page.locator(tid('archived-notice')).waitFor({ state: 'detached' })
    const text = `We are back ${rand()}`
    await a.page.locator(tid('composer-input')).fill(text)
    await a.page.locator(tid('composer-input')).press('Enter')
    await waitForPost(a.page, text)
    await b.page.locator(tid(`channel-link-${old.name}`)).waitFor()

    // The default channel cannot be archived: the server says why.
    await openChannel(a.page, 'town-square', 'Town Square')
    await channelMenu(a.page, 'channel-menu-archive')
    await confirm.waitFor()
    await confirm.locator(tid('confirm-ok')).click()
    await h.waitFor(async () => /default channel/i.test(await h.textOf(confirm.locator('[role=alert]'))), {
      message: "the dialog shows the server's refusal",
    })
    await a.page.keyboard.press('Escape')
    await confirm.waitFor({ state: 'hidden' })
    assert.equal((await h.channelByName(alice, team.id, 'town-square')).delete_at, 0, 'town square stays')
  })

  test('g. leaving a channel goes to town square and drops it from the sidebar', MINUTE, async () => {
    const b = await session(bob)
    const suffix = rand()
    const side = await h.createChannel(alice, team.id, { name: `side-${suffix}`, display_name: `Side ${suffix}` })
    await h.addChannelMember(alice, side.id, bob.id)
    const link = b.page.locator(tid(`channel-link-${side.name}`))
    await link.waitFor()
    await openChannel(b.page, side.name, side.display_name)
    await channelMenu(b.page, 'channel-menu-leave')
    await b.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/town-square`)
    await headerShows(b.page, 'Town Square')
    await link.waitFor({ state: 'detached' })
    const members = await alice.api.get(`/api/v1/channels/${side.id}/members`)
    const ids = (members.items ?? members).map((m) => m.user_id)
    assert.ok(!ids.includes(bob.id), 'bob is no longer a member')
    // Town square offers no way out.
    await b.page.locator(tid('channel-menu')).click()
    assert.equal(await b.page.locator(tid('channel-menu-leave')).count(), 0, 'no "Leave" in town square')
    await b.page.keyboard.press('Escape')
    assert.equal(townSquare.name, 'town-square')
  })
})
