// Integrations in the web app, in a real browser against a real server:
// message attachments (as bots and webhooks post them) with their colour,
// fields, links and actions; an action the server refuses, whose message is
// shown next to the attachment; an ephemeral post, seen by its recipient
// only and gone after a reload; an interactive dialog, opened by an
// `open_dialog` frame slipped into the page's real socket (no integration
// stands behind it, so the server refuses its submission, which the dialog
// shows). ada (the first user, a system admin) is the integration's voice,
// bob reads.
//
// Run with `npm run e2e` (RUSTCHAT_BIN must point at a server binary that
// serves the web app); see e2e/harness.mjs for the other settings.

import assert from 'node:assert/strict'
import { after, before, describe } from 'node:test'
import { flowSuite, openChannel as openTeamChannel, rand, waitForPost } from './app.mjs'
import * as h from './harness.mjs'

const { tid } = h
const PASSWORD = 'correct-horse-battery'
const TEAM = 'integrations'
const MINUTE = { timeout: 60_000 }

const openChannel = (page, name, displayName) => openTeamChannel(page, TEAM, name, displayName)

/** A CI report as an integration would post it. */
function buildReport(marker) {
  return {
    fallback: `Build 42 passed (${marker})`,
    color: '#36a64f',
    pretext: `Pipeline *finished* ${marker}`,
    author_name: 'ci-bot',
    author_link: 'javascript:alert(1)',
    title: 'Build 42',
    title_link: 'https://ci.example.com/build/42',
    text: 'All **green** <script>window.__pwned = true</script>',
    fields: [
      { title: 'Branch', value: 'main', short: true },
      { title: 'Commit', value: '`abc123`', short: true },
      { title: 'Changes', value: '- login fix\n- faster search', short: false },
    ],
    footer: 'CI',
    actions: [
      { id: 'approve', name: 'Approve', type: 'button', style: 'good' },
      { id: 'rollback', name: 'Roll back', type: 'button', style: 'danger' },
      { id: 'env', name: 'Deploy to', type: 'select', options: [{ text: 'Staging', value: 'stg' }, { text: 'Production', value: 'prod' }] },
    ],
  }
}

describe('web app in a browser: integrations', () => {
  let server
  let browser
  let ada
  let bob
  let team
  let townSquare
  const { session, test } = flowSuite(() => ({ browser, server }))

  before(async () => {
    server = await h.startServer()
    const anon = new h.Api(server.url)
    // The first user is a system admin: the one allowed to send ephemeral posts.
    ada = await h.newUser(anon, { username: 'ada', email: 'ada@example.com', password: PASSWORD })
    bob = await h.newUser(anon, { username: 'bob', email: 'bob@example.com', password: PASSWORD })
    team = await h.createTeam(ada, { name: TEAM, display_name: 'Integrations' })
    await h.addTeamMember(ada, team.id, bob.id)
    townSquare = await h.channelByName(ada, team.id, 'town-square')
    browser = await h.launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('a. an attachment shows its colour, author, title link, fields and actions, sanitised', MINUTE, async () => {
    const b = await session(bob)
    await openChannel(b.page, 'town-square', 'Town Square')
    const marker = rand()
    const created = await h.createPost(ada, townSquare.id, 'Build report', { props: { attachments: [buildReport(marker)] } })

    const post = await waitForPost(b.page, marker)
    assert.equal(await post.getAttribute('data-post-id'), created.id)
    assert.equal(await h.textOf(post.locator(`${tid('msg-attachment-pretext')} em`)), 'finished')
    assert.ok(!(await h.textOf(post)).includes('passed ('), 'the fallback text is not shown')

    const box = post.locator(tid('msg-attachment-box'))
    assert.equal(await box.getAttribute('data-color'), '#36a64f')
    assert.equal(await box.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(54, 166, 79)', 'the bar has the colour')

    const author = post.locator(tid('msg-attachment-author'))
    assert.equal((await h.textOf(author)).trim(), 'ci-bot')
    assert.equal(await author.locator('a').count(), 0, 'a javascript: author link is not made a link')

    const title = post.locator(`${tid('msg-attachment-title')} a`)
    assert.equal(await title.getAttribute('href'), 'https://ci.example.com/build/42')
    assert.equal(await title.getAttribute('target'), '_blank')
    assert.match((await title.getAttribute('rel')) ?? '', /noopener/)

    const text = post.locator(tid('msg-attachment-text'))
    assert.equal(await h.textOf(text.locator('strong')), 'green')
    assert.equal(await text.locator('script').count(), 0)
    assert.equal(await b.page.evaluate(() => window.__pwned === true), false, 'no script from the attachment ran')

    const rows = post.locator(tid('msg-attachment-field-row'))
    assert.equal(await rows.count(), 2, 'two short fields share a row, the long one has its own')
    assert.equal(await rows.nth(0).locator(tid('msg-attachment-field')).count(), 2)
    assert.equal(await rows.nth(1).locator('li').count(), 2, 'field values are markdown')

    const buttons = post.locator(tid('msg-attachment-action-button'))
    assert.deepEqual(await buttons.allInnerTexts(), ['Approve', 'Roll back'])
    assert.match((await buttons.nth(0).getAttribute('class')) ?? '', /action-button--good/)
    const menu = post.locator(tid('msg-attachment-action-select'))
    assert.equal(await menu.getAttribute('aria-label'), 'Deploy to')
    assert.deepEqual(await menu.locator('option').allInnerTexts(), ['Deploy to', 'Staging', 'Production'])

    await h.checkAccessibility(b.page, 'a post with an attachment', { context: `[data-post-id="${created.id}"]` })
  })

  test("b. an action the server refuses shows the server's message next to its attachment", MINUTE, async () => {
    const b = await session(bob)
    await openChannel(b.page, 'town-square', 'Town Square')
    const marker = rand()
    await h.createPost(ada, townSquare.id, `Deploy request ${marker}`, {
      props: { attachments: [{ text: 'Ship it?', actions: [{ id: 'ship', name: 'Ship', type: 'button' }] }] },
    })
    const post = await waitForPost(b.page, marker)
    const button = post.locator(tid('msg-attachment-action-button'))
    await button.click()
    // No integration stands behind this button: whatever the server answers is an error.
    const error = post.locator(tid('msg-attachment-action-error'))
    await error.waitFor()
    assert.ok((await h.textOf(error)).trim().length > 0, 'the error has a message')
    assert.equal(await error.getAttribute('role'), 'alert')
    await h.waitFor(() => button.isEnabled(), { message: 'the button is enabled again' })
  })

  test('c. an ephemeral post shows to its recipient only, marked, and is gone after a reload', MINUTE, async () => {
    const a = await session(ada)
    const b = await session(bob)
    await openChannel(a.page, 'town-square', 'Town Square')
    await openChannel(b.page, 'town-square', 'Town Square')
    const marker = rand()
    await ada.api.post('/api/v4/posts/ephemeral', {
      user_id: bob.id,
      post: {
        channel_id: townSquare.id,
        message: `Only for you ${marker}`,
        props: { attachments: [{ title: `Reminder ${marker}`, actions: [{ id: 'snooze', name: 'Snooze', type: 'button', cookie: 'c' }] }] },
      },
    })

    const post = await waitForPost(b.page, marker)
    assert.equal(await h.textOf(post.locator(tid('post-ephemeral'))), '(only visible to you)')
    assert.equal(await h.textOf(post.locator('.post-author')), 'ada')
    assert.equal(await post.locator(tid('msg-attachment-action-button')).count(), 1, 'its attachment is shown')

    // A stored post sent after it reaches ada: had the ephemeral one been for her, it would be there too.
    const after = `After the ephemeral one ${marker}`
    await h.createPost(bob, townSquare.id, after)
    await waitForPost(a.page, after)
    assert.equal(await a.page.locator(tid('post')).filter({ hasText: `Only for you ${marker}` }).count(), 0, 'ada does not see it')

    await b.page.reload()
    await waitForPost(b.page, after)
    assert.equal(await b.page.locator(tid('post')).filter({ hasText: `Only for you ${marker}` }).count(), 0, 'gone after a reload')
  })

  test('d. a dialog checks its fields, submits with its context, shows a refusal and reports a cancel', MINUTE, async () => {
    // A context of its own: its socket passes through a route that can add frames.
    const context = await h.newContext(browser, server.url)
    let socket = null
    await context.routeWebSocket(/\/api\/v1\/ws/, (ws) => {
      ws.connectToServer()
      socket = ws
    })
    const page = await context.newPage()
    h.trackErrors(page, 'bob (dialog)')
    const submissions = []
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/actions/dialogs/submit')) submissions.push(req.postDataJSON())
    })
    try {
      await h.loginUI(page, bob)
      await openChannel(page, 'town-square', 'Town Square')
      await h.waitFor(() => socket !== null, { message: 'the app opened its socket' })
      const marker = rand()
      socket.send(
        JSON.stringify({
          type: 'open_dialog',
          data: {
            trigger_id: `trigger-${marker}`,
            url: 'http://127.0.0.1:9/dialog',
            dialog: {
              callback_id: 'deploy',
              title: `Deploy ${marker}`,
              introduction_text: 'Pick **carefully**',
              submit_label: 'Ship',
              notify_on_cancel: true,
              state: 'state-1',
              elements: [
                { name: 'reason', display_name: 'Reason', type: 'text', min_length: 3, help_text: 'Why now?' },
                { name: 'env', display_name: 'Environment', type: 'select', default: 'stg', options: [{ text: 'Staging', value: 'stg' }, { text: 'Production', value: 'prod' }] },
                { name: 'notify', display_name: 'Notify', type: 'bool', placeholder: 'Tell the channel', optional: true },
              ],
            },
          },
        }),
      )
      const dialog = page.locator(tid('interactive-dialog'))
      await dialog.waitFor()
      assert.ok((await h.textOf(dialog.locator('h2'))).includes(`Deploy ${marker}`))
      const reason = dialog.getByLabel('Reason')
      await h.waitFor(() => reason.evaluate((el) => el === document.activeElement), { message: 'the first field has the focus' })
      await h.checkAccessibility(page, 'an interactive dialog', { context: tid('interactive-dialog') })

      await dialog.locator(tid('dialog-submit')).click()
      const reasonField = dialog.locator(tid('dialog-field-reason'))
      assert.equal(await h.textOf(reasonField.locator(tid('dialog-field-error'))), 'This field is required.')
      await reason.fill('ab')
      await dialog.locator(tid('dialog-submit')).click()
      assert.equal(await h.textOf(reasonField.locator(tid('dialog-field-error'))), 'Minimum input length is 3.')
      assert.equal(submissions.length, 0, 'nothing is sent while a field is wrong')

      await reason.fill('hotfix')
      await dialog.getByLabel('Environment').selectOption('prod')
      await dialog.locator(tid('dialog-submit')).click()
      const refusal = dialog.locator(tid('dialog-error'))
      await refusal.waitFor()
      assert.ok((await h.textOf(refusal)).trim(), 'the refusal has a message')
      assert.deepEqual(submissions[0], {
        url: 'http://127.0.0.1:9/dialog',
        callback_id: 'deploy',
        state: 'state-1',
        channel_id: townSquare.id,
        team_id: team.id,
        submission: { reason: 'hotfix', env: 'prod', notify: false },
        cancelled: false,
      })
      assert.ok(await dialog.isVisible(), 'a refused dialog stays open')

      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      await h.waitFor(() => submissions.length === 2, { message: 'the cancel is reported' })
      assert.equal(submissions[1].cancelled, true)
      assert.deepEqual(submissions[1].submission, {})
    } finally {
      await context.close()
    }
  })
})
