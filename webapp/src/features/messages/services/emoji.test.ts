import { describe, expect, it } from 'vitest'
import { QUICK_REACTIONS, emojiFor, emojiNames, searchEmoji } from './emoji'

describe('emojiFor', () => {
  it('knows the common Mattermost names', () => {
    const names = [
      '+1', '-1', 'thumbsup', 'smile', 'smiley', 'grinning', 'joy', 'heart', 'tada', 'rocket',
      'white_check_mark', 'eyes', 'fire', 'thinking_face', 'thinking', '100', 'clap', 'wave',
      'pray', 'ok_hand', 'laughing', 'slightly_smiling_face', 'wink', 'cry', 'sob', 'rage',
      'sunglasses', 'heart_eyes', 'star', 'sparkles', 'warning', 'x', 'heavy_check_mark', 'bug',
      'coffee', 'beers', 'pizza',
    ]
    const missing = names.filter((n) => emojiFor(n) === undefined)
    expect(missing).toEqual([])
  })

  it('maps names to the right characters', () => {
    expect(emojiFor('+1')).toBe('👍')
    expect(emojiFor('-1')).toBe('👎')
    expect(emojiFor('heart')).toBe('❤️')
    expect(emojiFor('tada')).toBe('🎉')
    expect(emojiFor('100')).toBe('💯')
    expect(emojiFor('white_check_mark')).toBe('✅')
  })

  it('resolves aliases to the same character', () => {
    expect(emojiFor('thumbsup')).toBe(emojiFor('+1'))
    expect(emojiFor('thinking')).toBe(emojiFor('thinking_face'))
    expect(emojiFor('satisfied')).toBe(emojiFor('laughing'))
  })

  it('accepts surrounding colons and any case', () => {
    expect(emojiFor(':smile:')).toBe('😄')
    expect(emojiFor('Smile')).toBe('😄')
  })

  it('returns undefined for unknown names', () => {
    expect(emojiFor('not_an_emoji')).toBeUndefined()
    expect(emojiFor('')).toBeUndefined()
  })
})

describe('the table', () => {
  it('holds about 200 emoji', () => {
    const chars = new Set(emojiNames().map((n) => emojiFor(n)))
    expect(chars.size).toBeGreaterThanOrEqual(180)
    expect(chars.size).toBeLessThanOrEqual(260)
  })

  it('has names a :shortcode: can spell', () => {
    const bad = emojiNames().filter((n) => !/^[a-z0-9_+-]+$/.test(n))
    expect(bad).toEqual([])
  })

  it('has only fully-qualified emoji (with U+FE0F where needed)', () => {
    // The `v` flag is built at run time so the TypeScript target does not matter.
    const rgi = new RegExp('^\\p{RGI_Emoji}$', 'v')
    const bad = emojiNames().filter((n) => !rgi.test(emojiFor(n) ?? ''))
    expect(bad).toEqual([])
  })
})

describe('searchEmoji', () => {
  it('lists names starting with the query before names containing it', () => {
    const results = searchEmoji('heart', 20)
    expect(results[0]).toEqual({ name: 'heart', char: '❤️' })
    const firstContains = results.findIndex((r) => !r.name.startsWith('heart'))
    expect(firstContains).toBeGreaterThan(0)
    expect(results.slice(firstContains).every((r) => !r.name.startsWith('heart'))).toBe(true)
    expect(results.some((r) => r.name === 'broken_heart')).toBe(true)
    expect(results.every((r) => r.name.includes('heart'))).toBe(true)
  })

  it('is case-insensitive and ignores a leading colon', () => {
    expect(searchEmoji('ROCK')[0]?.name).toBe('rocket')
    expect(searchEmoji(':tad')[0]?.name).toBe('tada')
  })

  it('respects the limit, 8 by default', () => {
    expect(searchEmoji('')).toHaveLength(8)
    expect(searchEmoji('', 3)).toHaveLength(3)
    expect(searchEmoji('face', 2)).toHaveLength(2)
  })

  it('lists an emoji once even when several of its names match', () => {
    const results = searchEmoji('think')
    expect(results.filter((r) => r.char === '🤔')).toHaveLength(1)
    expect(searchEmoji('thumbs').map((r) => r.name).sort()).toEqual(['thumbsdown', 'thumbsup'])
  })

  it('returns nothing for an unknown query', () => {
    expect(searchEmoji('zzqqxx')).toEqual([])
  })
})

describe('QUICK_REACTIONS', () => {
  it('offers six known reactions, thumbs up first', () => {
    expect(QUICK_REACTIONS).toHaveLength(6)
    expect(QUICK_REACTIONS[0]).toBe('+1')
    expect(QUICK_REACTIONS.every((n) => emojiFor(n) !== undefined)).toBe(true)
    expect(new Set(QUICK_REACTIONS).size).toBe(6)
  })
})
