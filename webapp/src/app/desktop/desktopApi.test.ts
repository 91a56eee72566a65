import { afterEach, describe, expect, it, vi } from 'vitest'
import { appInitialized, inDesktopApp, loggedIn, sendNotification, setUnreadsAndMentions } from './desktopApi'
import { documentTitle } from './unreadStatus'

describe('desktop app API', () => {
  afterEach(() => {
    delete window.desktopAPI
  })

  it('does nothing in a browser', () => {
    expect(inDesktopApp()).toBe(false)
    expect(() => appInitialized()).not.toThrow()
    expect(sendNotification({ title: 't', body: 'b', channelId: 'c', teamId: 't', url: '/x', silent: false, soundName: '' })).toBe(false)
  })

  it('calls the desktop app when it is there, and skips calls it lacks', () => {
    const calls: unknown[][] = []
    window.desktopAPI = {
      setSessionExpired: (expired) => void calls.push(['setSessionExpired', expired]),
      onLogin: () => void calls.push(['onLogin']),
      setUnreadsAndMentions: (unread, mentions) => void calls.push(['setUnreadsAndMentions', unread, mentions]),
      sendNotification: vi.fn(async () => ({ status: 'success' })),
    }
    expect(inDesktopApp()).toBe(true)
    appInitialized()
    loggedIn()
    setUnreadsAndMentions(true, 3)
    expect(sendNotification({ title: 'T', body: 'B', channelId: 'c1', teamId: 't1', url: '/t/channels/c', silent: false, soundName: 'Bing' })).toBe(true)
    expect(calls).toEqual([['setSessionExpired', false], ['onLogin'], ['setUnreadsAndMentions', true, 3]])
    expect(window.desktopAPI.sendNotification).toHaveBeenCalledWith('T', 'B', 'c1', 't1', '/t/channels/c', false, 'Bing')
  })
})

describe('document title', () => {
  it('shows mentions and unreads as Mattermost does', () => {
    expect(documentTitle('town-square', { isUnread: false, mentionCount: 0 })).toBe('town-square · rustchat')
    expect(documentTitle('town-square', { isUnread: true, mentionCount: 0 })).toBe('* town-square · rustchat')
    expect(documentTitle('dev', { isUnread: true, mentionCount: 4 })).toBe('(4) * dev · rustchat')
    expect(documentTitle('', { isUnread: false, mentionCount: 1 })).toBe('(1) rustchat')
  })
})
