import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { Emoji } from '@/api/types'
import { emojiImageUrl, emojiRepository } from '../repositories/emojiRepository'
import { loadAllPages, searchCustomEmoji } from '../services/customEmoji'

/**
 * The server's custom emoji by name: listed once after login, kept current by
 * the socket's `emoji_added` (and a full reload after a reconnect, which also
 * drops emoji deleted meanwhile).
 */
export const useCustomEmojiStore = defineStore('customEmoji', () => {
  const byName = reactive(new Map<string, Emoji>())
  const loaded = ref(false)
  /** The manage dialog is open (it is opened from the picker and from the settings). */
  const managing = ref(false)
  let loading: Promise<void> | null = null

  const all = computed(() => searchCustomEmoji(byName.values(), ''))

  function put(emoji: Emoji): void {
    if (emoji.delete_at > 0) forget(emoji.id)
    else byName.set(emoji.name, emoji)
  }

  function forget(id: string): void {
    for (const [name, emoji] of byName) if (emoji.id === id) byName.delete(name)
  }

  /** Lists every emoji; concurrent calls share one listing. */
  function load(): Promise<void> {
    loading ??= (async () => {
      // Emoji added by an event while the pages load are kept: only those
      // known before and missing from the listing are gone.
      const before = new Set(byName.keys())
      try {
        const listed = await loadAllPages((offset, limit) => emojiRepository.list(offset, limit))
        for (const emoji of listed) {
          before.delete(emoji.name)
          put(emoji)
        }
        for (const name of before) byName.delete(name)
        loaded.value = true
      } finally {
        loading = null
      }
    })()
    return loading
  }

  /** The emoji of this name (names are lower case), if one exists. */
  function find(name: string): Emoji | undefined {
    return byName.get(name.toLowerCase())
  }

  /** The image URL of the emoji of this name, if one exists. */
  function imageFor(name: string): string | undefined {
    const emoji = find(name)
    return emoji ? emojiImageUrl(emoji) : undefined
  }

  function search(query: string, limit?: number): Emoji[] {
    return searchCustomEmoji(byName.values(), query, limit)
  }

  async function create(name: string, image: Blob): Promise<Emoji> {
    const emoji = await emojiRepository.create(name, image)
    put(emoji)
    return emoji
  }

  async function remove(emoji: Emoji): Promise<void> {
    await emojiRepository.remove(emoji.id)
    forget(emoji.id)
  }

  return { byName, loaded, managing, all, put, load, find, imageFor, search, create, remove }
})
