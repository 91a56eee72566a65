// The web app's main flows in a real browser against a real server: two
// users (alice and bob) in their own browser contexts, seeded over the
// native API, driving the UI through its data-testid contract.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, openChannel as openTeamChannel, postAction, postById, postsIn, rand, userMenu, waitForPost } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'e2e'

/** A word of letters only, unique enough to search for. */
const uniqueWord = () =>
  'zq' + Array.from({ length: 10 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')

// ------------------------------------------------------------ page helpers

/** Opens a channel of the team from the sidebar (no reload) and waits for its view. */
const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** Before a screenshot: no hover or focus toolbars, animations done. */
async function settle(page) {
  await page.mouse.move(1, 1)
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur())
  await page.waitForTimeout(300)
}

async function setTheme(page, theme) {
  await userMenu(page, 'open-settings')
  const select = page.locator('select[name=theme]')
  await select.selectOption(theme)
  await page.locator(tid('settings-save')).click()
  // The dialog may close on saving, or stay open and confirm (role=status).
  const dialog = page.locator('[role=dialog]').filter({ has: select })
  const outcome = await h.waitFor(
    async () => {
      if (!(await select.isVisible())) return 'closed'
      const alert = await h.textOf(dialog.locator('[role=alert]'))
      if (alert.trim()) return `error: ${alert.trim()}`
      return (await dialog.locator('[role=status]').count()) > 0 ? 'saved' : false
    },
    { timeout: 5000, message: 'the settings are saved' },
  ).catch(() => 'unknown')
  if (outcome.startsWith('error')) throw new Error(`saving the ${theme} theme failed: ${outcome}`)
  if (await select.isVisible()) {
    await page.keyboard.press('Escape')
    await select.waitFor({ state: 'hidden' })
  }
}

// ------------------------------------------------------------ seeding

const CHATTER = [
  'Morning! Coffee machine on the 3rd floor is fixed.',
  'Standup in 5 minutes, same link as yesterday.',
  'I pushed the migration branch, reviews welcome.',
  'CI is green again after the flaky upload test got fixed.',
  'Can someone look at the login redirect bug? It only happens on Safari.',
  'Lunch order closes at 11:30.',
  'Reminder: design review on Thursday.',
  'The staging database was restored from last night\'s backup.',
  'Load test results are in the benchmarks doc.',
  'Who owns the notification settings page?',
  'Pairing on the search indexer this afternoon if anyone wants to join.',
  'Docs for the new API endpoints are up for review.',
]

/**
 * Seeds channel "busy": 150 posts by four users, some with reactions, a code
 * block and a thread with replies near the end (what the screenshots show).
 */
async function seedBusyChannel(team, users) {
  const [alice, bob, erin, farid] = users
  const channel = await h.createChannel(alice, team.id, { name: 'busy', display_name: 'Busy Channel' })
  for (const u of [bob, erin, farid]) await h.addChannelMember(alice, channel.id, u.id)

  const posts = []
  const say = async (user, message, extra) => {
    const p = await h.createPost(user, channel.id, message, extra)
    if (!extra?.root_id) posts.push(p)
    return p
  }
  const first = await say(alice, 'Welcome to the busy channel: this is where it all begins.')
  // Filler first, so the newest posts (what the screenshots show) are the crafted ones.
  for (let i = 1; posts.length < 144; i++) {
    const p = await say(users[i % users.length], `${CHATTER[i % CHATTER.length]} (day ${1 + Math.floor(i / 12)})`)
    if (i % 17 === 0) await h.addReaction(users[(i + 1) % users.length], p.id, '+1')
  }
  await say(erin, 'Release 1.2 goes out tomorrow. Changelog draft is in the wiki.')
  const code = await say(
    bob,
    'The retry helper we talked about:\n\n```rust\nasync fn with_retry<T>(mut f: impl FnMut() -> Fut<T>) -> Result<T> {\n    for attempt in 0..3 {\n        match f().await {\n            Ok(v) => return Ok(v),\n            Err(e) if attempt < 2 => tracing::warn!(%e, "retrying"),\n            Err(e) => return Err(e),\n        }\n    }\n    unreachable!()\n}\n```',
  )
  await h.addReaction(alice, code.id, 'heart')
  await h.addReaction(farid, code.id, '+1')
  const root = await say(alice, 'Release checklist for 1.2: reply here with the status of your part.')
  const replies = [
    [bob, 'Server: migrations tested on a copy of production, all good.'],
    [erin, 'Web app: bundle size is down 12%, screenshots updated.'],
    [farid, 'Mobile: push notifications verified on both platforms.'],
    [bob, 'Docs: upgrade notes written, waiting for one review.'],
    [alice, 'Thanks all, tagging the release candidate now.'],
  ]
  for (const [user, message] of replies) await say(user, message, { root_id: root.id })
  await h.addReaction(erin, root.id, '+1')
  await h.addReaction(bob, root.id, '+1')
  await say(farid, 'Nice work everyone :tada:')
  await say(erin, 'Release notes are published.')
  const last = await say(bob, 'I will keep an eye on the error dashboards tonight.')
  return { channel, first, root, replies: replies.length, last, posts: posts.length }
}

// ------------------------------------------------------------ the suite

describe('web app in a browser', () => {
  let server
  let browser
  let alice
  let bob
  let erin
  let farid
  let team
  let planning
  let townSquare
  let busy
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    // The first user is a system admin; alice and bob are ordinary users.
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    alice = await h.newUser(anon, {
      username: 'alice',
      email: 'alice@example.com',
      password: PASSWORD,
      first_name: 'Alice',
      last_name: 'Andersen',
    })
    bob = await h.newUser(anon, {
      username: 'bob',
      email: 'bob@example.com',
      password: PASSWORD,
      first_name: 'Bob',
      last_name: 'Brown',
    })
    erin = await h.newUser(anon, {
      username: 'erin',
      email: 'erin@example.com',
      password: PASSWORD,
      first_name: 'Erin',
      last_name: 'Evans',
    })
    farid = await h.newUser(anon, {
      username: 'farid',
      email: 'farid@example.com',
      password: PASSWORD,
      first_name: 'Farid',
      last_name: 'Farouk',
    })
    // Creating a team creates its town-square and off-topic; members join both.
    team = await h.createTeam(alice, { name: TEAM, display_name: 'E2E' })
    for (const u of [bob, erin, farid]) await h.addTeamMember(alice, team.id, u.id)
    townSquare = await h.channelByName(alice, team.id, 'town-square')
    planning = await h.createChannel(alice, team.id, { name: 'planning', display_name: 'Planning' })
    await h.addChannelMember(alice, planning.id, bob.id)
    busy = await seedBusyChannel(team, [alice, bob, erin, farid])
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. the login page renders and accepts a new user through sign-up', { timeout: 60_000 }, async () => {
    const context = await h.newContext(browser, server.url)
    const page = await context.newPage()
    h.trackErrors(page, 'carol')
    try {
      await page.goto('/login')
      await page.locator('input[name=login]').waitFor()
      await page.locator('input[name=password]').waitFor()
      await page.locator('button[type=submit]').waitFor()
      await h.screenshot(page, 'login.png')
      await h.checkAccessibility(page, 'the login page')

      await page.locator('a[href="/signup"]').click()
      await page.waitForURL((u) => u.pathname === '/signup')
      await page.locator('input[name=email]').fill('carol@example.com')
      await page.locator('input[name=username]').fill('carol')
      await page.locator('input[name=password]').fill(PASSWORD)
      await page.locator('button[type=submit]').click()

      // A new user has no team: the app offers to create one (and to join open ones).
      await page.waitForURL((u) => u.pathname === '/teams/new')
      await page.locator(tid(`join-team-${TEAM}`)).waitFor()
      await page.locator('input[name=display_name]').fill('Carol Crew')
      await page.locator('button[type=submit]').click()
      await page.waitForURL((u) => /^\/[^/]+\/channels\/[^/]+$/.test(u.pathname))
      await page.locator(tid('channel-header')).waitFor()

      const { token } = await new h.Api(server.url).post('/api/v1/auth/login', { login_id: 'carol', password: PASSWORD })
      const teams = await new h.Api(server.url, token).get('/api/v1/users/me/teams')
      const created = teams.find((t) => t.display_name === 'Carol Crew')
      assert.ok(created, `carol's new team exists (her teams: ${JSON.stringify(teams.map((t) => t.name))})`)
      assert.equal(new URL(page.url()).pathname.split('/')[1], created.name, 'the app shows the new team')
    } finally {
      await context.close()
    }
  })

  test('b. messages arrive live; Shift+Enter is a newline; typing shows', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    await h.markNoReload(b.page)
    // Both event sockets are up once a post reaches both pages.
    const hello = await h.createPost(bob, townSquare.id, `Good morning ${rand()}`)
    await postById(a.page, hello.id).waitFor()
    await postById(b.page, hello.id).waitFor()

    const composer = a.page.locator(tid('composer-input'))
    const line1 = `Hello Bob, the deploy went fine ${rand()}`
    const line2 = `and the second line ${rand()}`
    await composer.click()
    // Bob sees alice typing before she sends.
    const typing = composer.pressSequentially(line1, { delay: 60 })
    const seen = new Set()
    await h.waitFor(
      async () => {
        const text = (await h.textOf(b.page.locator(tid('typing-indicator')))).trim()
        if (text) seen.add(text)
        return /alice/i.test(text)
      },
      {
        message: () =>
          `bob sees "alice is typing" while she types (the indicator showed: ${JSON.stringify([...seen])})`,
      },
    )
    await typing

    const before = await postsIn(a.page).count()
    await composer.press('Shift+Enter')
    await composer.pressSequentially(line2, { delay: 10 })
    assert.equal(await composer.inputValue(), `${line1}\n${line2}`, 'Shift+Enter inserts a newline')
    assert.equal(await postsIn(a.page).count(), before, 'Shift+Enter does not send')

    await composer.press('Enter')
    await h.waitFor(async () => (await composer.inputValue()) === '', { message: 'the composer is emptied on send' })
    const post = await waitForPost(b.page, line2)
    const text = await post.locator(tid('post-message')).innerText()
    assert.ok(text.includes(line1) && text.includes(line2), `bob sees both lines, got: ${text}`)
    await waitForPost(a.page, line2)
    await h.assertNotReloaded(b.page)
  })

  test('c. unread and mention badges in the sidebar, cleared on opening', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const link = a.page.locator(tid('channel-link-planning'))
    const badge = link.locator(tid('mention-badge'))
    // Start from a read channel B, with alice in channel A.
    await openChannel(a.page, 'planning', 'Planning')
    await openChannel(a.page, 'town-square', 'Town Square')
    await h.waitFor(async () => (await link.getAttribute('data-unread')) !== 'true', {
      message: 'planning is read after visiting it',
    })

    await h.createPost(bob, planning.id, `Status update: the roadmap draft is ready ${rand()}`)
    await h.waitFor(async () => (await link.getAttribute('data-unread')) === 'true', {
      message: 'planning shows unread after bob posts there',
    })
    assert.equal(await badge.count(), 0, 'a post without a mention adds no mention badge')

    await h.createPost(bob, planning.id, `@alice can you review the plan before Friday? ${rand()}`)
    await h.waitFor(async () => (await h.textOf(badge)).trim() === '1', {
      message: 'the mention badge of planning shows 1',
    })

    await openChannel(a.page, 'planning', 'Planning')
    await h.waitFor(async () => (await link.getAttribute('data-unread')) !== 'true' && (await badge.count()) === 0, {
      message: 'opening planning clears its unread mark and mention badge',
    })
  })

  test('d. a thread reply shows in the thread panel and as a reply count', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    const root = await h.createPost(alice, townSquare.id, `Who can take the on-call shift next week? ${rand()}`)
    const bobsRoot = postById(b.page, root.id)
    await bobsRoot.waitFor()

    await postAction(bobsRoot, 'post-reply')
    const bobsPanel = b.page.locator(tid('thread-panel'))
    await bobsPanel.waitFor()
    await postById(b.page, root.id, 'thread-panel').waitFor()
    const reply = `I can take it ${rand()}`
    const threadComposer = bobsPanel.locator(tid('thread-composer-input'))
    await threadComposer.fill(reply)
    await threadComposer.press('Enter')
    await waitForPost(b.page, reply, 'thread-panel')

    const alicesRoot = postById(a.page, root.id)
    await h.waitFor(async () => /\b1\b/.test(await h.textOf(alicesRoot.locator(tid('post-reply-count')))), {
      message: 'alice sees reply count 1 on her post',
    })
    await postAction(alicesRoot, 'post-reply')
    await a.page.locator(tid('thread-panel')).waitFor()
    await waitForPost(a.page, reply, 'thread-panel')

    for (const page of [a.page, b.page]) {
      await page.locator(tid('thread-close')).click()
      await page.locator(tid('thread-panel')).waitFor({ state: 'hidden' })
    }
  })

  test('e. a quick reaction reaches the other user', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    const post = await h.createPost(bob, townSquare.id, `The new office plants arrived ${rand()}`)
    const alicesPost = postById(a.page, post.id)
    await alicesPost.waitFor()

    await postAction(alicesPost, 'post-react')
    await a.page.locator(tid('emoji-heart')).first().click()
    await alicesPost.locator(tid('reaction-heart')).waitFor()

    const reaction = postById(b.page, post.id).locator(tid('reaction-heart'))
    await h.waitFor(async () => /\b1\b/.test(await h.textOf(reaction)), {
      message: 'bob sees the heart reaction with count 1',
    })
  })

  test('f. an uploaded image is previewed for the other user', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')

    await a.page.locator(`input[type=file]${tid('file-input')}`).setInputFiles({
      name: 'gradient.png',
      mimeType: 'image/png',
      buffer: h.makePng(16, 16),
    })
    await a.page.locator(`${tid('pending-file')}[data-state="done"]`).waitFor()
    const caption = `Here is the gradient ${rand()}`
    const composer = a.page.locator(tid('composer-input'))
    await composer.fill(caption)
    await composer.press('Enter')

    const post = await waitForPost(b.page, caption)
    await post.locator(tid('attachment')).first().waitFor()
    const img = post.locator(`img${tid('attachment-image')}`).first()
    await img.waitFor()
    await h.waitFor(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), {
      message: "bob's image preview has loaded (naturalWidth > 0)",
    })
  })

  test('g. search finds a word another user posted', { timeout: 60_000 }, async () => {
    const b = await session(bob)
    const word = uniqueWord()
    await h.createPost(alice, townSquare.id, `Notes from the ${word} planning session are in the wiki.`)

    const input = b.page.locator(tid('search-input'))
    await input.fill(word)
    await input.press('Enter')
    const results = b.page.locator(`${tid('search-results')} ${tid('search-result')}`)
    await results.filter({ hasText: word }).first().waitFor()
  })

  test('g2. recent mentions list the posts that mention the user', { timeout: 60_000 }, async () => {
    const b = await session(bob)
    const word = uniqueWord()
    await h.createPost(alice, townSquare.id, `@bob can you review the ${word} change?`)
    await h.createPost(alice, townSquare.id, `no mention here, only ${word}`)
    await b.page.locator(tid('recent-mentions')).click()
    const panel = b.page.locator(tid('search-results'))
    await panel.getByRole('heading', { name: 'Recent mentions' }).waitFor()
    const results = panel.locator(tid('search-result'))
    await results.filter({ hasText: `review the ${word}` }).first().waitFor()
    assert.equal(await results.filter({ hasText: `only ${word}` }).count(), 0, 'only posts that mention bob')
  })

  test('g3. a pinned and a saved post are listed as pinned in the channel and as saved', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    await openChannel(a.page, 'town-square', 'Town Square')
    const word = uniqueWord()
    await h.createPost(bob, townSquare.id, `The ${word} runbook lives in the wiki.`)
    const post = await waitForPost(a.page, `The ${word} runbook`)

    await postAction(post, 'post-pin')
    await post.locator(tid('post-pinned')).waitFor()
    await postAction(post, 'post-save')
    await h.waitFor(async () => (await post.locator(tid('post-save')).getAttribute('aria-pressed')) === 'true', {
      message: 'the post shows as saved',
    })

    const panel = a.page.locator(tid('search-results'))
    await a.page.locator(tid('pinned-posts')).click()
    await panel.getByRole('heading', { name: 'Pinned in Town Square' }).waitFor()
    await panel.locator(tid('search-result')).filter({ hasText: `${word} runbook` }).first().waitFor()

    await a.page.locator(tid('saved-posts')).click()
    await panel.getByRole('heading', { name: 'Saved messages' }).waitFor()
    await panel.locator(tid('search-result')).filter({ hasText: `${word} runbook` }).first().waitFor()

    // Unsaved and unpinned, it leaves both lists.
    await postAction(post, 'post-save')
    await postAction(post, 'post-pin')
    await h.waitFor(async () => (await post.locator(tid('post-pinned')).count()) === 0, { message: 'no longer pinned' })
    await a.page.locator(tid('saved-posts')).click()
    await panel.getByRole('heading', { name: 'Saved messages' }).waitFor()
    await h.waitFor(
      async () =>
        (await panel.getAttribute('aria-busy')) !== 'true' &&
        (await panel.locator(tid('search-result')).filter({ hasText: `${word} runbook` }).count()) === 0,
      { message: 'gone from the saved list' },
    )
  })

  test('h. ArrowUp in the empty composer edits the last post', { timeout: 60_000 }, async () => {
    const a = await session(alice)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')

    const original = `The meeting is at 3pm in room B ${rand()}`
    const composer = a.page.locator(tid('composer-input'))
    await composer.fill(original)
    await composer.press('Enter')
    // The id from bob's side is the server's (alice's copy may still be a pending one).
    const id = await (await waitForPost(b.page, original)).getAttribute('data-post-id')
    assert.ok(id, 'the post has a data-post-id')
    await postById(a.page, id).waitFor()
    await h.waitFor(async () => (await composer.inputValue()) === '', { message: 'the composer is emptied on send' })

    await composer.focus()
    await composer.press('ArrowUp')
    // Whichever box the app edits in, it has the focus and holds the message.
    await h.waitFor(
      () =>
        a.page.evaluate(
          (text) => document.activeElement instanceof HTMLTextAreaElement && document.activeElement.value === text,
          original,
        ),
      { message: 'ArrowUp opens the last post for editing, focused' },
    )
    const edited = `The meeting moved to 4pm in room C ${rand()}`
    await a.page.keyboard.press('ControlOrMeta+A')
    await a.page.keyboard.type(edited)
    await a.page.keyboard.press('Enter')

    const bobs = postById(b.page, id)
    await h.waitFor(async () => (await h.textOf(bobs.locator(tid('post-message')))).includes(edited), {
      message: 'bob sees the edited text',
    })
    await bobs.locator(tid('post-edited')).waitFor()
    assert.equal(await postsIn(b.page).filter({ hasText: edited }).count(), 1, 'the edit made no new post')
  })

  test('i. a busy channel: history, code, reactions, threads, screenshots', { timeout: 180_000 }, async (t) => {
    const a = await session(alice)
    const page = a.page
    await openChannel(page, 'busy', 'Busy Channel')
    const newest = postById(page, busy.last.id)
    await newest.waitFor()

    // Infinite scroll: going to the top loads older history until the first post.
    const list = page.locator(tid('post-list'))
    const oldest = postById(page, busy.first.id)
    const firstPageHadAll = (await oldest.count()) > 0
    const loadedAtFirst = await postsIn(page).count()
    await h.waitFor(
      async () => {
        if (await oldest.count()) return true
        await list.evaluate((el) => {
          el.scrollTop = 0
        })
        await postsIn(page)
          .first()
          .evaluate((el) => el.scrollIntoView({ block: 'start' }))
          .catch(() => {})
        return false
      },
      { timeout: 30_000, interval: 400, message: "scrolling up loads the channel's oldest post" },
    )
    t.diagnostic(
      `busy channel: ${loadedAtFirst} posts shown at first, ${await postsIn(page).count()} after scrolling to the top`,
    )
    if (!firstPageHadAll) {
      assert.ok(
        (await postsIn(page).count()) > loadedAtFirst || (await oldest.count()) > 0,
        'older posts were loaded on scrolling up',
      )
    }

    // Back to the newest posts: code block, reactions and a thread are there.
    await newest.scrollIntoViewIfNeeded()
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
    const rootPost = postById(page, busy.root.id)
    await rootPost.waitFor()
    await rootPost.locator(tid('reaction-+1')).waitFor()
    await page.locator(`${tid('post-list')} pre code`).first().waitFor()
    await settle(page)
    await h.screenshot(page, 'channel.png')
    await h.checkAccessibility(page, 'the channel view')

    await postAction(rootPost, 'post-reply')
    const panel = page.locator(tid('thread-panel'))
    await panel.waitFor()
    await h.waitFor(async () => (await postsIn(page, 'thread-panel').count()) >= busy.replies + 1, {
      message: `the thread panel shows the root and its ${busy.replies} replies`,
    })
    await settle(page)
    await h.screenshot(page, 'thread.png')
    await h.checkAccessibility(page, 'the channel view with a thread open')
    await page.locator(tid('thread-close')).click()
    await panel.waitFor({ state: 'hidden' })

    await setTheme(page, 'dark')
    try {
      await settle(page)
      await h.screenshot(page, 'channel-dark.png')
      await h.checkAccessibility(page, 'the channel view in the dark theme')
    } finally {
      await setTheme(page, 'light')
    }
  })

  test('j. after a network loss, missed messages arrive without reload', { timeout: 90_000 }, async () => {
    const b = await session(bob)
    // A context of its own, whose event socket the test can cut.
    const context = await h.newContext(browser, server.url)
    const network = await h.networkSwitch(context)
    try {
      const page = await context.newPage()
      h.trackErrors(page, 'alice (reconnect)')
      await h.loginUI(page, alice)
      await openChannel(page, 'town-square', 'Town Square')
      await openChannel(b.page, 'town-square', 'Town Square')
      const warmup = await h.createPost(bob, townSquare.id, `Are you still there? ${rand()}`)
      await postById(page, warmup.id).waitFor()
      await h.markNoReload(page)

      await network.offline()
      await page.waitForTimeout(1500)
      const missed = `This was sent while you were offline ${rand()}`
      const composer = b.page.locator(tid('composer-input'))
      await composer.fill(missed)
      await composer.press('Enter')
      await waitForPost(b.page, missed)
      await page.waitForTimeout(2000)
      // The cut is real: nothing reached the offline page.
      assert.equal(await postsIn(page).filter({ hasText: missed }).count(), 0, 'an offline page gets no posts')
      await network.online()

      await waitForPost(page, missed)
      await h.assertNotReloaded(page)
    } finally {
      await context.close()
    }
  })
})
