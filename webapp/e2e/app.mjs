// What the flow tests (*.e2e.mjs) share beyond the harness: the app's pages
// as the tests see them through the data-testid contract, and a suite's
// plumbing (one logged-in page per user, artefacts when a test fails).

import { it } from 'node:test'
import * as h from './harness.mjs'

const { tid } = h

/** A short random suffix (letters and digits), for unique texts and names. */
export const rand = (n = 6) => Math.random().toString(36).slice(2, 2 + n)

// ------------------------------------------------------------ posts

/** The posts of a message list: `post-list` (the channel), `thread-panel`, … */
export const postsIn = (page, scope = 'post-list') => page.locator(`${tid(scope)} ${tid('post')}`)

export const postById = (page, id, scope = 'post-list') =>
  page.locator(`${tid(scope)} ${tid('post')}[data-post-id="${id}"]`)

/** The first post in `scope` containing `text`, once visible. */
export async function waitForPost(page, text, scope = 'post-list') {
  const post = postsIn(page, scope).filter({ hasText: text }).first()
  await post.waitFor({ state: 'visible' })
  return post
}

/** Hovers a post and clicks one of its actions (`post-reply`, `post-delete`, …). */
export async function postAction(post, action) {
  await post.hover()
  await post.locator(tid(action)).click()
}

// ------------------------------------------------------------ channels

/** Opens a channel of `team` from the sidebar (no reload) and waits for its view. */
export async function openChannel(page, team, name, displayName) {
  await page.locator(tid(`channel-link-${name}`)).click()
  await page.waitForURL((u) => u.pathname === `/${team}/channels/${name}`)
  await h.waitFor(async () => (await h.textOf(page.locator(tid('channel-header')))).includes(displayName), {
    message: `the channel header shows "${displayName}"`,
  })
  await page.locator(tid('post-list')).waitFor()
}

/** A section of the sidebar by its heading: "Favorites", "Channels" or "Direct messages". */
export const sidebarSection = (page, heading) =>
  page.locator(tid('sidebar')).getByRole('region', { name: heading, exact: true })

// ------------------------------------------------------------ the top bar

/** Opens the account menu of the top bar and chooses an item: `open-settings`, `logout`, `set-status`, … */
export async function userMenu(page, item) {
  await page.locator(tid('user-menu')).click()
  await page.locator(`${tid('user-menu-items')} ${tid(item)}`).click()
}

// ------------------------------------------------------------ layout

/**
 * What makes the page wider than the window: the document scrolling
 * sideways, a scroll container scrolling sideways, or a visible element
 * reaching past the right edge (clipped content). Code blocks and tables of
 * messages may scroll on their own. Returns descriptions; [] when none.
 */
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const name = (el) =>
      el.tagName.toLowerCase() +
      (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '') +
      (typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '')
    const found = []
    if (document.documentElement.scrollWidth > window.innerWidth) {
      found.push(`the document (${document.documentElement.scrollWidth} > ${window.innerWidth} px)`)
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('pre, .markdown table, .visually-hidden')) continue
      const style = getComputedStyle(el)
      if (style.visibility !== 'visible' || style.display === 'none') continue
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      if (box.right > width + 1) found.push(`${name(el)} ends at ${Math.round(box.right)} px`)
      if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
        found.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`)
      }
    }
    return found
  })
}

/** Visible buttons and navigation links inside `scope` smaller than `min` px either way. */
export function smallTargets(page, scope = 'body', min = 40) {
  return page.evaluate(
    ({ scope, min }) => {
      const found = []
      for (const el of document.querySelectorAll(`${scope} button, ${scope} a.channel-link, ${scope} a.team-tile`)) {
        const style = getComputedStyle(el)
        if (style.visibility !== 'visible' || el.closest('.visually-hidden')) continue
        const box = el.getBoundingClientRect()
        if (box.width === 0 || box.height === 0) continue
        if (box.width < min - 0.5 || box.height < min - 0.5) {
          const label = el.getAttribute('aria-label') || el.dataset.testid || el.textContent.trim().slice(0, 30)
          found.push(`${label} (${Math.round(box.width)}×${Math.round(box.height)})`)
        }
      }
      return found
    },
    { scope, min },
  )
}

// ------------------------------------------------------------ a suite

/**
 * The plumbing of a suite of flows. `state()` gives `{ browser, server }`
 * once the suite's before() has run. Returns
 *   session(user): the user's logged-in page in their own browser context,
 *     logged in once through the UI and shared by the suite's tests;
 *   test(name, options, fn): it() that, on failure, screenshots every open
 *     page (e2e/screenshots/failed-*.png) and prints the server log's tail.
 */
export function flowSuite(state) {
  const sessions = new Map()

  function session(user) {
    if (!sessions.has(user.username)) {
      const pending = (async () => {
        const { browser, server } = state()
        const context = await h.newContext(browser, server.url)
        const page = await context.newPage()
        h.trackErrors(page, user.username)
        await h.loginUI(page, user)
        return { context, page }
      })()
      pending.catch(() => sessions.delete(user.username))
      sessions.set(user.username, pending)
    }
    return sessions.get(user.username)
  }

  function test(name, options, fn) {
    it(name, options, async (t) => {
      try {
        await fn(t)
      } catch (err) {
        const { browser, server } = state()
        const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 40)
        const pages = browser ? browser.contexts().flatMap((c) => c.pages()) : []
        for (const [i, page] of pages.entries()) {
          await h.screenshot(page, `failed-${slug}-${i + 1}.png`, { publish: false }).catch(() => {})
        }
        if (server) console.error(`# server log (last lines):\n${server.log(25)}`)
        throw err
      }
    })
  }

  return { session, test }
}
