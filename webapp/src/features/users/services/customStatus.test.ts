import { describe, expect, it } from 'vitest'
import {
  activeCustomStatus,
  expiresAtFor,
  expiryLabel,
  expiryOf,
  isExpired,
  nextHalfHour,
  parseCustomStatus,
  parseRecentStatuses,
  statusRequest,
  toLocalInputValue,
} from './customStatus'

// Local times, so that the tests hold in any time zone: Wednesday 4 June 2025, 10:17:42.
const now = new Date(2025, 5, 4, 10, 17, 42, 500)
const local = (...parts: number[]) => new Date(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 1, parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0, parts[6] ?? 0)

describe('expiry of a new status', () => {
  it('counts whole minutes from now for the short durations', () => {
    expect(expiresAtFor('thirty_minutes', now)).toBe(local(2025, 5, 4, 10, 47).toISOString())
    expect(expiresAtFor('one_hour', now)).toBe(local(2025, 5, 4, 11, 17).toISOString())
    expect(expiresAtFor('four_hours', now)).toBe(local(2025, 5, 4, 14, 17).toISOString())
  })

  it('ends today at the last millisecond of the local day', () => {
    expect(expiresAtFor('today', now)).toBe(local(2025, 5, 4, 23, 59, 59, 999).toISOString())
  })

  it('ends this week on Saturday night, as Mattermost', () => {
    expect(expiresAtFor('this_week', now)).toBe(local(2025, 5, 7, 23, 59, 59, 999).toISOString())
    // On a Saturday, the week ends that night; on a Sunday, six days later.
    expect(expiresAtFor('this_week', local(2025, 5, 7, 9))).toBe(local(2025, 5, 7, 23, 59, 59, 999).toISOString())
    expect(expiresAtFor('this_week', local(2025, 5, 8, 9))).toBe(local(2025, 5, 14, 23, 59, 59, 999).toISOString())
  })

  it('takes the chosen moment, and nothing for no expiry', () => {
    const chosen = local(2025, 5, 20, 17, 30)
    expect(expiresAtFor('date_and_time', now, chosen)).toBe(chosen.toISOString())
    expect(expiresAtFor('date_and_time', now)).toBeUndefined()
    expect(expiresAtFor('date_and_time', now, new Date('nonsense'))).toBeUndefined()
    expect(expiresAtFor('', now)).toBeUndefined()
  })

  it('builds the request body: no expiry fields when it lasts until cleared, text trimmed and cut', () => {
    expect(statusRequest({ emoji: 'house', text: ' Working from home ' }, '', now)).toEqual({ emoji: 'house', text: 'Working from home' })
    expect(statusRequest({ emoji: 'sandwich', text: 'Lunch' }, 'thirty_minutes', now)).toEqual({
      emoji: 'sandwich',
      text: 'Lunch',
      duration: 'thirty_minutes',
      expires_at: local(2025, 5, 4, 10, 47).toISOString(),
    })
    expect(statusRequest({ emoji: '', text: 'x'.repeat(150) }, '', now).text).toHaveLength(100)
  })

  it('offers the next half hour for a chosen date', () => {
    expect(nextHalfHour(now)).toEqual(local(2025, 5, 4, 10, 30))
    expect(nextHalfHour(local(2025, 5, 4, 23, 45))).toEqual(local(2025, 5, 5, 0, 0))
    expect(toLocalInputValue(local(2025, 0, 2, 3, 4))).toBe('2025-01-02T03:04')
  })
})

describe('showing a status', () => {
  const user = (customStatus: string) => ({ props: { customStatus } })

  it('reads the JSON string of the props; empty or unreadable is none', () => {
    expect(parseCustomStatus('{"emoji":"calendar","text":"In a meeting","duration":""}')).toEqual({
      emoji: 'calendar',
      text: 'In a meeting',
      duration: '',
      expires_at: undefined,
    })
    expect(parseCustomStatus('')).toBeNull()
    expect(parseCustomStatus('{not json')).toBeNull()
    expect(parseCustomStatus('{"emoji":"","text":""}')).toBeNull()
    expect(activeCustomStatus(user(''), now.getTime())).toBeNull()
    expect(activeCustomStatus(undefined, now.getTime())).toBeNull()
  })

  it('hides a status whose time has come, never one without a duration', () => {
    const until = local(2025, 5, 4, 11).toISOString()
    const timed = JSON.stringify({ emoji: 'calendar', text: 'Meeting', duration: 'one_hour', expires_at: until })
    expect(activeCustomStatus(user(timed), now.getTime())?.text).toBe('Meeting')
    expect(activeCustomStatus(user(timed), local(2025, 5, 4, 11).getTime())).toBeNull()
    // Mattermost writes Go's zero time for "no expiry".
    const forever = { emoji: 'house', text: 'Home', duration: '', expires_at: '0001-01-01T00:00:00Z' }
    expect(expiryOf(forever)).toBeNull()
    expect(isExpired(forever, now.getTime())).toBe(false)
    expect(isExpired({ ...forever, duration: 'today', expires_at: 'garbage' }, now.getTime())).toBe(false)
  })

  it('reads the recent statuses preference, skipping what is unreadable', () => {
    const raw = JSON.stringify([{ emoji: 'tada', text: 'Launch', duration: 'today' }, { nope: 1 }, 'x'])
    expect(parseRecentStatuses(raw).map((s) => s.text)).toEqual(['Launch'])
    expect(parseRecentStatuses('[')).toEqual([])
    expect(parseRecentStatuses(undefined)).toEqual([])
  })

  it('says until when: a time today, tomorrow, a weekday, a date', () => {
    const at = (d: Date) => expiryLabel(d.getTime(), now.getTime(), 'en-US')
    expect(at(local(2025, 5, 4, 17, 30))).toBe('Until 5:30 PM')
    expect(at(local(2025, 5, 5, 9, 0))).toBe('Until tomorrow 9:00 AM')
    expect(at(local(2025, 5, 7, 23, 59, 59, 999))).toBe('Until Saturday 11:59 PM')
    expect(at(local(2025, 5, 20, 8, 0))).toBe('Until Jun 20 8:00 AM')
    expect(at(local(2026, 0, 2, 8, 0))).toBe('Until Jan 2, 2026 8:00 AM')
  })
})
