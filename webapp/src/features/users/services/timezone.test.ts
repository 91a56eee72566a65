import { describe, expect, it } from 'vitest'
import { automaticTimezoneUpdate, localTime, timezoneOf } from './timezone'

describe('time zones', () => {
  it('takes the automatic zone unless the user chose one', () => {
    expect(timezoneOf({ timezone: { useAutomaticTimezone: 'true', automaticTimezone: 'Europe/Paris', manualTimezone: 'Asia/Tokyo' } })).toBe('Europe/Paris')
    expect(timezoneOf({ timezone: { useAutomaticTimezone: 'false', automaticTimezone: 'Europe/Paris', manualTimezone: 'Asia/Tokyo' } })).toBe('Asia/Tokyo')
    expect(timezoneOf({ timezone: { useAutomaticTimezone: 'true', automaticTimezone: '', manualTimezone: '' } })).toBe('')
    expect(timezoneOf(undefined)).toBe('')
  })

  it('tells the local time in a zone, nothing for an unknown one', () => {
    const noonUtc = Date.UTC(2025, 0, 15, 12, 5)
    expect(localTime('Asia/Tokyo', noonUtc, 'en-US')).toBe('9:05 PM')
    expect(localTime('UTC', noonUtc, 'en-US')).toBe('12:05 PM')
    expect(localTime('Mars/Olympus', noonUtc)).toBe('')
    expect(localTime('', noonUtc)).toBe('')
  })

  it("saves the browser's zone only for a user who follows it and moved", () => {
    const follows = { timezone: { useAutomaticTimezone: 'true', automaticTimezone: '', manualTimezone: '' } }
    expect(automaticTimezoneUpdate(follows, 'Europe/Berlin')).toEqual({
      useAutomaticTimezone: 'true',
      automaticTimezone: 'Europe/Berlin',
      manualTimezone: '',
    })
    expect(automaticTimezoneUpdate({ timezone: { ...follows.timezone, automaticTimezone: 'Europe/Berlin' } }, 'Europe/Berlin')).toBeNull()
    expect(automaticTimezoneUpdate({ timezone: { ...follows.timezone, useAutomaticTimezone: 'false' } }, 'Europe/Berlin')).toBeNull()
  })
})
