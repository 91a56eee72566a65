// More flows of the web app in a real browser against a real server: the
// composer's autocomplete and its pasted and dropped files, direct and group
// messages, favourites, creating and browsing channels, logging out, the
// profile settings and deleting a post. Users alice, bob and erin, seeded
// over the native API, each in their own browser context.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings. Each test
// makes the channels and posts it needs, so they also run on their own
// (`npm run e2e -- e2e/workspace.e2e.mjs --test-name-pattern=favourite`).

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import {
  flowSuite,
  openChannel as openTeamChannel,
  postAction,
  postById,
  postsIn,
  rand,
  sidebarSection,
  userMenu,
  waitForPost,
} from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'e2e'
const MINUTE = { timeout: 60_000 }

/** Opens a channel of the team from the sidebar (no reload) and waits for its view. */
const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** The header's text includes `text`, polled. */
const headerShows = (page, text) =>
  h.waitFor(async () => (await h.textOf(page.locator(tid('channel-header')))).includes(text), {
    message: `the channel header shows "${text}"`,
  })

/** The `v=` query of an image's src (the picture's version). */
const pictureVersion = (src) => new URL(src ?? '', 'http://x').searchParams.get('v')

/** Saves the open settings dialog and waits for its confirmation, then closes it. */
async function saveSettings(page, confirmation) {
  const dialog = page.locator(tid('settings-dialog'))
  await dialog.locator(tid('settings-save')).click()
  await h.waitFor(
    async () => {
      const alert = (await h.textOf(dialog.locator('[role=alert]'))).trim()
      if (alert) throw new Error(`the settings dialog shows an error: ${alert}`)
      return (await h.textOf(dialog.locator('[role=status]'))).includes(confirmation)
    },
    { message: `the settings dialog confirms "${confirmation}"` },
  )
}

async function closeDialog(page, testid) {
  await page.keyboard.press('Escape')
  await page.locator(tid(testid)).waitFor({ state: 'hidden' })
}

describe('web app in a browser: composer, conversations, channels, account', () => {
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
    // The first user is a system admin; the others are ordinary users.
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    const person = (username, first_name, last_name) =>
      h.newUser(anon, { username, email: `${username}@example.com`, password: PASSWORD, first_name, last_name })
    alice = await person('alice', 'Alice', 'Andersen')
    bob = await person('bob', 'Bob', 'Brown')
    erin = await person('erin', 'Erin', 'Evans')
    team = await h.createTeam(alice, { name: TEAM, display_name: 'E2E' })
    for (const u of [bob, erin]) await h.addTeamMember(alice, team.id, u.id)
    townSquare = await h.channelByName(alice, team.id, 'town-square')
    // Tests that create channels keep "pla" and "bo" out of their names, for
    // the autocomplete test to have one suggestion each.
    planning = await h.createChannel(alice, team.id, { name: 'planning', display_name: 'Planning' })
    await h.addChannelMember(alice, planning.id, bob.id)
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('k. @mention and ~channel autocomplete in the composer; mentions are highlighted', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'planning', 'Planning')
    await openChannel(b.page, 'planning', 'Planning')

    const composer = a.page.locator(tid('composer-input'))
    const suggestions = a.page.locator(tid('autocomplete'))
    const item = (label) => suggestions.locator(tid('autocomplete-item')).filter({ hasText: label })
    await composer.click()

    await composer.pressSequentially('Ping @bo', { delay: 20 })
    await item('@bob').waitFor()
    assert.equal(await item('@bob').getAttribute('aria-selected'), 'true', '@bob is the selected suggestion')
    await composer.press('Tab')
    await h.waitFor(async () => (await composer.inputValue()) === 'Ping @bob ', {
      message: 'Tab completes "@bo" to "@bob "',
    })
    await suggestions.waitFor({ state: 'hidden' })
    assert.ok(await composer.evaluate((el) => el === document.activeElement), 'the composer keeps the focus after Tab')

    await composer.pressSequentially('see ~pla', { delay: 20 })
    await item('~planning').waitFor()
    assert.equal(await item('~planning').getAttribute('aria-selected'), 'true', '~planning is the selected suggestion')
    await composer.press('Enter')
    await h.waitFor(async () => (await composer.inputValue()) === 'Ping @bob see ~planning ', {
      message: 'Enter completes "~pla" to "~planning " (and does not send)',
    })
    await suggestions.waitFor({ state: 'hidden' })

    const marker = rand()
    await composer.pressSequentially(`today ${marker}`, { delay: 5 })
    await composer.press('Enter')
    await h.waitFor(async () => (await composer.inputValue()) === '', { message: 'the composer is emptied on send' })

    const bobs = await waitForPost(b.page, marker)
    const mention = bobs.locator(`${tid('post-message')} .mention`)
    await mention.first().waitFor()
    assert.equal((await mention.first().innerText()).trim(), '@bob', 'bob sees the mention of @bob')
    assert.match(
      (await mention.first().getAttribute('class')) ?? '',
      /\bmention--me\b/,
      'for bob, his own mention is highlighted (mention--me)',
    )
    const alices = await waitForPost(a.page, marker)
    const herMention = alices.locator(`${tid('post-message')} .mention`).first()
    await herMention.waitFor()
    assert.doesNotMatch(
      (await herMention.getAttribute('class')) ?? '',
      /\bmention--me\b/,
      'for alice, @bob is not her own mention',
    )
  })

  test('l. an image pasted into and a file dropped on the composer reach the other user', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    const composer = a.page.locator(tid('composer-input'))
    const pending = a.page.locator(tid('pending-file'))
    const done = a.page.locator(`${tid('pending-file')}[data-state="done"]`)

    // Paste: a PNG on the clipboard, as a screenshot tool puts it there.
    await composer.evaluate((el, bytes) => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }))
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }, [...h.makePng(24, 12)])
    await done.filter({ hasText: 'pasted.png' }).waitFor()
    const caption = `A pasted screenshot ${rand()}`
    await composer.fill(caption)
    await composer.press('Enter')
    await pending.first().waitFor({ state: 'hidden' })

    const withImage = await waitForPost(b.page, caption)
    const img = withImage.locator(`img${tid('attachment-image')}`).first()
    await img.waitFor()
    assert.equal(await img.getAttribute('alt'), 'pasted.png', 'the image keeps the pasted file name')
    await h.waitFor(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), {
      message: "bob's preview of the pasted image has loaded (naturalWidth > 0)",
    })

    // Drag and drop: a text file dropped anywhere on the channel view.
    const name = `notes-${rand()}.txt`
    const content = `Agenda\n1. budget\n2. hiring ${rand()}\n`
    const dataTransfer = await a.page.evaluateHandle(
      ({ name, content }) => {
        const dt = new DataTransfer()
        dt.items.add(new File([content], name, { type: 'text/plain' }))
        return dt
      },
      { name, content },
    )
    const view = a.page.locator('section.channel-view')
    await view.dispatchEvent('dragover', { dataTransfer })
    await a.page.locator('.drop-overlay').waitFor()
    await view.dispatchEvent('drop', { dataTransfer })
    await a.page.locator('.drop-overlay').waitFor({ state: 'hidden' })
    await done.filter({ hasText: name }).waitFor()
    const note = `The agenda for Monday ${rand()}`
    await composer.fill(note)
    await composer.press('Enter')

    const withFile = await waitForPost(b.page, note)
    const card = withFile.locator(tid('attachment')).filter({ hasText: name })
    await card.waitFor()
    assert.equal(await card.locator('img').count(), 0, 'a text file is shown as a card, not as an image')
    const href = await card.locator('a').first().getAttribute('href')
    assert.ok(href, 'the file card links to the file')
    const downloaded = await b.page.evaluate(async (url) => {
      const res = await fetch(url)
      return { status: res.status, text: await res.text() }
    }, href)
    assert.deepEqual(downloaded, { status: 200, text: content }, 'bob downloads the dropped file unchanged')
  })

  test("m. a direct and a group message appear in the recipient's sidebar with a mention badge", MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(b.page, 'town-square', 'Town Square')
    await h.markNoReload(b.page)

    /** Starts a conversation with `usernames` through the + Message dialog. */
    async function startConversation(usernames) {
      await a.page.locator(tid('new-dm')).click()
      const dialog = a.page.locator(tid('new-dm-dialog'))
      await dialog.waitFor()
      for (const username of usernames) {
        await dialog.locator('input[name=user-search]').fill(username)
        await dialog.locator(tid(`user-option-${username}`)).click()
        await dialog.locator('.chip', { hasText: `@${username}` }).waitFor()
      }
      await dialog.locator(tid('start-dm')).click()
      await dialog.waitFor({ state: 'hidden' })
    }

    async function send(text) {
      const composer = a.page.locator(tid('composer-input'))
      await composer.fill(text)
      await composer.press('Enter')
      await waitForPost(a.page, text)
    }

    // Direct message.
    await startConversation(['bob'])
    await a.page.waitForURL((u) => u.pathname === `/${TEAM}/messages/@bob`)
    await headerShows(a.page, 'bob')
    const direct = `Got a minute for a quick question? ${rand()}`
    await send(direct)

    const dmLink = sidebarSection(b.page, 'Direct messages').locator(tid('channel-link-@alice'))
    await dmLink.waitFor()
    await h.waitFor(async () => (await h.textOf(dmLink.locator(tid('mention-badge')))).trim() === '1', {
      message: "bob's sidebar shows the DM from alice with mention badge 1",
    })

    // Group message with bob and erin.
    await startConversation(['bob', 'erin'])
    await a.page.waitForURL((u) => u.pathname.startsWith(`/${TEAM}/channels/`))
    await headerShows(a.page, 'alice, bob, erin')
    const gmName = decodeURIComponent(new URL(a.page.url()).pathname.split('/').pop())
    const group = `Lunch on Friday, all three of us? ${rand()}`
    await send(group)

    const gmLink = sidebarSection(b.page, 'Direct messages').locator(tid(`channel-link-${gmName}`))
    await gmLink.waitFor()
    assert.match(await h.textOf(gmLink), /alice, bob, erin/, 'the group is named after its members')
    await h.waitFor(async () => (await h.textOf(gmLink.locator(tid('mention-badge')))).trim() === '1', {
      message: "bob's sidebar shows the group message with mention badge 1",
    })
    await h.assertNotReloaded(b.page)

    // Opening the DM shows the message and clears the badge.
    await dmLink.click()
    await b.page.waitForURL((u) => u.pathname === `/${TEAM}/messages/@alice`)
    await waitForPost(b.page, direct)
    await dmLink.locator(tid('mention-badge')).waitFor({ state: 'detached' })
  })

  test('n. a favourite channel moves to the Favorites section and stays there after a reload', MINUTE, async () => {
    const a = await session(alice)
    const suffix = rand()
    const name = `fav-${suffix}`
    const displayName = `Fav ${suffix}`
    await h.createChannel(alice, team.id, { name, display_name: displayName })

    const favorites = sidebarSection(a.page, 'Favorites')
    const channels = sidebarSection(a.page, 'Channels')
    // The new channel reaches the sidebar live (channel_created).
    await channels.locator(tid(`channel-link-${name}`)).waitFor()
    await openChannel(a.page, name, displayName)

    const star = a.page.locator(tid('toggle-favorite'))
    assert.equal(await star.getAttribute('aria-pressed'), 'false', 'a new channel is no favourite')
    await star.click()
    await favorites.locator(tid(`channel-link-${name}`)).waitFor()
    assert.equal(await channels.locator(tid(`channel-link-${name}`)).count(), 0, 'it left the Channels section')
    assert.equal(await star.getAttribute('aria-pressed'), 'true', 'the star is pressed')

    await a.page.reload()
    await favorites.locator(tid(`channel-link-${name}`)).waitFor()
    assert.equal(await channels.locator(tid(`channel-link-${name}`)).count(), 0, 'reloaded, not under Channels')
    await headerShows(a.page, displayName)
    await h.waitFor(async () => (await star.getAttribute('aria-pressed')) === 'true', {
      message: 'after a reload, the star is still pressed',
    })

    // And back.
    await star.click()
    await channels.locator(tid(`channel-link-${name}`)).waitFor()
    assert.equal(await favorites.locator(tid(`channel-link-${name}`)).count(), 0, 'unstarred, it left Favorites')
  })

  test('o. a private channel is hidden from browsing; a public one can be joined', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    const suffix = rand()
    const hidden = { name: `hush-${suffix}`, displayName: `Hush ${suffix}` }
    const open = { name: `open-${suffix}`, displayName: `Open ${suffix}` }

    for (const [channel, isPrivate] of [
      [hidden, true],
      [open, false],
    ]) {
      await a.page.locator(tid('create-channel')).click()
      const dialog = a.page.locator(tid('create-channel-dialog'))
      await dialog.locator('input[name=display_name]').fill(channel.displayName)
      await dialog.locator('input[name=private]').setChecked(isPrivate)
      await dialog.locator('button[type=submit]').click()
      await dialog.waitFor({ state: 'hidden' })
      await a.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/${channel.name}`)
      await headerShows(a.page, channel.displayName)
      await a.page.locator(tid(`channel-link-${channel.name}`)).waitFor()
    }
    const privateChannel = await h.channelByName(alice, team.id, hidden.name)
    assert.equal(privateChannel.type, 'P', 'the "private" box made a private channel')
    assert.equal((await h.channelByName(alice, team.id, open.name)).type, 'O', 'without it, a public one')

    await b.page.locator(tid('browse-channels')).click()
    const dialog = b.page.locator(tid('browse-channels-dialog'))
    const join = dialog.locator(tid(`join-channel-${open.name}`))
    await join.waitFor()
    assert.equal(await dialog.locator(tid(`join-channel-${hidden.name}`)).count(), 0, 'bob cannot join the private one')
    assert.ok(!(await h.textOf(dialog)).includes(hidden.displayName), 'the private channel is not listed for bob')

    await join.click()
    await dialog.waitFor({ state: 'hidden' })
    await b.page.waitForURL((u) => u.pathname === `/${TEAM}/channels/${open.name}`)
    await headerShows(b.page, open.displayName)
    await b.page.locator(tid('post-list')).waitFor()
    await sidebarSection(b.page, 'Channels').locator(tid(`channel-link-${open.name}`)).waitFor()
  })

  test('p. logging out ends the session: back to /login, the token and cookie are gone', MINUTE, async () => {
    // A context of its own: the shared session of alice stays logged in.
    const context = await h.newContext(browser, server.url)
    try {
      const page = await context.newPage()
      h.trackErrors(page, 'alice (logout)')
      await h.loginUI(page, alice)
      await page.locator(tid('channel-header')).waitFor()
      const channelUrl = page.url()
      const token = await page.evaluate(() => localStorage.getItem('rustchat.token'))
      assert.ok(token, 'logged in, the app holds a token')
      const sessionCookie = async () => (await context.cookies()).find((c) => c.name === 'RUSTCHAT_TOKEN' && c.value)
      assert.ok(await sessionCookie(), 'logged in, the browser holds the session cookie')

      await userMenu(page, 'logout')
      await page.waitForURL((u) => u.pathname === '/login')
      await page.locator('input[name=login]').waitFor()
      assert.equal(await page.evaluate(() => localStorage.getItem('rustchat.token')), null, 'the token is forgotten')
      assert.equal(await sessionCookie(), undefined, 'the session cookie is cleared')
      const status = await page.evaluate(async (old) => {
        const plain = await fetch('/api/v1/users/me')
        const bearer = await fetch('/api/v1/users/me', { headers: { authorization: `Bearer ${old}` } })
        return { plain: plain.status, bearer: bearer.status }
      }, token)
      assert.deepEqual(status, { plain: 401, bearer: 401 }, 'GET /users/me answers 401, even with the old token')

      await page.goto(channelUrl)
      await page.waitForURL((u) => u.pathname === '/login')
      const redirect = new URL(page.url()).searchParams.get('redirect')
      assert.equal(redirect, new URL(channelUrl).pathname, 'the login page returns to the channel afterwards')
    } finally {
      await context.close()
    }
  })

  test('p2. after logging out, the next user of the tab sees only their own channels', MINUTE, async () => {
    const secret = await h.createChannel(alice, team.id, {
      name: `diary-${rand()}`,
      display_name: 'Diary of alice',
      type: 'P',
    })
    await h.createPost(alice, secret.id, 'Dear diary, nobody else reads this.')
    const context = await h.newContext(browser, server.url)
    try {
      const page = await context.newPage()
      h.trackErrors(page, 'alice then erin')
      await h.loginUI(page, alice)
      await page.locator(tid(`channel-link-${secret.name}`)).click()
      await waitForPost(page, 'Dear diary')

      await userMenu(page, 'logout')
      await page.waitForURL((u) => u.pathname === '/login')
      // erin logs in on the same tab, without a reload in between.
      await page.locator('input[name=login]').fill(erin.username)
      await page.locator('input[name=password]').fill(PASSWORD)
      await page.locator('button[type=submit]').click()
      await page.waitForURL((u) => u.pathname.startsWith(`/${TEAM}/channels/`))
      await page.locator(tid('channel-link-town-square')).waitFor()
      await h.waitFor(
        async () => (await page.locator(tid('user-menu')).innerText()).includes(erin.username),
        { message: 'the top bar shows erin' },
      )
      // Give a (wrong) stale sidebar a moment to show, then look.
      await page.waitForTimeout(500)
      const links = await page.locator(`${tid('sidebar')} a.channel-link`).evaluateAll((els) =>
        els.map((el) => el.getAttribute('data-testid')),
      )
      assert.ok(
        !links.includes(`channel-link-${secret.name}`) && !links.includes('channel-link-planning'),
        `APP BUG: after alice logs out and erin logs in on the same tab, erin's sidebar still lists alice's ` +
          `channels (private "${secret.name}", "planning" which erin is not in): ${JSON.stringify(links)}. ` +
          'Logging out keeps the previous user\'s stores (channels, teams, messages, users).',
      )
      // In the app (no reload, which would empty any cache): the private channel's URL.
      await page.evaluate((url) => {
        history.pushState({}, '', url)
        dispatchEvent(new PopStateEvent('popstate', { state: history.state }))
      }, `/${TEAM}/channels/${secret.name}`)
      await page.waitForURL((u) => u.pathname === `/${TEAM}/channels/${secret.name}`)
      await page.locator(tid('channel-header')).or(page.getByText('This channel does not exist')).first().waitFor()
      assert.equal(
        await postsIn(page).filter({ hasText: 'Dear diary' }).count(),
        0,
        "APP BUG: erin can read alice's private channel from the previous session's cache",
      )
    } finally {
      await context.close()
    }
  })

  test('q. a new first name and picture reach the other user without a reload', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'planning', 'Planning')
    await openChannel(b.page, 'planning', 'Planning')
    await h.markNoReload(b.page)
    const newFirst = `Alicia${rand(3)}`
    try {
      // bob posts first, so alice's post starts a group and shows her name.
      await h.createPost(bob, planning.id, `Who wrote the minutes? ${rand()}`)
      const earlier = await h.createPost(alice, planning.id, `I did, they are in the wiki ${rand()}`)
      const earlierHead = postById(b.page, earlier.id).locator('.post-head')
      await h.waitFor(async () => (await h.textOf(earlierHead)).includes('Alice Andersen'), {
        message: "bob sees alice's post under her full name",
      })

      await userMenu(a.page, 'open-settings')
      await a.page.locator(`${tid('settings-dialog')} input[name=first_name]`).fill(newFirst)
      await saveSettings(a.page, 'Saved.')
      await closeDialog(a.page, 'settings-dialog')

      // The post bob already has is renamed by the user_updated event...
      await h.waitFor(async () => (await h.textOf(earlierHead)).includes(`${newFirst} Andersen`), {
        message: `bob sees alice's earlier post under "${newFirst} Andersen" (user_updated)`,
      })
      // ...and so is her next one.
      await h.createPost(bob, planning.id, `Thanks! ${rand()}`)
      const next = await h.createPost(alice, planning.id, `You are welcome ${rand()}`)
      const nextHead = postById(b.page, next.id).locator('.post-head')
      await h.waitFor(
        async () => {
          const head = await h.textOf(nextHead)
          return head.includes('alice') && head.includes(`${newFirst} Andersen`)
        },
        { message: `bob sees alice's next post as "alice ${newFirst} Andersen"` },
      )

      // A new picture.
      const topbarAvatar = a.page.locator(`${tid('user-menu')} img.avatar`)
      const bobsAvatar = postById(b.page, next.id).locator('img.avatar')
      const before = { mine: await topbarAvatar.getAttribute('src'), bobs: await bobsAvatar.getAttribute('src') }
      await userMenu(a.page, 'open-settings')
      await a.page.locator(tid('avatar-input')).setInputFiles({
        name: 'me.png',
        mimeType: 'image/png',
        buffer: h.makePng(48, 48),
      })
      const status = a.page.locator(`${tid('settings-dialog')} [role=status]`)
      await h.waitFor(async () => (await h.textOf(status)).includes('Picture updated'), {
        message: 'the settings dialog confirms the new picture',
      })
      await closeDialog(a.page, 'settings-dialog')
      await h.waitFor(
        async () => pictureVersion(await topbarAvatar.getAttribute('src')) !== pictureVersion(before.mine),
        { message: `alice's own avatar gets a new v= (was ${before.mine})` },
      )
      await h.waitFor(
        async () => pictureVersion(await bobsAvatar.getAttribute('src')) !== pictureVersion(before.bobs),
        { message: `bob's view of alice's avatar gets a new v= (was ${before.bobs})` },
      )
      await h.waitFor(() => bobsAvatar.evaluate((el) => el.complete && el.naturalWidth > 0), {
        message: "alice's new picture loads in bob's view",
      })
      await h.assertNotReloaded(b.page)
    } finally {
      await alice.api.patch(`/api/v1/users/${alice.id}`, { first_name: 'Alice' }).catch(() => {})
    }
  })

  test('r. a deleted post shows as "(message deleted)" for the other user', MINUTE, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    const text = `Oops, wrong channel ${rand()}`
    const post = await h.createPost(alice, townSquare.id, text)
    const alices = postById(a.page, post.id)
    const bobs = postById(b.page, post.id)
    await alices.waitFor()
    await bobs.waitFor()

    // Cancelling the confirmation keeps the post.
    a.page.once('dialog', (d) => void d.dismiss())
    await postAction(alices, 'post-delete')
    await a.page.waitForTimeout(300)
    assert.ok((await h.textOf(alices)).includes(text), 'cancelling the confirmation keeps the post')

    let question = ''
    a.page.once('dialog', (d) => {
      question = d.message()
      void d.accept()
    })
    await postAction(alices, 'post-delete')
    for (const [who, p] of [
      ['bob', bobs],
      ['alice', alices],
    ]) {
      await h.waitFor(async () => (await h.textOf(p.locator(tid('post-message')))).includes('(message deleted)'), {
        message: `${who} sees "(message deleted)" in place of the post`,
      })
      assert.ok(!(await h.textOf(p)).includes(text), `${who} no longer sees the text`)
    }
    assert.match(question, /delete/i, 'the confirmation asks about deleting')
  })
})
