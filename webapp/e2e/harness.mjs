// Browser end-to-end harness for the web app: a real rustchat server on a
// fresh SQLite database, Chromium through playwright-core, seeding over the
// native API (/api/v1), screenshots and axe-core accessibility checks.
//
//   RUSTCHAT_BIN              server binary (required)
//   RUSTCHAT_CHROMIUM         Chromium executable (default /usr/bin/chromium)
//   RUSTCHAT_SCREENSHOTS_DIR  also copy published screenshots there
//   RUSTCHAT_E2E_KEEP=1       keep the servers' data dirs (and logs) after the run
//   RUSTCHAT_E2E_AXE=warn     report serious accessibility violations as warnings
//                             instead of failing (e.g. to refresh screenshots)
//   RUSTCHAT_E2E_DIST         serve the web app from this Vite build (`npx vite build
//                             --outDir DIR`) instead of the copy embedded in the
//                             server, to try UI changes without rebuilding the server:
//                             the tests then talk to a local proxy in front of it

import { spawn } from 'node:child_process'
import {
  accessSync,
  closeSync,
  existsSync,
  constants as fsConstants,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { chromium } from 'playwright-core'

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url))
export const WEBAPP_DIR = path.dirname(E2E_DIR)
export const SCREENSHOT_DIR = path.join(E2E_DIR, 'screenshots')
const AXE_PATH = path.join(WEBAPP_DIR, 'node_modules', 'axe-core', 'axe.min.js')

/** Longest a UI expectation is polled for. */
export const TIMEOUT = 10_000

// ---------------------------------------------------------------- server

/** The server binary from RUSTCHAT_BIN, checked; throws a readable error otherwise. */
export function serverBinary() {
  const bin = process.env.RUSTCHAT_BIN
  if (!bin) {
    throw new Error(
      'RUSTCHAT_BIN is not set: point it at a rustchat server binary built with the web app, ' +
        'e.g. RUSTCHAT_BIN=$PWD/../target/debug/rustchat npm run e2e',
    )
  }
  const abs = path.resolve(bin)
  try {
    accessSync(abs, fsConstants.X_OK)
  } catch {
    throw new Error(`RUSTCHAT_BIN=${bin}: no executable there (build the server first)`)
  }
  return abs
}

export function chromiumPath() {
  return process.env.RUSTCHAT_CHROMIUM ?? '/usr/bin/chromium'
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Running servers and their data dirs, cleaned up however the process ends. */
const running = new Map()
function killServers() {
  for (const [child, dataDir] of running) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
    if (!process.env.RUSTCHAT_E2E_KEEP) rmSync(dataDir, { recursive: true, force: true })
  }
  running.clear()
}
process.on('exit', killServers)
let signalsHooked = false
function hookSignals() {
  if (signalsHooked) return
  signalsHooked = true
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killServers()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
}

function tail(file, lines = 60) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no server log)'
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts `$RUSTCHAT_BIN serve` on a free port with a fresh data dir and
 * SQLite database, and waits until GET /api/v1/health answers 200.
 * Returns { url, serverUrl, dataDir, logFile, log(lines), stop() }; `url` is
 * where browsers and API calls go (the proxy with RUSTCHAT_E2E_DIST).
 */
export async function startServer({ env = {}, timeoutMs = 30_000 } = {}) {
  const bin = serverBinary()
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rustchat-e2e-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logFile = path.join(dataDir, 'server.log')
  const logFd = openSync(logFile, 'a')

  // Only the settings given here reach the server: no RUSTCHAT_* variable of
  // the caller's shell (a config file, a PostgreSQL URL, ...) leaks in.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('RUSTCHAT_') || k === 'RUSTCHAT_LOG'),
  )
  const child = spawn(bin, ['serve'], {
    // Run from the data dir, so that no rustchat.toml lying around is picked up.
    cwd: dataDir,
    env: {
      ...base,
      RUSTCHAT_LISTEN: `127.0.0.1:${port}`,
      RUSTCHAT_DATA_DIR: dataDir,
      RUSTCHAT_DATABASE_URL: `sqlite://${dataDir}/rustchat.db`,
      // The suites sign people up freely; the invitation suite passes
      // 'false' to test the server's default, invitation-only sign-up.
      RUSTCHAT_ENABLE_OPEN_SIGNUP: 'true',
      ...env,
    },
    stdio: ['ignore', logFd, logFd],
  })
  closeSync(logFd)
  running.set(child, dataDir)
  hookSignals()
  let exited = null
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      running.delete(child)
      resolve()
    })
    child.on('error', (err) => {
      exited = { error: err }
      running.delete(child)
      resolve()
    })
  })

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM')
      await Promise.race([exitPromise, sleep(5000)])
      if (!exited) {
        child.kill('SIGKILL')
        await exitPromise
      }
    }
    if (process.env.RUSTCHAT_E2E_KEEP) {
      console.error(`# server data and log kept in ${dataDir}`)
    } else {
      await rm(dataDir, { recursive: true, force: true })
    }
  }

  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  let healthy = false
  while (!healthy && Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) })
      healthy = res.status === 200
      if (!healthy) last = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`
    } catch (err) {
      last = err.cause?.code ?? err.message
    }
    if (!healthy) await sleep(100)
  }
  if (healthy) {
    const server = { url, serverUrl: url, dataDir, logFile, log: (n) => tail(logFile, n), stop }
    if (process.env.RUSTCHAT_E2E_DIST) {
      let proxy
      try {
        proxy = await serveDist(url, path.resolve(process.env.RUSTCHAT_E2E_DIST))
      } catch (err) {
        await stop()
        throw err
      }
      server.url = proxy.url
      server.stop = async () => {
        await proxy.close()
        await stop()
      }
    }
    return server
  }
  const why = exited
    ? `the server exited (${exited.error?.message ?? `code ${exited.code}, signal ${exited.signal}`})`
    : `GET /api/v1/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`
  const log = tail(logFile)
  await stop()
  throw new Error(`rustchat did not start: ${why}\n--- server log (${bin} serve) ---\n${log}`)
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * A local HTTP server that answers the web app (everything but /api/) from
 * a Vite build, index.html being the SPA fallback with the server's own
 * Content-Security-Policy, and passes /api/ (WebSocket upgrades included)
 * through to the rustchat server at `target`.
 */
async function serveDist(target, dist) {
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`RUSTCHAT_E2E_DIST=${dist}: no index.html there (run npx vite build --outDir ${dist})`)
  }
  const upstream = new URL(target)
  const csp = (await fetch(`${target}/`)).headers.get('content-security-policy')
  const proxy = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost')
    if (pathname.startsWith('/api/')) {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode, r.headers)
          r.pipe(res)
        },
      )
      up.on('error', (err) => {
        res.writeHead(502)
        res.end(String(err))
      })
      req.pipe(up)
      return
    }
    let file = path.join(dist, path.normalize(decodeURIComponent(pathname)))
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      if (path.extname(pathname) && !pathname.endsWith('.html')) {
        res.writeHead(404)
        res.end('not found')
        return
      }
      file = path.join(dist, 'index.html')
    }
    const headers = { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }
    if (csp && file.endsWith('.html')) headers['content-security-policy'] = csp
    res.writeHead(200, headers)
    res.end(readFileSync(file))
  })
  const sockets = new Set()
  proxy.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  proxy.on('upgrade', (req, socket, head) => {
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
      up.write(`${lines.join('\r\n')}\r\n\r\n`)
      if (head.length) up.write(head)
      socket.pipe(up)
      up.pipe(socket)
    })
    sockets.add(up)
    up.on('close', () => sockets.delete(up))
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
  })
  const port = await freePort()
  await new Promise((resolve) => proxy.listen(port, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        proxy.close(() => resolve())
      }),
  }
}

// ---------------------------------------------------------------- native API

/** A small client of /api/v1; `token` makes it act as a user. */
export class Api {
  constructor(url, token = null) {
    this.url = url.replace(/\/$/, '')
    this.token = token
  }

  as(token) {
    return new Api(this.url, token)
  }

  async request(method, apiPath, { json, body, headers = {} } = {}) {
    const h = { ...headers }
    if (this.token) h.authorization = `Bearer ${this.token}`
    let payload = body
    if (json !== undefined) {
      h['content-type'] = 'application/json'
      payload = JSON.stringify(json)
    }
    const res = await fetch(this.url + apiPath, { method, headers: h, body: payload })
    const text = await res.text()
    if (!res.ok) {
      throw new Error(`${method} ${apiPath} answered ${res.status}: ${text.slice(0, 500)}`)
    }
    if (!text) return null
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }

  get(p) {
    return this.request('GET', p)
  }
  post(p, json) {
    return this.request('POST', p, { json })
  }
  put(p, json) {
    return this.request('PUT', p, { json })
  }
  patch(p, json) {
    return this.request('PATCH', p, { json })
  }
  delete(p) {
    return this.request('DELETE', p)
  }
}

const apiOf = (x) => (x instanceof Api ? x : x.api)
const enc = encodeURIComponent

/**
 * Creates a user (POST /api/v1/users) and logs them in.
 * Returns the user record plus { password, token, api } (api acts as them).
 */
export async function newUser(api, { username, password, email, ...rest }) {
  const anon = apiOf(api)
  const user = await anon.post('/api/v1/users', { username, password, email, ...rest })
  const { token } = await anon.post('/api/v1/auth/login', { login_id: username, password })
  return { ...user, password, token, api: anon.as(token) }
}

/** Creates a team; its creator becomes team admin and it gets town-square and off-topic. */
export function createTeam(api, { name, display_name, type = 'O' }) {
  return apiOf(api).post('/api/v1/teams', { name, display_name, type })
}

/** Adds a user to a team (and so to its default channels). */
export function addTeamMember(api, teamId, userId) {
  return apiOf(api).post(`/api/v1/teams/${enc(teamId)}/members`, { user_id: userId })
}

/** Creates a channel (`type` O public, P private); the creator is its member. */
export function createChannel(api, teamId, { name, display_name, type = 'O', purpose = '', header = '' }) {
  return apiOf(api).post(`/api/v1/teams/${enc(teamId)}/channels`, {
    name,
    display_name,
    type,
    purpose,
    header,
  })
}

export function addChannelMember(api, channelId, userId) {
  return apiOf(api).post(`/api/v1/channels/${enc(channelId)}/members`, { user_id: userId })
}

export function channelByName(api, teamId, name) {
  return apiOf(api).get(`/api/v1/teams/${enc(teamId)}/channels/name/${enc(name)}`)
}

/** Posts a message; `extra` may hold root_id (a reply), file_ids, props. */
export function createPost(api, channelId, message, extra = {}) {
  return apiOf(api).post(`/api/v1/channels/${enc(channelId)}/posts`, { message, ...extra })
}

export function addReaction(api, postId, emojiName) {
  return apiOf(api).put(`/api/v1/posts/${enc(postId)}/reactions/${enc(emojiName)}`)
}

/** Uploads a file into a channel; returns its FileInfo (use its id in file_ids). */
export function uploadFile(api, channelId, filename, buffer) {
  return apiOf(api).request('POST', `/api/v1/channels/${enc(channelId)}/files?filename=${enc(filename)}`, {
    body: buffer,
    headers: { 'content-type': 'application/octet-stream' },
  })
}

// ---------------------------------------------------------------- browser

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

export async function launchBrowser(options = {}) {
  const executablePath = chromiumPath()
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: install it (apt-get install -y chromium) or set RUSTCHAT_CHROMIUM`,
    )
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, ...options })
}

/** A browser context on the server, with the harness' viewport, locale and timeouts. */
export async function newContext(browser, baseURL, options = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    ...options,
  })
  context.setDefaultTimeout(TIMEOUT)
  context.setDefaultNavigationTimeout(20_000)
  return context
}

/**
 * Options for newContext() that make a phone: a 390×844 touch screen whose
 * page is laid out at the device's width, as on an iPhone 13 or 14.
 */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

/** Prints the page's uncaught errors and console errors, labelled, to stderr. */
export function trackErrors(page, label) {
  page.on('pageerror', (err) => console.error(`# [${label}] page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`# [${label}] console error: ${msg.text()}`)
  })
}

/** `[data-testid="…"]` */
export const tid = (id) => `[data-testid="${id}"]`

/**
 * Polls `probe` (sync or async) until it returns a truthy value, and returns
 * that value; throws `message` (a string, or a function giving one) with the
 * last value or error after `timeout` ms.
 */
export async function waitFor(probe, { timeout = TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout
  let last
  let lastError
  for (;;) {
    try {
      last = await probe()
      lastError = undefined
      if (last) return last
    } catch (err) {
      lastError = err
    }
    if (Date.now() >= deadline) break
    await sleep(interval)
  }
  const detail = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`
  const what = typeof message === 'function' ? message() : message
  throw new Error(`timed out after ${timeout} ms waiting for: ${what} (${detail})`)
}

/** Text of every element the locator matches, joined; '' when none (never waits). */
export async function textOf(locator) {
  return (await locator.allInnerTexts()).join('\n')
}

/** Logs in through the login form and waits until the app has left /login. */
export async function loginUI(page, { username, password }) {
  await page.goto('/login')
  await page.locator('input[name=login]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('button[type=submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: TIMEOUT })
}

/** Marks the document; assertNotReloaded() then proves no navigation replaced it. */
export async function markNoReload(page) {
  await page.evaluate(() => {
    window.__rustchatE2eMark = true
  })
}

export async function assertNotReloaded(page) {
  const marked = await page.evaluate(() => window.__rustchatE2eMark === true)
  if (!marked) throw new Error('the page was reloaded (or navigated away from the document)')
}

/**
 * Lets a test cut a context's network, WebSocket included. Chromium's offline
 * emulation (context.setOffline) fails new requests but may leave an open
 * WebSocket untouched, so the app's event socket is routed through
 * Playwright and closed on `offline()`; while offline, new sockets are
 * refused. Call before the context opens its pages.
 */
export async function networkSwitch(context, pattern = /\/api\/v1\/ws/) {
  let offline = false
  const sockets = new Set()
  await context.routeWebSocket(pattern, (ws) => {
    if (offline) {
      ws.close({ code: 1011, reason: 'offline' }).catch(() => {})
      return
    }
    ws.connectToServer()
    sockets.add(ws)
  })
  return {
    async offline() {
      offline = true
      await context.setOffline(true)
      for (const ws of sockets) await ws.close({ code: 1011, reason: 'offline' }).catch(() => {})
      sockets.clear()
    },
    async online() {
      offline = false
      await context.setOffline(false)
    },
  }
}

// ---------------------------------------------------------------- screenshots

/**
 * Writes `e2e/screenshots/<name>` and, when RUSTCHAT_SCREENSHOTS_DIR is set
 * and `publish` is true, a copy there (the docs' screenshots).
 */
export async function screenshot(page, name, { publish = true, fullPage = false } = {}) {
  const file = name.endsWith('.png') ? name : `${name}.png`
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const target = path.join(SCREENSHOT_DIR, file)
  await page.screenshot({ path: target, fullPage, animations: 'disabled', caret: 'hide' })
  const extra = process.env.RUSTCHAT_SCREENSHOTS_DIR
  if (publish && extra) {
    await mkdir(path.resolve(extra), { recursive: true })
    await copyFile(target, path.join(path.resolve(extra), file))
  }
  return target
}

// ---------------------------------------------------------------- accessibility

const BLOCKING = new Set(['serious', 'critical'])
let axeCache
const axeSource = () => (axeCache ??= readFileSync(AXE_PATH, 'utf8'))

function describeViolation(v) {
  const targets = v.nodes
    .slice(0, 8)
    .map((n) => `      ${n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')}`)
  if (v.nodes.length > 8) targets.push(`      … and ${v.nodes.length - 8} more`)
  return `  - ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n${targets.join('\n')}`
}

/**
 * Runs axe-core on the page. Throws, listing rule id, impact, help and the
 * target selectors, when any violation is serious or critical; prints
 * minor and moderate ones as warnings. Returns the violations.
 */
export async function checkAccessibility(
  page,
  label,
  { context = 'document', options = {}, warnOnly = process.env.RUSTCHAT_E2E_AXE === 'warn' } = {},
) {
  const loaded = () => page.evaluate(() => typeof window.axe?.run === 'function').catch(() => false)
  if (!(await loaded())) {
    // The server's Content-Security-Policy (script-src 'self') refuses the
    // inline <script> of page.addScriptTag(); evaluating the source through
    // the debugging protocol is not subject to it.
    await page.evaluate(`${axeSource()}\n;void 0`)
    if (!(await loaded())) throw new Error(`${label}: could not inject axe-core into the page`)
  }
  const violations = await page.evaluate(
    async ({ context, options }) => {
      const root = context === 'document' ? document : document.querySelector(context)
      const result = await window.axe.run(root, { resultTypes: ['violations'], ...options })
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target })),
      }))
    },
    { context, options },
  )
  const blocking = violations.filter((v) => BLOCKING.has(v.impact))
  const minor = violations.filter((v) => !BLOCKING.has(v.impact))
  if (minor.length) {
    console.warn(`# accessibility warnings on ${label}:\n${minor.map(describeViolation).join('\n')}`)
  }
  if (blocking.length && warnOnly) {
    console.warn(`# accessibility (RUSTCHAT_E2E_AXE=warn), serious on ${label}:\n${blocking.map(describeViolation).join('\n')}`)
  } else if (blocking.length) {
    throw new Error(
      `accessibility: ${blocking.length} serious or critical violation(s) on ${label}:\n` +
        blocking.map(describeViolation).join('\n'),
    )
  }
  return violations
}

// ---------------------------------------------------------------- fixtures

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A valid RGB PNG of the given size: a colour gradient. */
export function makePng(width = 16, height = 16) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: RGB
  const rows = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3) // filter byte 0, then pixels
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((255 * x) / Math.max(1, width - 1))
      row[2 + x * 3] = Math.round((255 * y) / Math.max(1, height - 1))
      row[3 + x * 3] = 160
    }
    rows.push(row)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
