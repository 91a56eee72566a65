// First render of the channel view, on localhost: seeds a channel with 200
// posts, then opens it BENCH_RUNS times (default 15), each time in a new
// browser context (empty cache) with the session restored, and measures
// until the first post of the post list is visible. Also sums the JS and CSS
// the page loaded, raw and gzipped. Prints a Markdown snippet.
//
//   RUSTCHAT_BIN=… node e2e/bench-render.mjs
//
// BENCH_RUNS and BENCH_POSTS change the number of runs and posts.

import zlib from 'node:zlib'
import * as h from './harness.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const POSTS = Number(process.env.BENCH_POSTS ?? 200)
const TEAM = 'bench'
const PASSWORD = 'correct-horse-battery'
const FIRST_POST = '[data-testid=post-list] [data-testid=post]'

const LINES = [
  'Deploy of the API gateway finished, no errors so far.',
  'Can someone review **the retry PR**? It is small.',
  'Notes from the planning meeting are in the wiki: https://example.com/wiki/planning',
  'Heads up: the staging database restarts at 14:00 UTC.',
  'I moved the flaky test into quarantine, see `tests/upload.rs`.',
  'Lunch? :pizza:',
  'The p99 latency dropped from 180 ms to 95 ms after the index change.',
  'Please update your local config, the port changed to 8065.',
]

/** Records, from navigation start, when the first post becomes visible. */
function observeFirstPost(selector) {
  const check = () => {
    if (window.__firstPostAt !== undefined) return true
    const el = document.querySelector(selector)
    if (el && el.getClientRects().length > 0) {
      window.__firstPostAt = performance.now()
      return true
    }
    return false
  }
  new MutationObserver(() => check()).observe(document, { childList: true, subtree: true, attributes: true })
  const frame = () => {
    if (!check()) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b)
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  return { median, p90: at(0.9), min: s[0], max: s[s.length - 1] }
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`
const ms = (n) => `${Math.round(n)}`

async function main() {
  const server = await h.startServer()
  let browser
  try {
    const anon = new h.Api(server.url)
    await h.newUser(anon, { username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD })
    const alice = await h.newUser(anon, {
      username: 'alice',
      email: 'alice@example.com',
      password: PASSWORD,
      first_name: 'Alice',
      last_name: 'Andersen',
    })
    const bob = await h.newUser(anon, {
      username: 'bob',
      email: 'bob@example.com',
      password: PASSWORD,
      first_name: 'Bob',
      last_name: 'Brown',
    })
    const team = await h.createTeam(alice, { name: TEAM, display_name: 'Bench' })
    await h.addTeamMember(alice, team.id, bob.id)
    const town = await h.channelByName(alice, team.id, 'town-square')
    for (let i = 0; i < POSTS; i++) {
      await h.createPost(i % 3 ? alice : bob, town.id, `${LINES[i % LINES.length]} (${i + 1})`)
    }
    const url = `/${TEAM}/channels/town-square`

    browser = await h.launchBrowser()
    // Log in once through the form; later contexts start from its storage.
    const loginContext = await h.newContext(browser, server.url)
    const loginPage = await loginContext.newPage()
    await h.loginUI(loginPage, alice)
    // A returning user: the channel was open before (the app remembers its id).
    await loginPage.locator(FIRST_POST).first().waitFor({ state: 'visible', timeout: 15_000 })
    const storageState = await loginContext.storageState()
    await loginContext.close()

    let mode = 'storage'
    const assets = { script: { files: 0, raw: 0, gz: 0 }, stylesheet: { files: 0, raw: 0, gz: 0 } }

    const run = async ({ collect }) => {
      const context = await h.newContext(browser, server.url, mode === 'storage' ? { storageState } : {})
      try {
        const page = await context.newPage()
        if (mode === 'form') await h.loginUI(page, alice)
        await page.addInitScript(observeFirstPost, FIRST_POST)
        const bodies = []
        const seen = new Set()
        if (collect) {
          page.on('response', (res) => {
            const type = res.request().resourceType()
            if (!(type in assets) || seen.has(res.url())) return
            seen.add(res.url())
            bodies.push(
              res.body().then((body) => {
                assets[type].files += 1
                assets[type].raw += body.length
                assets[type].gz += zlib.gzipSync(body, { level: 9 }).length
              }),
            )
          })
        }
        const t0 = Date.now()
        await page.goto(url)
        await page.locator(FIRST_POST).first().waitFor({ state: 'visible', timeout: 15_000 })
        const wall = Date.now() - t0
        const inPage = await page.evaluate(() => window.__firstPostAt ?? null)
        await Promise.all(bodies)
        return { wall, inPage, landed: new URL(page.url()).pathname }
      } finally {
        await context.close()
      }
    }

    // Warm-up (not counted): checks the restored session works, and sums the assets.
    const probeContext = await h.newContext(browser, server.url, { storageState })
    const probe = await probeContext.newPage()
    await probe.goto(url)
    await probe
      .locator(`${FIRST_POST}, input[name=login]`)
      .first()
      .waitFor({ timeout: 15_000 })
    if (new URL(probe.url()).pathname.startsWith('/login')) mode = 'form'
    await probeContext.close()
    await run({ collect: true })

    const wall = []
    const inPage = []
    for (let i = 0; i < RUNS; i++) {
      const r = await run({ collect: false })
      wall.push(r.wall)
      if (r.inPage !== null) inPage.push(r.inPage)
      process.stderr.write(`run ${i + 1}/${RUNS}: ${r.wall} ms (in page ${r.inPage === null ? '-' : Math.round(r.inPage)} ms)\n`)
    }

    const bin = process.env.RUSTCHAT_BIN ?? ''
    const profile = /[/\\]release[/\\]/.test(bin) ? 'release' : /[/\\]debug[/\\]/.test(bin) ? 'debug' : 'unknown'
    const how =
      mode === 'storage'
        ? 'each in a new browser context (empty cache), the session restored from storage'
        : 'each in a new browser context, logged in through the form first (so the bundle is already cached)'
    const row = (label, v) => {
      const s = stats(v)
      return `| ${label} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.min)} | ${ms(s.max)} |`
    }
    const lines = [
      `### First render of the channel view`,
      '',
      `Channel with ${POSTS} posts; ${RUNS} runs (after one warm-up run), ${how}; ` +
        `Chromium ${browser.version()} headless, server on 127.0.0.1 (${profile} build, SQLite)` +
        (process.env.RUSTCHAT_E2E_DIST ? ', the web app served from RUSTCHAT_E2E_DIST through a local proxy.' : '.'),
      '',
      '| from → until the first post is visible, ms | median | p90 | min | max |',
      '|---|---:|---:|---:|---:|',
      row('`page.goto()` → visible (measured in node)', wall),
    ]
    if (inPage.length) lines.push(row('navigation start → visible (measured in the page)', inPage))
    const total = {
      files: assets.script.files + assets.stylesheet.files,
      raw: assets.script.raw + assets.stylesheet.raw,
      gz: assets.script.gz + assets.stylesheet.gz,
    }
    lines.push(
      '',
      '| assets the page loaded | files | raw | gzip -9 |',
      '|---|---:|---:|---:|',
      `| JavaScript | ${assets.script.files} | ${kib(assets.script.raw)} | ${kib(assets.script.gz)} |`,
      `| CSS | ${assets.stylesheet.files} | ${kib(assets.stylesheet.raw)} | ${kib(assets.stylesheet.gz)} |`,
      `| total | ${total.files} | ${kib(total.raw)} | ${kib(total.gz)} |`,
    )
    console.log(lines.join('\n'))
  } finally {
    await browser?.close()
    await server.stop()
  }
}

main().catch((err) => {
  console.error(`bench-render: ${err.stack ?? err.message}`)
  process.exit(1)
})
