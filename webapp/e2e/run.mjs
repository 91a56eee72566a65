// `npm run e2e`: checks the server binary and Chromium, then runs every
// e2e/*.e2e.mjs file with node's test runner, one file at a time. Extra
// arguments go to `node --test` (e.g. --test-name-pattern=search) or name
// the files to run (e.g. e2e/chat.e2e.mjs). The exit code is the runner's.

import { spawn } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { chromiumPath, E2E_DIR, SCREENSHOT_DIR, serverBinary, WEBAPP_DIR } from './harness.mjs'

function fail(message) {
  console.error(`e2e: ${message}`)
  process.exit(2)
}

let bin
try {
  bin = serverBinary()
} catch (err) {
  fail(err.message)
}
const browser = chromiumPath()
if (!existsSync(browser)) {
  fail(`no Chromium at ${browser}: install it (apt-get install -y chromium) or set RUSTCHAT_CHROMIUM`)
}
console.log(`e2e: server ${bin}`)
console.log(`e2e: browser ${browser}`)

const args = process.argv.slice(2)
const named = args.filter((a) => !a.startsWith('-'))
const flags = args.filter((a) => a.startsWith('-'))
const files = named.length
  ? named.map((f) => path.resolve(f))
  : readdirSync(E2E_DIR)
      .filter((f) => f.endsWith('.e2e.mjs'))
      .sort()
      .map((f) => path.join(E2E_DIR, f))
if (!files.length) fail(`no *.e2e.mjs files in ${E2E_DIR}`)

// Screenshots of failures are for this run only.
if (existsSync(SCREENSHOT_DIR)) {
  for (const f of readdirSync(SCREENSHOT_DIR)) {
    if (f.startsWith('failed-') && f.endsWith('.png')) rmSync(path.join(SCREENSHOT_DIR, f))
  }
}

const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...flags, ...files],
  { cwd: WEBAPP_DIR, stdio: 'inherit', env: { ...process.env, RUSTCHAT_BIN: bin } },
)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1))
})
