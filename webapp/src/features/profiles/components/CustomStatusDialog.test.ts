import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { useAuthStore } from '@/features/auth'
import { channelsRepository } from '@/features/channels'
import { usersRepository } from '@/features/users'
import CustomStatusDialog from './CustomStatusDialog.vue'

let pinia: Pinia
let mounted: Mounted | null = null
const onClose = vi.fn()

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  onClose.mockReset()
  vi.spyOn(channelsRepository, 'preferences').mockResolvedValue([
    {
      user_id: 'u-me',
      category: 'custom_status',
      name: 'recent_custom_statuses',
      value: JSON.stringify([{ emoji: 'house', text: 'Working from home', duration: 'today' }, { emoji: 'rocket', text: 'Shipping', duration: '' }]),
    },
  ])
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

function open(customStatus = ''): void {
  useAuthStore().me = { id: 'u-me', username: 'me', props: { customStatus } } as never
  mounted = mount(CustomStatusDialog, { onClose }, pinia)
}

const q = (testid: string) => mounted?.el.ownerDocument.querySelector(`[data-testid="${testid}"]`) ?? null
const all = (testid: string) => [...(mounted?.el.ownerDocument.querySelectorAll(`[data-testid="${testid}"]`) ?? [])]

describe('setting a custom status', () => {
  it('lists the recent statuses, and the suggestions not among them', async () => {
    open()
    await settle()
    expect(all('status-recent').map((b) => [...b.children].map((c) => c.textContent?.trim()).join(' '))).toEqual([
      '🏠 Working from home Today',
      "🚀 Shipping Don't clear",
    ])
    const suggested = all('status-suggestion').map((b) => b.querySelector('.status-choice-text')?.textContent)
    expect(suggested).toEqual(['In a meeting', 'Out for lunch', 'Out sick', 'On a vacation'])
  })

  it('takes a suggestion with its duration and saves it with its expiry', async () => {
    const set = vi.spyOn(usersRepository, 'setCustomStatus').mockImplementation(async (s) => s as never)
    open()
    await settle()
    ;(all('status-suggestion')[0] as HTMLButtonElement).click()
    await settle()
    expect((q('status-text') as HTMLInputElement).value).toBe('In a meeting')
    expect((q('status-duration') as HTMLSelectElement).value).toBe('one_hour')
    // With a status typed, the lists give way to it.
    expect(all('status-suggestion')).toHaveLength(0)
    const before = Date.now()
    ;(q('status-save') as HTMLButtonElement).click()
    await settle()
    expect(set).toHaveBeenCalledTimes(1)
    const body = set.mock.calls[0]?.[0]
    expect(body).toMatchObject({ emoji: 'calendar', text: 'In a meeting', duration: 'one_hour' })
    const expires = Date.parse(body?.expires_at ?? '')
    expect(expires - before).toBeGreaterThan(58 * 60_000)
    expect(expires - before).toBeLessThanOrEqual(60 * 60_000)
    expect(JSON.parse(String(useAuthStore().me?.props.customStatus)).text).toBe('In a meeting')
    expect(onClose).toHaveBeenCalled()
  })

  it("sends no expiry for \"Don't clear\", and clears the current status", async () => {
    const set = vi.spyOn(usersRepository, 'setCustomStatus').mockImplementation(async (s) => s as never)
    const clear = vi.spyOn(usersRepository, 'clearCustomStatus').mockResolvedValue({} as never)
    open(JSON.stringify({ emoji: 'rocket', text: 'Shipping', duration: '' }))
    await settle()
    expect((q('status-duration') as HTMLSelectElement).value).toBe('')
    ;(q('status-save') as HTMLButtonElement).click()
    await settle()
    expect(set.mock.calls[0]?.[0]).toEqual({ emoji: 'rocket', text: 'Shipping' })
    ;(q('status-clear') as HTMLButtonElement).click()
    await settle()
    expect(clear).toHaveBeenCalled()
    expect(useAuthStore().me?.props.customStatus).toBe('')
  })
})
