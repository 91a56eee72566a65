import { describe, expect, it } from 'vitest'
import { channelNotifyProps, effectiveDesktop, isMuted, levelName, notifyPropsChanges } from './notifyProps'

describe('channel notification settings', () => {
  it("fills Mattermost's defaults and drops unknown values", () => {
    expect(channelNotifyProps(undefined)).toEqual({
      desktop: 'default',
      push: 'default',
      email: 'default',
      mark_unread: 'all',
      ignore_channel_mentions: 'default',
    })
    expect(channelNotifyProps({ desktop: 'all', push: 'loud', mark_unread: 'mention', ignore_channel_mentions: 'on' })).toMatchObject({
      desktop: 'all',
      push: 'default',
      mark_unread: 'mention',
      ignore_channel_mentions: 'on',
    })
  })

  it('is muted when only mentions mark it unread', () => {
    expect(isMuted({ notify_props: { mark_unread: 'mention' } })).toBe(true)
    expect(isMuted({ notify_props: { mark_unread: 'all' } })).toBe(false)
    expect(isMuted({ notify_props: {} })).toBe(false)
    expect(isMuted(undefined)).toBe(false)
  })

  it('sends only the settings that changed', () => {
    const before = channelNotifyProps({ desktop: 'mention' })
    expect(notifyPropsChanges(before, { ...before })).toEqual({})
    expect(notifyPropsChanges(before, { ...before, desktop: 'none', mark_unread: 'mention' })).toEqual({ desktop: 'none', mark_unread: 'mention' })
    expect(notifyPropsChanges(before, { ...before, desktop: 'default' })).toEqual({ desktop: 'default' })
  })

  it("falls back to the account's desktop setting for default", () => {
    expect(effectiveDesktop('default', 'all')).toBe('all')
    expect(effectiveDesktop(undefined, 'none')).toBe('none')
    expect(effectiveDesktop('default', undefined)).toBe('mention')
    expect(effectiveDesktop('none', 'all')).toBe('none')
    expect(effectiveDesktop('all', 'none')).toBe('all')
  })

  it('names default after what it follows', () => {
    expect(levelName('default', 'mention')).toBe('Default (only for mentions)')
    expect(levelName('default', 'true')).toBe('Default (on)')
    expect(levelName('default')).toBe('Default')
    expect(levelName('none')).toBe('Never')
  })
})
