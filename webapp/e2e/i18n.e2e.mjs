// The UI's language in a real browser against a real server: a user chooses
// Français in Settings → Language and the page switches at once (the account
// menu, the composer's placeholder, the date separator, the Threads entry),
// stays French after a reload (the server keeps the account's `locale`), and
// goes back to English the same way.
//
// Run with `npm run e2e -- e2e/i18n.e2e.mjs` (RUSTCHAT_BIN must point at a
// server binary); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, userMenu, waitForPost } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'langues'
const MINUTE = { timeout: 60_000 }

/** What the page shows that depends on the language, read at once. */
async function shown(page) {
  return {
    lang: await page.evaluate(() => document.documentElement.lang),
    placeholder: await page.locator(tid('composer-input')).getAttribute('placeholder'),
    day: await h.textOf(page.locator(tid('day-separator')).first()),
    threads: await h.textOf(page.locator(tid('sidebar-threads'))),
    accountMenu: await page.locator(tid('user-menu')).textContent(),
  }
}

/** Waits until the page shows `lang`'s words: the composer's placeholder starts with `writeTo`. */
const waitForLanguage = (page, lang, writeTo) =>
  h.waitFor(
    async () => {
      const now = await shown(page)
      return now.lang === lang && now.placeholder?.startsWith(writeTo) ? now : null
    },
    { message: `the page in ${lang}` },
  )

/** Settings → Language → `code`, saved; answers the dialog. */
async function chooseLanguage(page, code) {
  await userMenu(page, 'open-settings')
  const dialog = page.locator(tid('settings-dialog'))
  await dialog.locator(tid('settings-language')).selectOption(code)
  await dialog.locator(tid('settings-save')).click()
  return dialog
}

describe('web app in a browser: the UI in French', () => {
  let server
  let browser
  let amelie
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    amelie = await h.newUser(anon, { username: 'amelie', email: 'amelie@example.com', password: PASSWORD })
    const team = await h.createTeam(amelie, { name: TEAM, display_name: 'Langues' })
    const townSquare = await h.channelByName(amelie, team.id, 'town-square')
    await h.createPost(amelie, townSquare.id, 'Bonjour à tous')
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. Français in Settings switches the UI at once, survives a reload, and English comes back', MINUTE, async () => {
    const { page } = await session(amelie)
    await page.waitForURL((u) => u.pathname === `/${TEAM}/channels/town-square`)
    await waitForPost(page, 'Bonjour à tous')

    // English first: the browser's language, no locale on the account yet.
    const english = await waitForLanguage(page, 'en', 'Write to ')
    assert.equal(english.placeholder, 'Write to Town Square')
    assert.equal(english.day, 'Today')
    assert.match(english.threads, /Threads/)
    assert.match(english.accountMenu, /Account menu for/)

    // Français, saved: the open page changes without a reload.
    await h.markNoReload(page)
    const dialog = await chooseLanguage(page, 'fr')
    await h.waitFor(async () => (await h.textOf(dialog.getByRole('status'))) === 'Enregistré.', {
      message: 'the settings say "Enregistré."',
    })
    assert.equal(await h.textOf(dialog.locator('legend').first()), 'Profil')
    assert.equal(await dialog.locator(tid('settings-save')).textContent(), 'Enregistrer')
    await dialog.getByRole('button', { name: 'Fermer' }).click()
    await dialog.waitFor({ state: 'detached' })
    const french = await waitForLanguage(page, 'fr', 'Écrire à ')
    await h.assertNotReloaded(page)
    assert.equal(french.placeholder, 'Écrire à Town Square')
    assert.equal(french.day, 'Aujourd’hui')
    assert.match(french.threads, /Fils de discussion/)
    assert.match(french.accountMenu, /Menu du compte de/)
    await page.locator(tid('user-menu')).click()
    const items = await h.textOf(page.locator(tid('user-menu-items')))
    assert.match(items, /Paramètres/)
    assert.match(items, /Se déconnecter/)
    await page.keyboard.press('Escape')
    await h.checkAccessibility(page, 'the channel in French')

    // The account keeps the language: a reload (and the server) say French.
    assert.equal((await amelie.api.get('/api/v1/users/me')).locale, 'fr')
    await page.reload()
    await waitForPost(page, 'Bonjour à tous')
    const reloaded = await waitForLanguage(page, 'fr', 'Écrire à ')
    assert.equal(reloaded.day, 'Aujourd’hui')

    // And back to English, at once and after a reload.
    const back = await chooseLanguage(page, 'en')
    await h.waitFor(async () => (await h.textOf(back.getByRole('status'))) === 'Saved.', { message: 'the settings say "Saved."' })
    await back.getByRole('button', { name: 'Close' }).click()
    const english2 = await waitForLanguage(page, 'en', 'Write to ')
    assert.equal(english2.day, 'Today')
    assert.equal((await amelie.api.get('/api/v1/users/me')).locale, 'en')
    await page.reload()
    await waitForPost(page, 'Bonjour à tous')
    await waitForLanguage(page, 'en', 'Write to ')
  })
})
