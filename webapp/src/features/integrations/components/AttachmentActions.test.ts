import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import type { PostActionResponse } from '../types'
import { choose, deferred, mount, settle, type, type Mounted } from '@/app/__test__/mount'
import { router } from '@/app/router'
import { integrationsRepository } from '../repositories/integrationsRepository'
import { searchChoices } from '../services/optionSources'
import MessageAttachments from './MessageAttachments.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))
vi.mock('../repositories/integrationsRepository', () => ({
  integrationsRepository: { doPostAction: vi.fn(), submitDialog: vi.fn() },
}))
vi.mock('../services/optionSources', () => ({ searchChoices: vi.fn(), knownLabel: () => '' }))

const doPostAction = vi.mocked(integrationsRepository.doPostAction)
const answer = (goto_location = ''): PostActionResponse => ({ trigger_id: 'trig', goto_location })

let mounted: Mounted | null = null
function render(actions: unknown[]): HTMLElement {
  mounted = mount(MessageAttachments, { postId: 'post1', postProps: { attachments: [{ text: 'Deploy?', actions }] } })
  return mounted.el
}

const buttons = (el: HTMLElement) => Array.from(el.querySelectorAll<HTMLButtonElement>('[data-testid="msg-attachment-action-button"]'))

beforeEach(() => {
  doPostAction.mockReset()
  vi.mocked(router.push).mockReset()
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

describe('attachment actions', () => {
  it('shows buttons with their styles and skips actions without an id', () => {
    const el = render([
      { id: 'ok', name: 'Approve', type: 'button', style: 'good' },
      { id: 'no', name: 'Reject', type: 'button', style: 'danger' },
      { id: 'hex', name: 'Custom', type: 'button', style: '#112233' },
      { name: 'Nameless id' },
    ])
    const list = buttons(el)
    expect(list.map((b) => b.textContent)).toEqual(['Approve', 'Reject', 'Custom'])
    expect(list[0]?.classList.contains('action-button--good')).toBe(true)
    expect(list[1]?.classList.contains('action-button--danger')).toBe(true)
    expect(list[2]?.style.backgroundColor).not.toBe('')
  })

  it('sends the click, disabled until the server answers', async () => {
    const pending = deferred<PostActionResponse>()
    doPostAction.mockReturnValue(pending.promise)
    const el = render([{ id: 'approve', name: 'Approve', type: 'button' }, { id: 'reject', name: 'Reject', type: 'button' }])
    const [button, other] = buttons(el)
    button?.click()
    await settle()
    expect(doPostAction).toHaveBeenCalledWith('post1', 'approve', { selected_option: null, cookie: null })
    expect(button?.disabled).toBe(true)
    expect(button?.getAttribute('aria-busy')).toBe('true')
    expect(other?.disabled).toBe(true)
    button?.click()
    other?.click()
    expect(doPostAction).toHaveBeenCalledTimes(1)
    pending.resolve(answer())
    await settle()
    expect(button?.disabled).toBe(false)
    expect(button?.hasAttribute('aria-busy')).toBe(false)
    expect(router.push).not.toHaveBeenCalled()
  })

  it('keeps a disabled action disabled', async () => {
    const el = render([{ id: 'old', name: 'Expired', type: 'button', disabled: true }])
    buttons(el)[0]?.click()
    await settle()
    expect(buttons(el)[0]?.disabled).toBe(true)
    expect(doPostAction).not.toHaveBeenCalled()
  })

  it("sends the action's cookie when it has one", async () => {
    doPostAction.mockResolvedValue(answer())
    const el = render([{ id: 'eph', name: 'Again', type: 'button', cookie: 'sealed-cookie' }])
    buttons(el)[0]?.click()
    await settle()
    expect(doPostAction).toHaveBeenCalledWith('post1', 'eph', { selected_option: null, cookie: 'sealed-cookie' })
  })

  it('follows a goto_location into the app', async () => {
    doPostAction.mockResolvedValue(answer(`${window.location.origin}/team/channels/ops`))
    const el = render([{ id: 'go', name: 'Go', type: 'button' }])
    buttons(el)[0]?.click()
    await settle()
    expect(router.push).toHaveBeenCalledWith('/team/channels/ops')
  })

  it('opens an outside goto_location in a new tab', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null)
    doPostAction.mockResolvedValue(answer('https://ci.example.org/run/7'))
    const el = render([{ id: 'go', name: 'Go', type: 'button' }])
    buttons(el)[0]?.click()
    await settle()
    expect(open).toHaveBeenCalledWith('https://ci.example.org/run/7', '_blank', 'noopener,noreferrer')
    expect(router.push).not.toHaveBeenCalled()
  })

  it("shows the server's message when the action fails", async () => {
    doPostAction.mockRejectedValue(new ApiError(502, 'integration_failed', 'The integration did not answer.'))
    const el = render([{ id: 'go', name: 'Go', type: 'button' }])
    buttons(el)[0]?.click()
    await settle()
    const error = el.querySelector('[data-testid="msg-attachment-action-error"]')
    expect(error?.textContent).toBe('The integration did not answer.')
    expect(error?.getAttribute('role')).toBe('alert')
    expect(buttons(el)[0]?.disabled).toBe(false)
  })

  it('sends the option chosen from a static menu', async () => {
    const pending = deferred<PostActionResponse>()
    doPostAction.mockReturnValue(pending.promise)
    const el = render([
      { id: 'env', name: 'Environment', type: 'select', options: [{ text: 'Staging', value: 'stg' }, { text: 'Production', value: 'prod' }], cookie: 'c1' },
    ])
    const select = el.querySelector<HTMLSelectElement>('[data-testid="msg-attachment-action-select"]')
    expect(select?.getAttribute('aria-label')).toBe('Environment')
    expect(Array.from(select?.options ?? []).map((o) => o.textContent)).toEqual(['Environment', 'Staging', 'Production'])
    choose(select, 'prod')
    await settle()
    expect(doPostAction).toHaveBeenCalledWith('post1', 'env', { selected_option: 'prod', cookie: 'c1' })
    expect(select?.disabled).toBe(true)
    pending.resolve(answer())
    await settle()
    expect(select?.disabled).toBe(false)
    expect(select?.value).toBe('prod')
  })

  it('shows the default option of a static menu first', () => {
    const el = render([{ id: 'env', name: 'Environment', type: 'select', options: [{ text: 'Staging', value: 'stg' }, { text: 'Production', value: 'prod' }], default_option: 'prod' }])
    expect(el.querySelector<HTMLSelectElement>('[data-testid="msg-attachment-action-select"]')?.value).toBe('prod')
  })

  it('searches users for a users menu and sends the chosen id', async () => {
    vi.mocked(searchChoices).mockResolvedValue([
      { value: 'u-bob', text: 'bob', detail: 'Bob Builder' },
      { value: 'u-bea', text: 'bea' },
    ])
    doPostAction.mockResolvedValue(answer())
    const el = render([{ id: 'assign', name: 'Assign to', type: 'select', data_source: 'users' }])
    const input = el.querySelector<HTMLInputElement>('[data-testid="msg-attachment-action-menu-assign"]')
    expect(input?.getAttribute('role')).toBe('combobox')
    expect(input?.getAttribute('aria-label')).toBe('Assign to')
    input?.dispatchEvent(new Event('focus'))
    type(input, 'b')
    await new Promise((r) => setTimeout(r, 200))
    await settle()
    expect(searchChoices).toHaveBeenLastCalledWith('users', 'b')
    const choices = Array.from(el.querySelectorAll('[data-testid="search-select-choice"]'))
    expect(choices.map((c) => c.textContent?.trim())).toEqual(['bob Bob Builder', 'bea'])
    input?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }))
    input?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    await settle()
    expect(doPostAction).toHaveBeenCalledWith('post1', 'assign', { selected_option: 'u-bea', cookie: null })
    expect(input?.value).toBe('bea')
  })
})
