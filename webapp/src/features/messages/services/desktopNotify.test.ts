import { describe, expect, it } from 'vitest'
import { shouldNotify, type NotifyInput } from './desktopNotify'

const base: NotifyInput = {
  desktopSetting: 'mention',
  mentioned: false,
  direct: false,
  followedReply: false,
  mine: false,
  visible: false,
  permission: 'granted',
}

describe('shouldNotify', () => {
  it('notifies mentions and direct messages by default', () => {
    expect(shouldNotify({ ...base, desktopSetting: undefined, mentioned: true })).toBe(true)
    expect(shouldNotify({ ...base, direct: true })).toBe(true)
    expect(shouldNotify({ ...base, followedReply: true })).toBe(true)
    expect(shouldNotify({ ...base, followedReply: true, desktopSetting: 'none' })).toBe(false)
    expect(shouldNotify(base)).toBe(false)
  })
  it('follows all and none', () => {
    expect(shouldNotify({ ...base, desktopSetting: 'all' })).toBe(true)
    expect(shouldNotify({ ...base, desktopSetting: 'none', mentioned: true })).toBe(false)
  })
  it('stays quiet in a muted channel, mentions and direct messages included', () => {
    expect(shouldNotify({ ...base, muted: true, mentioned: true })).toBe(false)
    expect(shouldNotify({ ...base, muted: true, desktopSetting: 'all', direct: true })).toBe(false)
    expect(shouldNotify({ ...base, muted: false, mentioned: true })).toBe(true)
  })
  it('stays quiet for own posts, a visible tab or without permission', () => {
    expect(shouldNotify({ ...base, mentioned: true, mine: true })).toBe(false)
    expect(shouldNotify({ ...base, mentioned: true, visible: true })).toBe(false)
    expect(shouldNotify({ ...base, mentioned: true, permission: 'default' })).toBe(false)
  })
})
