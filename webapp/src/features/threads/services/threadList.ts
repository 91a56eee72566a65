// The followed-threads list as the client holds it: which threads are shown
// for a filter given the pages loaded so far, and the team's unread totals
// kept in step as single threads change.
import type { ThreadView } from '@/api/types'
import { locale } from '@/app/i18n/i18n'

export type ThreadFilter = 'all' | 'unread'

/** What is unread in one thread for its follower. */
export interface UnreadState {
  replies: number
  mentions: number
}

export interface ThreadTotals {
  /** Threads followed in the team. */
  total: number
  /** Followed threads with unread replies. */
  unreadThreads: number
  /** Unread mentions across followed threads. */
  unreadMentions: number
}

/**
 * How far one listing (all threads, or the unread ones) has been paged:
 * every matching thread whose last reply is at or after `floor` is loaded.
 */
export interface Paging {
  loaded: boolean
  /** The oldest last reply (ms) loaded; Infinity before the first page. */
  floor: number
  /** The root id of the last thread loaded: with `floor`, where the next page starts. */
  floorId: string
  /** The last page came: nothing older is left. */
  done: boolean
}

export const emptyTotals = (): ThreadTotals => ({ total: 0, unreadThreads: 0, unreadMentions: 0 })
export const emptyPaging = (): Paging => ({ loaded: false, floor: Infinity, floorId: '', done: false })

export function unreadOf(view: Pick<ThreadView, 'unread_replies' | 'member'>): UnreadState {
  return { replies: view.unread_replies, mentions: view.member.unread_mentions }
}

export function isUnread(state: UnreadState): boolean {
  return state.replies > 0 || state.mentions > 0
}

/**
 * The totals after one thread went from `before` to `after`; `undefined`
 * means not followed (so it does not count at all).
 */
export function adjustTotals(totals: ThreadTotals, before: UnreadState | undefined, after: UnreadState | undefined): ThreadTotals {
  const count = (s: UnreadState | undefined) => (s ? 1 : 0)
  const unread = (s: UnreadState | undefined) => (s && s.replies > 0 ? 1 : 0)
  return {
    total: Math.max(0, totals.total + count(after) - count(before)),
    unreadThreads: Math.max(0, totals.unreadThreads + unread(after) - unread(before)),
    unreadMentions: Math.max(0, totals.unreadMentions + (after?.mentions ?? 0) - (before?.mentions ?? 0)),
  }
}

/**
 * The paging after a page of `limit` came with these threads: the next
 * older page, or (`newest`) the newest page again, merged into what was
 * loaded before.
 */
export function nextPaging(paging: Paging, page: Pick<ThreadView, 'root'>[], limit: number, newest = false): Paging {
  // The last thread in the server's order (last reply, then root id, both descending).
  let floor = paging.floor
  let floorId = paging.floorId
  for (const { root } of page) {
    if (root.last_reply_at < floor || (root.last_reply_at === floor && (floorId === '' || root.id < floorId))) {
      floor = root.last_reply_at
      floorId = root.id
    }
  }
  const short = page.length < limit
  return { loaded: true, floor, floorId, done: newest ? paging.done || short : short }
}

/** From which last-reply time on every thread of a listing is known. */
function knownFrom(paging: Paging): number {
  if (!paging.loaded) return Infinity
  return paging.done ? -Infinity : paging.floor
}

/** Whether older threads may still be loaded for `filter`. */
export function hasOlder(filter: ThreadFilter, paging: Record<ThreadFilter, Paging>): boolean {
  if (paging.all.done) return false
  return filter === 'all' ? paging.all.loaded : !paging.unread.done
}

/** Most recent reply first, as the server lists them. */
export function byActivity(a: ThreadView, b: ThreadView): number {
  return b.root.last_reply_at - a.root.last_reply_at || (a.root.id < b.root.id ? 1 : a.root.id > b.root.id ? -1 : 0)
}

/**
 * The threads to show for `filter`: only those within the loaded pages (a
 * thread known from elsewhere, older than them, would leave a gap), newest
 * first. The unread listing also shows every unread thread the "all" pages
 * reach, and keeps `keep` (the open thread) once it has been read.
 */
export function visibleThreads(
  views: Iterable<ThreadView>,
  filter: ThreadFilter,
  paging: Record<ThreadFilter, Paging>,
  keep = '',
): ThreadView[] {
  const from = filter === 'all' ? knownFrom(paging.all) : Math.min(knownFrom(paging.all), knownFrom(paging.unread))
  const out: ThreadView[] = []
  for (const view of views) {
    if (view.root.delete_at || view.root.last_reply_at < from) continue
    if (filter === 'unread' && !isUnread(unreadOf(view)) && view.root.id !== keep) continue
    out.push(view)
  }
  return out.sort(byActivity)
}

/** When a thread was last active: the time today, else the date (in the UI's language unless told). */
export function formatWhen(ms: number, opts: { now?: number; locale?: string; timeZone?: string } = {}): string {
  const lang = opts.locale ?? locale()
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: opts.timeZone, dateStyle: 'short' }).format(t)
  if (day(ms) === day(opts.now ?? Date.now())) {
    return new Intl.DateTimeFormat(lang, { timeZone: opts.timeZone, hour: 'numeric', minute: '2-digit' }).format(ms)
  }
  return new Intl.DateTimeFormat(lang, { timeZone: opts.timeZone, month: 'short', day: 'numeric' }).format(ms)
}
