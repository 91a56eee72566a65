import { beforeEach, describe, expect, it } from 'vitest'
import { rememberChannel, rememberedChannel } from './lastChannel'

describe('remembered channel ids', () => {
  beforeEach(() => localStorage.clear())

  it('finds the id of a route opened before', () => {
    rememberChannel('/team/channels/town-square', 'c1')
    expect(rememberedChannel('/team/channels/town-square')).toBe('c1')
    expect(rememberedChannel('/team/channels/other')).toBeUndefined()
  })

  it('keeps only the most recent fifty', () => {
    for (let i = 0; i < 60; i++) rememberChannel(`/t/channels/c${i}`, `id${i}`)
    expect(rememberedChannel('/t/channels/c0')).toBeUndefined()
    expect(rememberedChannel('/t/channels/c59')).toBe('id59')
    rememberChannel('/t/channels/c10', 'again')
    rememberChannel('/t/channels/c60', 'id60')
    expect(rememberedChannel('/t/channels/c10')).toBe('again')
  })

  it('survives garbage in storage', () => {
    localStorage.setItem('rustchat.channelIds', '{not json')
    expect(rememberedChannel('/x')).toBeUndefined()
  })
})
