import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import type { Emoji } from '@/api/types'
import {
  canDeleteEmoji,
  checkEmojiImage,
  checkEmojiName,
  describeUploadError,
  loadAllPages,
  MAX_EMOJI_BYTES,
  rankByName,
  searchCustomEmoji,
} from './customEmoji'

const emoji = (name: string, creator = 'u-1'): Emoji => ({ id: `id-${name}`, name, creator_id: creator, create_at: 1, update_at: 1, delete_at: 0 })

describe('custom emoji names', () => {
  it('takes 1–64 of a-z 0-9 _ - +', () => {
    expect(checkEmojiName('party_parrot+1')).toBeNull()
    expect(checkEmojiName('a-b')).toBeNull()
    expect(checkEmojiName('x'.repeat(64))).toBeNull()
    expect(checkEmojiName('')).toMatch(/Enter a name/)
    expect(checkEmojiName('x'.repeat(65))).toMatch(/at most 64/)
    expect(checkEmojiName('Party')).toMatch(/only lower-case/)
    expect(checkEmojiName('two words')).toMatch(/only lower-case/)
    expect(checkEmojiName('a:b')).toMatch(/only lower-case/)
  })

  it('refuses a built-in name (it would never show) and a taken one', () => {
    const rules = { builtIn: (n: string) => n === 'smile', taken: (n: string) => n === 'parrot' }
    expect(checkEmojiName('smile', rules)).toMatch(/built-in/)
    expect(checkEmojiName('parrot', rules)).toMatch(/already exists/)
    expect(checkEmojiName('parrot2', rules)).toBeNull()
  })
})

describe('custom emoji images', () => {
  it('takes PNG, JPEG, GIF and WebP up to 512 KiB', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) expect(checkEmojiImage({ type, size: 100 })).toBeNull()
    expect(checkEmojiImage({ type: 'image/png', size: MAX_EMOJI_BYTES })).toBeNull()
    expect(checkEmojiImage({ type: 'image/png', size: MAX_EMOJI_BYTES + 1 })).toMatch(/512 KiB/)
    expect(checkEmojiImage({ type: 'image/svg+xml', size: 100 })).toMatch(/PNG, JPEG, GIF or WebP/)
    expect(checkEmojiImage(null)).toMatch(/Choose an image/)
  })
})

describe('loading every custom emoji', () => {
  it('pages through full pages until a short one', async () => {
    const names = Array.from({ length: 5 }, (_, i) => emoji(`e${i}`))
    const fetchPage = vi.fn(async (offset: number, limit: number) => names.slice(offset, offset + limit))
    const all = await loadAllPages(fetchPage, 2)
    expect(all.map((e) => e.name)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4'])
    expect(fetchPage.mock.calls).toEqual([[0, 2], [2, 2], [4, 2]])
  })

  it('asks once more after an exactly full last page', async () => {
    const fetchPage = vi.fn(async (offset: number) => (offset === 0 ? [emoji('a'), emoji('b')] : []))
    expect(await loadAllPages(fetchPage, 2)).toHaveLength(2)
    expect(fetchPage).toHaveBeenCalledTimes(2)
  })
})

describe('matching names', () => {
  const list = [emoji('parrot'), emoji('party_parrot'), emoji('sparrow'), emoji('cat'), emoji('par')]

  it('lists names starting with the query first, shorter first, then names containing it', () => {
    expect(searchCustomEmoji(list, 'par').map((e) => e.name)).toEqual(['par', 'parrot', 'party_parrot', 'sparrow'])
    expect(searchCustomEmoji(list, ':PARR').map((e) => e.name)).toEqual(['parrot', 'sparrow', 'party_parrot'])
    expect(searchCustomEmoji(list, 'par', 2).map((e) => e.name)).toEqual(['par', 'parrot'])
    expect(searchCustomEmoji(list, 'dog')).toEqual([])
  })

  it('lists everything by name for an empty query', () => {
    expect(searchCustomEmoji(list, ' ').map((e) => e.name)).toEqual(['cat', 'par', 'parrot', 'party_parrot', 'sparrow'])
  })

  it('ranks built-in and custom matches together', () => {
    const ranked = rankByName([{ name: 'partying_face' }, { name: 'parrot' }, { name: 'sparkles' }], 'par')
    expect(ranked.map((e) => e.name)).toEqual(['parrot', 'partying_face', 'sparkles'])
  })
})

describe('who may delete', () => {
  it('is the creator or a system admin', () => {
    const e = emoji('parrot', 'u-1')
    expect(canDeleteEmoji(e, { id: 'u-1', roles: 'system_user' })).toBe(true)
    expect(canDeleteEmoji(e, { id: 'u-2', roles: 'system_user' })).toBe(false)
    expect(canDeleteEmoji(e, { id: 'u-2', roles: 'system_user system_admin' })).toBe(true)
    expect(canDeleteEmoji(e, null)).toBe(false)
  })
})

describe("the server's refusals", () => {
  it('say what to change', () => {
    expect(describeUploadError(new ApiError(409, 'conflict', 'exists'), 'parrot')).toBe('A custom emoji named :parrot: already exists.')
    expect(describeUploadError(new ApiError(413, 'too_large', ''), 'parrot')).toBe('The image is larger than 512 KiB.')
    expect(describeUploadError(new ApiError(400, 'invalid', 'must be a PNG, JPEG, GIF or WebP image', 'image'), 'parrot')).toBe(
      'Image: must be a PNG, JPEG, GIF or WebP image',
    )
    expect(describeUploadError(new ApiError(403, 'forbidden', 'Not allowed.'), 'parrot')).toBe('Not allowed.')
  })
})
