import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Emoji } from '@/api/types'
import { deferred } from '@/app/__test__/mount'
import { handleEmojiEvent } from '../handlers/emojiEvents'
import { emojiRepository } from '../repositories/emojiRepository'
import { useCustomEmojiStore } from './customEmojiStore'

const emoji = (name: string, fields: Partial<Emoji> = {}): Emoji => ({
  id: `id-${name}`, name, creator_id: 'u-1', create_at: 1, update_at: 1, delete_at: 0, ...fields,
})

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.restoreAllMocks())

describe('custom emoji store', () => {
  it('lists every page once and resolves names to images', async () => {
    const first = Array.from({ length: 200 }, (_, i) => emoji(`e${i}`))
    const list = vi.spyOn(emojiRepository, 'list').mockResolvedValueOnce(first).mockResolvedValueOnce([emoji('parrot')])
    const store = useCustomEmojiStore()
    await Promise.all([store.load(), store.load()])
    expect(list.mock.calls).toEqual([[0, 200], [200, 200]])
    expect(store.loaded).toBe(true)
    expect(store.byName.size).toBe(201)
    expect(store.imageFor('parrot')).toBe('/api/v1/emoji/id-parrot/image')
    expect(store.imageFor('PARROT')).toBe('/api/v1/emoji/id-parrot/image')
    expect(store.imageFor('nobody')).toBeUndefined()
  })

  it('learns an emoji added anywhere from the socket', () => {
    const store = useCustomEmojiStore()
    handleEmojiEvent({ type: 'emoji_added', data: { emoji: emoji('parrot') } })
    expect(store.find('parrot')?.id).toBe('id-parrot')
    expect(store.search('par').map((e) => e.name)).toEqual(['parrot'])
    handleEmojiEvent({ type: 'emoji_added', data: {} })
    expect(store.byName.size).toBe(1)
  })

  it('after a reconnect, drops emoji deleted meanwhile but keeps one added while listing', async () => {
    const store = useCustomEmojiStore()
    vi.spyOn(emojiRepository, 'list').mockResolvedValueOnce([emoji('old'), emoji('kept')])
    await store.load()
    const page = deferred<Emoji[]>()
    vi.spyOn(emojiRepository, 'list').mockReturnValueOnce(page.promise)
    handleEmojiEvent({ type: 'resync', data: {} })
    handleEmojiEvent({ type: 'emoji_added', data: { emoji: emoji('fresh') } })
    page.resolve([emoji('kept')])
    await vi.waitFor(() => expect(store.find('old')).toBeUndefined())
    expect([...store.byName.keys()].sort()).toEqual(['fresh', 'kept'])
  })

  it('adds and deletes through the server', async () => {
    const store = useCustomEmojiStore()
    const create = vi.spyOn(emojiRepository, 'create').mockResolvedValue(emoji('parrot'))
    const remove = vi.spyOn(emojiRepository, 'remove').mockResolvedValue(emoji('parrot', { delete_at: 5 }))
    const image = new Blob(['x'], { type: 'image/png' })
    await store.create('parrot', image)
    expect(create).toHaveBeenCalledWith('parrot', image)
    expect(store.find('parrot')).toBeDefined()
    await store.remove(emoji('parrot'))
    expect(remove).toHaveBeenCalledWith('id-parrot')
    expect(store.find('parrot')).toBeUndefined()
  })

  it('keeps what it knew when the listing fails', async () => {
    const store = useCustomEmojiStore()
    store.put(emoji('parrot'))
    vi.spyOn(emojiRepository, 'list').mockRejectedValue(new Error('offline'))
    await expect(store.load()).rejects.toThrow('offline')
    expect(store.find('parrot')).toBeDefined()
    expect(store.loaded).toBe(false)
  })
})
