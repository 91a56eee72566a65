import { api, unwrap } from '@/api/client'
import type { Emoji } from '@/api/types'

export const emojiRepository = {
  /** One page of custom emoji, by name. */
  list: (offset: number, limit: number, prefix = '') =>
    unwrap(api.GET('/api/v1/emoji', { params: { query: { prefix: prefix || undefined, offset, limit } } })),
  /** Adds an emoji; the body is the image itself. */
  create: (name: string, image: Blob) =>
    unwrap(
      api.POST('/api/v1/emoji', {
        params: { query: { name } },
        body: image as unknown as number[],
        bodySerializer: (body: unknown) => body as Blob,
        headers: { 'Content-Type': image.type || 'application/octet-stream' },
      }),
    ),
  remove: (emojiId: string) =>
    unwrap(api.DELETE('/api/v1/emoji/{emoji_id}', { params: { path: { emoji_id: emojiId } } })),
}

/** Image URL; the session cookie authorises the image request, as for pictures. */
export function emojiImageUrl(emoji: Pick<Emoji, 'id'>): string {
  return `/api/v1/emoji/${encodeURIComponent(emoji.id)}/image`
}
