import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { tickClock } from '../stores/clock'
import CustomStatusEmoji from './CustomStatusEmoji.vue'

let mounted: Mounted | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.useRealTimers()
})

const user = (status: object | '') => ({ props: { customStatus: status ? JSON.stringify(status) : '' } })
const shown = () => mounted?.el.querySelector('[data-testid="custom-status-emoji"]') ?? null

describe('the status emoji beside a name', () => {
  it('shows the emoji with the text as its name and tooltip', () => {
    mounted = mount(CustomStatusEmoji, { user: user({ emoji: 'palm_tree', text: 'On a vacation', duration: '' }) })
    expect(shown()?.textContent).toBe('🌴')
    expect(shown()?.getAttribute('aria-label')).toBe('On a vacation')
    expect(shown()?.getAttribute('title')).toBe('On a vacation')
  })

  it('uses a speech balloon for a text without an emoji, and nothing for no status', () => {
    mounted = mount(CustomStatusEmoji, { user: user({ emoji: '', text: 'Heads down', duration: '' }) })
    expect(shown()?.textContent).toBe('💬')
    mounted.unmount()
    mounted = mount(CustomStatusEmoji, { user: user('') })
    expect(shown()).toBeNull()
  })

  it('disappears when its time runs out, and tells until when meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = new Date(2025, 5, 4, 10, 0)
    vi.setSystemTime(start)
    const expires = new Date(2025, 5, 4, 10, 30)
    mounted = mount(CustomStatusEmoji, {
      user: user({ emoji: 'sandwich', text: 'Out for lunch', duration: 'thirty_minutes', expires_at: expires.toISOString() }),
    })
    expect(shown()?.getAttribute('title')).toMatch(/^Out for lunch · Until /)
    vi.setSystemTime(new Date(2025, 5, 4, 10, 31))
    tickClock()
    await settle()
    expect(shown()).toBeNull()
  })
})
