import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { TYPING_TTL_MS, usePresenceStore } from './presenceStore'

describe('presence store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('shows who types in a channel or thread until the notice expires', () => {
    const presence = usePresenceStore()
    presence.startTyping('c1', '', 'bob')
    presence.startTyping('c1', 'root', 'carol')
    expect(presence.typers('c1')).toEqual(['bob'])
    expect(presence.typers('c1', 'root')).toEqual(['carol'])
    vi.advanceTimersByTime(TYPING_TTL_MS + 1000)
    expect(presence.typers('c1')).toEqual([])
  })

  it('stops showing a typer once their post arrives', () => {
    const presence = usePresenceStore()
    presence.startTyping('c1', '', 'bob')
    presence.stopTyping('c1', '', 'bob')
    expect(presence.typers('c1')).toEqual([])
  })

  it('treats unknown users as offline', () => {
    const presence = usePresenceStore()
    presence.setStatuses([{ user_id: 'bob', status: 'away' }] as never)
    expect(presence.statusOf('bob')).toBe('away')
    expect(presence.statusOf('carol')).toBe('offline')
  })
})
