import type { ServerEvent } from '@/realtime/socket'
import type { Emoji } from '@/api/types'
import { useCustomEmojiStore } from '../stores/customEmojiStore'

export function handleEmojiEvent(event: ServerEvent): void {
  switch (event.type) {
    case 'emoji_added': {
      const emoji = event.data.emoji as Emoji | undefined
      if (emoji?.id && emoji.name) useCustomEmojiStore().put(emoji)
      break
    }
    case 'resync': {
      // Emoji added or deleted while the socket was down.
      const store = useCustomEmojiStore()
      if (store.loaded) void store.load().catch(() => undefined)
      break
    }
  }
}
