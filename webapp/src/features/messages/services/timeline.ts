// A channel's posts → the rows the message list renders: day separators, the
// "new messages" line and posts flagged as continuations (rendered without
// avatar and name because they directly follow the same author).
import { locale, t } from '@/app/i18n/i18n'

/** The fields of a server post that the timeline needs. */
export interface TimelinePost {
  id: string
  create_at: number // ms since the epoch
  update_at: number
  edit_at: number
  delete_at: number
  user_id: string
  channel_id: string
  root_id: string // '' for a post that is not a reply
  message: string
  type: string // '' for a user post, 'system_…' for system messages
  props: Record<string, unknown>
  file_ids?: string[]
}

export type TimelineItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'new-messages'; key: string }
  | { kind: 'post'; key: string; post: TimelinePost; continuation: boolean }

export interface TimelineOptions {
  /** The current time, for 'Today'/'Yesterday' (defaults to Date.now()). */
  now?: number
  /** When the user last read the channel; posts after it are new. */
  lastViewedAt?: number
  /** The reader: their own posts never start the "new messages" part. */
  myId?: string
  /** BCP 47 locale for dates (defaults to the UI's language). */
  locale?: string
  /** IANA time zone that defines calendar days (defaults to the user's). */
  timeZone?: string
}

/** Posts by the same author closer together than this are grouped. */
export const CONTINUATION_WINDOW_MS = 5 * 60 * 1000

const DAY_MS = 24 * 60 * 60 * 1000

// Creating Intl formatters is slow compared with using one; cache them.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}

interface CalendarDay {
  key: string // YYYY-MM-DD
  index: number // days since the epoch, to compare days across DST changes
}

// The calendar day of `ms` in the time zone. A fixed numeric locale keeps the
// parts parseable whatever the user's locale is.
function calendarDay(ms: number, timeZone: string | undefined): CalendarDay {
  const parts = formatter('en-US-u-ca-gregory-nu-latn', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(ms)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const y = get('year')
  const m = get('month')
  const d = get('day')
  return {
    key: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    index: Math.round(Date.UTC(y, m - 1, d) / DAY_MS),
  }
}

function dayLabel(ms: number, day: CalendarDay, today: CalendarDay, opts: TimelineOptions): string {
  if (day.index === today.index) return t('messages.day.today')
  if (day.index === today.index - 1) return t('messages.day.yesterday')
  // e.g. 'Mon, 3 Nov 2026' (en-GB), 'Mon, Nov 3, 2026' (en) or 'mar. 3 nov. 2026' (fr).
  return formatter(opts.locale ?? locale(), {
    timeZone: opts.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(ms)
}

function isSystem(post: TimelinePost): boolean {
  return post.type.startsWith('system_')
}

// Continuation: same author, same thread ('' = the channel itself), close in
// time, and neither is a system message. Callers guarantee the same day.
function continues(prev: TimelinePost, post: TimelinePost): boolean {
  return (
    prev.user_id === post.user_id &&
    prev.root_id === post.root_id &&
    post.create_at - prev.create_at <= CONTINUATION_WINDOW_MS &&
    !isSystem(prev) &&
    !isSystem(post)
  )
}

function byCreateAt(a: TimelinePost, b: TimelinePost): number {
  return a.create_at - b.create_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Merges two lists of posts by id, keeping the version with the larger
 * update_at (the incoming one on a tie, as it is the fresher copy), sorted by
 * create_at then id. Neither input is modified.
 */
export function mergePosts(existing: TimelinePost[], incoming: TimelinePost[]): TimelinePost[] {
  const byId = new Map<string, TimelinePost>()
  for (const post of [...existing, ...incoming]) {
    const current = byId.get(post.id)
    if (!current || post.update_at >= current.update_at) byId.set(post.id, post)
  }
  return [...byId.values()].sort(byCreateAt)
}

/**
 * Builds the rows of a channel's message list, oldest first, from posts in
 * any order (duplicates are merged as by mergePosts).
 *
 * - A 'day' row precedes the first post of each calendar day.
 * - A single 'new-messages' row precedes the first post created after
 *   `lastViewedAt`, when that is given and such a post exists.
 * - A post is a continuation when it follows, with no separator in between,
 *   a post by the same user in the same thread within 5 minutes and neither
 *   is a system message.
 */
export function buildTimeline(posts: TimelinePost[], opts: TimelineOptions = {}): TimelineItem[] {
  const sorted = mergePosts([], posts)
  const today = calendarDay(opts.now ?? Date.now(), opts.timeZone)
  const items: TimelineItem[] = []
  let dayKey: string | null = null
  let prev: TimelinePost | null = null
  let newShown = false

  for (const post of sorted) {
    const day = calendarDay(post.create_at, opts.timeZone)
    if (day.key !== dayKey) {
      dayKey = day.key
      items.push({ kind: 'day', key: `day:${day.key}`, label: dayLabel(post.create_at, day, today, opts) })
      prev = null
    }
    if (!newShown && opts.lastViewedAt !== undefined && post.create_at > opts.lastViewedAt && post.user_id !== opts.myId) {
      newShown = true
      items.push({ kind: 'new-messages', key: 'new-messages' })
      // The first unread post starts a new group so its author is visible.
      prev = null
    }
    items.push({ kind: 'post', key: post.id, post, continuation: prev !== null && continues(prev, post) })
    prev = post
  }
  return items
}

/** A post's time of day, e.g. '14:05' or '2:05 PM' depending on the locale (the UI's language unless told). */
export function formatTime(ms: number, opts: { locale?: string; timeZone?: string } = {}): string {
  return formatter(opts.locale ?? locale(), { timeZone: opts.timeZone, hour: 'numeric', minute: '2-digit' }).format(ms)
}
