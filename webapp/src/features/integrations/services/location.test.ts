import { describe, expect, it, vi } from 'vitest'
import { followLocation, resolveLocation } from './location'

const ORIGIN = 'https://chat.example.com'

describe('resolveLocation', () => {
  it('keeps links into this site in the app', () => {
    expect(resolveLocation('https://chat.example.com/team/channels/ops?x=1#p', ORIGIN)).toEqual({ kind: 'route', path: '/team/channels/ops?x=1#p' })
    expect(resolveLocation('/team/messages/@bob', ORIGIN)).toEqual({ kind: 'route', path: '/team/messages/@bob' })
  })

  it('opens other sites outside', () => {
    expect(resolveLocation('https://ci.example.org/run/7', ORIGIN)).toEqual({ kind: 'external', href: 'https://ci.example.org/run/7' })
    expect(resolveLocation('http://chat.example.com/x', ORIGIN)).toEqual({ kind: 'external', href: 'http://chat.example.com/x' })
  })

  it('follows nothing but http(s)', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'mailto:a@b.c', '', '   ']) {
      expect(resolveLocation(bad, ORIGIN), bad).toBeNull()
    }
  })
})

describe('followLocation', () => {
  it('routes in-app links and opens the others', () => {
    const nav = { push: vi.fn(), open: vi.fn() }
    followLocation('/t/channels/a', nav, ORIGIN)
    followLocation('https://elsewhere.test/', nav, ORIGIN)
    followLocation('javascript:alert(1)', nav, ORIGIN)
    expect(nav.push.mock.calls).toEqual([['/t/channels/a']])
    expect(nav.open.mock.calls).toEqual([['https://elsewhere.test/']])
  })
})
