import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { DialogSubmitResponse } from '../types'
import { deferred, mount, settle, type, type Mounted } from '@/app/__test__/mount'
import { useAuthStore } from '@/features/auth'
import { useChannelsStore } from '@/features/channels'
import { useMessagesStore } from '@/features/messages/stores/messagesStore'
import { useTeamsStore } from '@/features/teams'
import { useUsersStore } from '@/features/users'
import { integrationsRepository } from '../repositories/integrationsRepository'
import { searchChoices } from '../services/optionSources'
import { useDialogStore } from '../stores/dialogStore'
import InteractiveDialog from './InteractiveDialog.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))
vi.mock('../repositories/integrationsRepository', () => ({
  integrationsRepository: { doPostAction: vi.fn(), submitDialog: vi.fn() },
}))
vi.mock('../services/optionSources', () => ({ searchChoices: vi.fn().mockResolvedValue([]), knownLabel: () => '' }))

const submitDialog = vi.mocked(integrationsRepository.submitDialog)

const ELEMENTS = [
  { name: 'email', display_name: 'E-mail', type: 'text', subtype: 'email', placeholder: 'you@example.com', help_text: 'Where we write', default: '' },
  { name: 'reason', display_name: 'Reason', type: 'textarea', min_length: 5, max_length: 200 },
  { name: 'env', display_name: 'Environment', type: 'select', options: [{ text: 'Staging', value: 'stg' }, { text: 'Production', value: 'prod' }], default: 'stg' },
  { name: 'owner', display_name: 'Owner', type: 'select', data_source: 'users', optional: true },
  { name: 'agree', display_name: 'Agree', type: 'bool', placeholder: 'I know what I am doing' },
  { name: 'size', display_name: 'Size', type: 'radio', options: [{ text: 'Small', value: 's' }, { text: 'Large', value: 'l' }] },
  { name: 'count', display_name: 'Count', type: 'text', subtype: 'number', optional: true },
]

function openEvent(dialog: Record<string, unknown> = {}) {
  return {
    trigger_id: 'trig-1',
    url: 'http://hooks.example/dialog',
    dialog: { callback_id: 'cb-9', title: 'Deploy', introduction_text: 'Fill **all** of it', elements: ELEMENTS, submit_label: 'Ship', notify_on_cancel: false, state: 'st-1', ...dialog },
  }
}

let mounted: Mounted | null = null

function open(dialog: Record<string, unknown> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().me = { id: 'u-me', username: 'me' } as never
  useUsersStore().put([{ id: 'u-me', username: 'me' }] as never)
  useTeamsStore().teams = [{ id: 'team-1', name: 'eng' }] as never
  useTeamsStore().currentName = 'eng'
  useChannelsStore().activeId = 'chan-1'
  const store = useDialogStore()
  store.open(openEvent(dialog))
  mounted = mount(InteractiveDialog, { open: store.current }, pinia)
  return { el: document.body, store }
}

const field = (name: string) => document.querySelector(`[data-testid="dialog-field-${name}"]`)
const control = <T extends Element>(name: string, selector = 'input, textarea, select') => field(name)?.querySelector<T>(selector) ?? null
const submitButton = () => document.querySelector<HTMLButtonElement>('[data-testid="dialog-submit"]')
const errorOf = (name: string) => field(name)?.querySelector('[data-testid="dialog-field-error"]')?.textContent ?? ''

function fillValid(): void {
  type(control('email'), 'ops@example.com')
  type(control('reason'), 'hotfix for the login bug')
  control<HTMLInputElement>('agree', 'input[type=checkbox]')?.click()
  control<HTMLInputElement>('size', 'input[value=l]')?.click()
}

beforeEach(() => submitDialog.mockReset())
afterEach(() => {
  mounted?.unmount()
  mounted = null
})

describe('interactive dialog', () => {
  it('renders the elements, labelled and described', async () => {
    open()
    await settle()
    const dialog = document.querySelector('[data-testid="interactive-dialog"]')
    expect(dialog?.getAttribute('role')).toBe('dialog')
    expect(dialog?.getAttribute('aria-modal')).toBe('true')
    expect(dialog?.querySelector('h2')?.textContent).toContain('Deploy')
    expect(document.querySelector('[data-testid="dialog-intro"] strong')?.textContent).toBe('all')

    const email = control<HTMLInputElement>('email')
    expect(email?.type).toBe('email')
    expect(email?.placeholder).toBe('you@example.com')
    expect(document.querySelector(`label[for="${email?.id}"]`)?.textContent).toContain('E-mail')
    const help = document.getElementById(email?.getAttribute('aria-describedby') ?? '')
    expect(help?.textContent).toBe('Where we write')
    expect(control('reason')?.tagName).toBe('TEXTAREA')
    expect(control('reason')?.getAttribute('maxlength')).toBe('200')
    const env = control<HTMLSelectElement>('env')
    expect(env?.value).toBe('stg')
    expect(control('owner')?.getAttribute('role')).toBe('combobox')
    expect(field('owner')?.textContent).toContain('(optional)')
    expect(control<HTMLInputElement>('agree')?.type).toBe('checkbox')
    expect(field('size')?.querySelector('legend')?.textContent).toContain('Size')
    expect(field('size')?.querySelectorAll('input[type=radio]')).toHaveLength(2)
    expect(control<HTMLInputElement>('count')?.type).toBe('number')
    expect(submitButton()?.textContent?.trim()).toBe('Ship')
    // The first field has the focus.
    expect(document.activeElement).toBe(email)
  })

  it('checks required fields and lengths before sending anything', async () => {
    open()
    await settle()
    type(control('reason'), 'abc')
    submitButton()?.click()
    await settle()
    expect(submitDialog).not.toHaveBeenCalled()
    expect(errorOf('email')).toBe('This field is required.')
    expect(errorOf('reason')).toBe('Minimum input length is 5.')
    expect(errorOf('agree')).toBe('This field is required.')
    expect(errorOf('size')).toBe('This field is required.')
    expect(errorOf('owner')).toBe('')
    expect(control('email')?.getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(control('email'))
  })

  it('submits the values with the context, and closes on success', async () => {
    const pending = deferred<DialogSubmitResponse>()
    submitDialog.mockReturnValue(pending.promise)
    const { store } = open()
    await settle()
    fillValid()
    type(control('count'), '3')
    submitButton()?.click()
    await settle()
    expect(submitDialog).toHaveBeenCalledWith({
      url: 'http://hooks.example/dialog',
      callback_id: 'cb-9',
      state: 'st-1',
      channel_id: 'chan-1',
      team_id: 'team-1',
      submission: { email: 'ops@example.com', reason: 'hotfix for the login bug', env: 'stg', owner: null, agree: true, size: 'l', count: 3 },
      cancelled: false,
    })
    expect(submitButton()?.disabled).toBe(true)
    pending.resolve({})
    await settle()
    expect(store.current).toBeNull()
  })

  it('sends the id of a user chosen from a users menu', async () => {
    vi.mocked(searchChoices).mockResolvedValue([{ value: 'u-bob', text: 'bob' }])
    submitDialog.mockResolvedValue({})
    open()
    await settle()
    fillValid()
    const owner = control<HTMLInputElement>('owner')
    owner?.dispatchEvent(new Event('focus'))
    type(owner, 'bo')
    await new Promise((r) => setTimeout(r, 200))
    await settle()
    expect(searchChoices).toHaveBeenLastCalledWith('users', 'bo')
    field('owner')?.querySelector('[data-testid="search-select-choice"]')?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    await settle()
    expect(owner?.value).toBe('bob')
    submitButton()?.click()
    await settle()
    expect(submitDialog.mock.calls[0]?.[0].submission.owner).toBe('u-bob')
  })

  it('keeps the dialog open with the field errors the integration returns', async () => {
    submitDialog.mockResolvedValue({ errors: { email: 'That address is taken.', nonsense: 'ignored' } })
    const { store } = open()
    await settle()
    fillValid()
    submitButton()?.click()
    await settle()
    expect(store.current).not.toBeNull()
    expect(errorOf('email')).toBe('That address is taken.')
    expect(document.body.textContent).not.toContain('ignored')
    expect(submitButton()?.disabled).toBe(false)
  })

  it("shows the integration's error at the top and stays open", async () => {
    submitDialog.mockResolvedValue({ error: 'Deploys are frozen today.' })
    const { store } = open()
    await settle()
    fillValid()
    submitButton()?.click()
    await settle()
    const top = document.querySelector('[data-testid="dialog-error"]')
    expect(top?.textContent).toBe('Deploys are frozen today.')
    expect(top?.getAttribute('role')).toBe('alert')
    expect(store.current).not.toBeNull()
  })

  it('closes when errors name no field, and shows the text to this user only', async () => {
    submitDialog.mockResolvedValue({ errors: { nonsense: 'x' }, text: 'Deploy queued.' })
    const { store } = open()
    await settle()
    fillValid()
    submitButton()?.click()
    await settle()
    expect(store.current).toBeNull()
    const posts = useMessagesStore().channelPosts('chan-1')
    expect(posts.map((p) => [p.message, p.type])).toEqual([['Deploy queued.', 'system_ephemeral']])
  })

  it('tells the integration of a cancel when it asked to be notified', async () => {
    submitDialog.mockResolvedValue({})
    const { store } = open({ notify_on_cancel: true })
    await settle()
    document.querySelector<HTMLButtonElement>('[data-testid="dialog-cancel"]')?.click()
    await settle()
    expect(store.current).toBeNull()
    expect(submitDialog).toHaveBeenCalledWith({
      url: 'http://hooks.example/dialog', callback_id: 'cb-9', state: 'st-1', channel_id: 'chan-1', team_id: 'team-1',
      submission: {}, cancelled: true,
    })
  })

  it('closes on Escape, silently when no notice was asked for', async () => {
    const { store } = open()
    await settle()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(store.current).toBeNull()
    expect(submitDialog).not.toHaveBeenCalled()
  })

  it('keeps the focus inside the dialog', async () => {
    open()
    await settle()
    const panel = document.querySelector<HTMLElement>('[data-testid="interactive-dialog"]')
    submitButton()?.focus()
    panel?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }))
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close')
    panel?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }))
    expect(document.activeElement).toBe(submitButton())
  })
})
