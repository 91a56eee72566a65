import { describe, expect, it } from 'vitest'
import type { ShownSetting } from '../repositories/adminRepository'
import { matchesSetting, settingValue } from './settings'

const setting = (key: string, value: unknown, description = ''): ShownSetting => ({
  key,
  variable: `RUSTCHAT_${key.toUpperCase()}`,
  value,
  secret: false,
  description,
})

describe('configuration values', () => {
  it('shows unset values as unset, and every kind of value as text', () => {
    expect(settingValue(null)).toEqual({ text: 'unset', unset: true })
    expect(settingValue('0.0.0.0:8065')).toEqual({ text: '0.0.0.0:8065', unset: false })
    expect(settingValue('').text).toBe('""')
    expect(settingValue(false).text).toBe('false')
    expect(settingValue(8).text).toBe('8')
    expect(settingValue(['a.com', 'b.org']).text).toBe('a.com, b.org')
    expect(settingValue([]).text).toBe('[]')
    expect(settingValue({ a: 1 }).text).toBe('{"a":1}')
  })

  it('finds settings by key, variable, description or value, every word', () => {
    const listen = setting('listen', '127.0.0.1:8065', 'Address and port to listen on.')
    expect(matchesSetting(listen, '')).toBe(true)
    expect(matchesSetting(listen, 'LISTEN')).toBe(true)
    expect(matchesSetting(listen, 'rustchat_listen')).toBe(true)
    expect(matchesSetting(listen, 'port 8065')).toBe(true)
    expect(matchesSetting(listen, 'port smtp')).toBe(false)
  })
})
