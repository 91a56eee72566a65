// Rules of custom emoji that need no server: name and image checks before an
// upload, paging through the list, and matching names for pickers and
// autocomplete.
import { ApiError, describeError } from '@/api/client'
import type { Emoji } from '@/api/types'
import { t, type MessageKey } from '@/app/i18n/i18n'

/** The server's page size limit for GET /api/v1/emoji. */
export const EMOJI_PAGE_SIZE = 200

/** Largest image the server takes (Mattermost's limit). */
export const MAX_EMOJI_BYTES = 512 * 1024

export const EMOJI_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']

const NAME_RE = /^[a-z0-9_+-]+$/

/**
 * Why `name` cannot be a new custom emoji's name, or null when it can.
 * `builtIn` tells a built-in emoji name (which would always win over it),
 * `taken` one of an existing custom emoji.
 */
export function checkEmojiName(
  name: string,
  { builtIn = () => false, taken = () => false }: { builtIn?: (name: string) => boolean; taken?: (name: string) => boolean } = {},
): string | null {
  if (!name) return t('emoji.check.nameMissing')
  if (name.length > 64) return t('emoji.check.nameLong')
  if (!NAME_RE.test(name)) return t('emoji.check.nameChars')
  if (builtIn(name)) return t('emoji.check.builtIn', { name })
  if (taken(name)) return t('emoji.check.taken', { name })
  return null
}

/** Why `file` cannot be an emoji image, or null when it can. */
export function checkEmojiImage(file: Pick<Blob, 'type' | 'size'> | null | undefined): string | null {
  if (!file) return t('emoji.check.imageMissing')
  if (!EMOJI_IMAGE_TYPES.includes(file.type)) return t('emoji.check.imageType')
  if (file.size > MAX_EMOJI_BYTES) return t('emoji.check.imageSize')
  return null
}

/** Every custom emoji, page after page until a short page. */
export async function loadAllPages(
  fetchPage: (offset: number, limit: number) => Promise<Emoji[]>,
  pageSize = EMOJI_PAGE_SIZE,
): Promise<Emoji[]> {
  const all: Emoji[] = []
  for (;;) {
    const page = await fetchPage(all.length, pageSize)
    all.push(...page)
    if (page.length < pageSize) return all
  }
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * Items whose name starts with `query`, then those whose name merely contains
 * it, shorter names first in each group (as the built-in search ranks), at
 * most `limit`. An empty query keeps them all, by name.
 */
export function rankByName<T extends { name: string }>(items: Iterable<T>, query: string, limit = Infinity): T[] {
  const q = query.trim().replace(/^:|:$/g, '').toLowerCase()
  const list = [...items]
  if (!q) return list.sort(byName).slice(0, limit)
  const byLength = (a: T, b: T) => a.name.length - b.name.length || byName(a, b)
  const starts = list.filter((e) => e.name.startsWith(q)).sort(byLength)
  const contains = list.filter((e) => !e.name.startsWith(q) && e.name.includes(q)).sort(byLength)
  return [...starts, ...contains].slice(0, limit)
}

/** Custom emoji matching `query` (see rankByName); all of them, by name, for an empty one. */
export function searchCustomEmoji(emoji: Iterable<Emoji>, query: string, limit = Infinity): Emoji[] {
  return rankByName(emoji, query, limit)
}

/** Whether this user may delete the emoji: its creator, or a system admin. */
export function canDeleteEmoji(emoji: Pick<Emoji, 'creator_id'>, user: { id: string; roles?: string } | null | undefined): boolean {
  if (!user) return false
  return emoji.creator_id === user.id || (user.roles ?? '').split(/\s+/).includes('system_admin')
}

const FIELD_LABELS: Record<string, MessageKey> = { name: 'emoji.dialog.name', image: 'emoji.dialog.image' }

/** The server's refusal of a new emoji, in words that say what to change. */
export function describeUploadError(e: unknown, name: string): string {
  if (e instanceof ApiError) {
    if (e.status === 409) return t('emoji.check.taken', { name })
    if (e.status === 413) return t('emoji.check.tooLarge')
    if (e.field) {
      const label = FIELD_LABELS[e.field]
      return t('emoji.check.field', { field: label ? t(label) : e.field, message: e.message })
    }
  }
  return describeError(e)
}
