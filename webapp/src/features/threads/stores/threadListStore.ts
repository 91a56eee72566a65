import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import { describeError } from '@/api/client'
import type { Post, ThreadView } from '@/api/types'
import { useUsersStore } from '@/features/users'
import { threadsRepository } from '../repositories/threadsRepository'
import {
  adjustTotals,
  emptyPaging,
  emptyTotals,
  hasOlder,
  isUnread,
  nextPaging,
  unreadOf,
  visibleThreads,
  type Paging,
  type ThreadFilter,
  type UnreadState,
} from '../services/threadList'

const PAGE = 30
/** Larger pages when only looking for whether one thread is followed. */
const LOOKUP_PAGE = 200

/** The threads the user follows in the current team, and their unread totals. */
export const useThreadListStore = defineStore('threadList', () => {
  const teamId = ref('')
  /** Followed threads known, by root id (more than the loaded pages may show). */
  const views = reactive(new Map<string, ThreadView>())
  /** Whether the user follows a thread, where known. */
  const following = reactive(new Map<string, boolean>())
  const totals = ref(emptyTotals())
  const filter = ref<ThreadFilter>('all')
  const paging = reactive<Record<ThreadFilter, Paging>>({ all: emptyPaging(), unread: emptyPaging() })
  const loading = ref(false)
  const error = ref('')
  const users = useUsersStore()

  function reset(): void {
    views.clear()
    following.clear()
    totals.value = emptyTotals()
    paging.all = emptyPaging()
    paging.unread = emptyPaging()
    error.value = ''
  }

  function put(list: ThreadView[]): void {
    for (const view of list) {
      views.set(view.root.id, view)
      following.set(view.root.id, true)
    }
    void users.ensure(list.flatMap((v) => [v.root.user_id, ...v.participants]))
  }

  /** The next older page of a listing, or (`newest`) its newest page merged in. */
  async function loadPage(which: ThreadFilter, { newest = false, limit = PAGE } = {}): Promise<void> {
    const team = teamId.value
    const { floor, floorId } = paging[which]
    const older = !newest && floor !== Infinity
    const page = await threadsRepository.list(team, {
      unreadOnly: which === 'unread',
      before: older ? floor : undefined,
      beforeId: older ? floorId : undefined,
      limit,
    })
    if (team !== teamId.value) return
    put(page.threads)
    totals.value = { total: page.total, unreadThreads: page.total_unread_threads, unreadMentions: page.total_unread_mentions }
    paging[which] = nextPaging(paging[which], page.threads, limit, newest)
  }

  async function guarded(action: () => Promise<void>): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      await action()
    } catch (e) {
      error.value = describeError(e)
    } finally {
      loading.value = false
    }
  }

  /** The team's threads and totals, once per team. */
  async function enterTeam(id: string): Promise<void> {
    if (teamId.value === id) return
    teamId.value = id
    reset()
    filter.value = 'all'
    await guarded(() => loadPage('all'))
  }

  /** Everything again (after a lost connection). */
  async function refresh(): Promise<void> {
    if (!teamId.value) return
    reset()
    await guarded(() => loadPage(filter.value))
  }

  /** Only the totals again (a thread outside the loaded pages changed). */
  async function refreshTotals(): Promise<void> {
    const team = teamId.value
    if (!team) return
    const page = await threadsRepository.list(team, { limit: 1 })
    if (team !== teamId.value) return
    totals.value = { total: page.total, unreadThreads: page.total_unread_threads, unreadMentions: page.total_unread_mentions }
  }

  async function setFilter(value: ThreadFilter): Promise<void> {
    filter.value = value
    if (!paging[value].loaded) await guarded(() => loadPage(value))
  }

  async function loadOlder(): Promise<void> {
    if (loading.value || !hasOlder(filter.value, paging)) return
    await guarded(() => loadPage(filter.value))
  }

  /** The threads to list for the current filter; `keep` stays listed once read (the open one). */
  function visible(keep = ''): ThreadView[] {
    return visibleThreads(views.values(), filter.value, paging, keep)
  }

  const canLoadOlder = (): boolean => hasOlder(filter.value, paging)

  /** Whether the user follows a thread: undefined while that is not known. */
  function followState(rootId: string): boolean | undefined {
    return following.get(rootId) ?? (paging.all.done ? false : undefined)
  }

  let lookingUp: Promise<void> | null = null

  /** Finds out whether a thread is followed, paging through the followed threads if need be. */
  async function lookup(rootId: string): Promise<boolean> {
    const team = teamId.value
    while (followState(rootId) === undefined && team && team === teamId.value) {
      // Concurrent lookups share the pages.
      lookingUp ??= loadPage('all', { limit: LOOKUP_PAGE }).finally(() => (lookingUp = null))
      await lookingUp
    }
    return followState(rootId) ?? false
  }

  /** The user looks at a thread: a followed one is read up to now. */
  async function viewed(rootId: string): Promise<void> {
    if (await lookup(rootId)) await markRead(rootId)
  }

  /** Sets one thread's unread state, keeping the totals in step; false when the thread is not known. */
  function applyRead(rootId: string, after: UnreadState, timestamp: number): boolean {
    const view = views.get(rootId)
    if (!view) return false
    totals.value = adjustTotals(totals.value, unreadOf(view), after)
    views.set(rootId, {
      ...view,
      unread_replies: after.replies,
      member: { ...view.member, unread_mentions: after.mentions, last_viewed: Math.max(view.member.last_viewed, timestamp) },
    })
    return true
  }

  async function markRead(rootId: string): Promise<void> {
    const view = views.get(rootId)
    if (!view || !isUnread(unreadOf(view))) return
    applyRead(rootId, { replies: 0, mentions: 0 }, Date.now())
    await threadsRepository.markRead(rootId)
  }

  function applyAllRead(timestamp: number): void {
    for (const id of [...views.keys()]) applyRead(id, { replies: 0, mentions: 0 }, timestamp)
    totals.value = { ...totals.value, unreadThreads: 0, unreadMentions: 0 }
  }

  async function markAllRead(): Promise<void> {
    applyAllRead(Date.now())
    await threadsRepository.markAllRead(teamId.value)
  }

  async function setFollowing(rootId: string, value: boolean): Promise<void> {
    await threadsRepository.setFollowing(rootId, value)
    applyFollow(rootId, value)
  }

  /** Followed or unfollowed (here, in another tab or by replying). */
  function applyFollow(rootId: string, value: boolean): void {
    const was = following.get(rootId)
    following.set(rootId, value)
    if (!value) {
      const view = views.get(rootId)
      if (view) totals.value = adjustTotals(totals.value, unreadOf(view), undefined)
      // A thread outside the loaded pages: only the server knows what it counted.
      else if (was !== false) void guarded(() => refreshTotals())
      views.delete(rootId)
    } else if (!views.has(rootId) && was !== true) {
      // The list needs the thread's view: the newest page brings it (and the totals).
      void guarded(() => loadPage('all', { newest: true }))
    }
  }

  /**
   * A followed thread changed (a reply): its new view, and what was unread
   * in it before as the server counts it.
   */
  function applyUpdated(view: ThreadView, previous: UnreadState): void {
    const known = views.get(view.root.id)
    // Not followed before (the list says so), so it joins the totals.
    const newlyFollowed = !known && (following.get(view.root.id) === false || paging.all.done)
    const before = known ? unreadOf(known) : newlyFollowed ? undefined : previous
    totals.value = adjustTotals(totals.value, before, unreadOf(view))
    put([view])
  }

  /** A root post was edited or deleted. */
  function applyRoot(post: Post): void {
    const view = views.get(post.id)
    if (!view) return
    if (post.delete_at) {
      totals.value = adjustTotals(totals.value, unreadOf(view), undefined)
      views.delete(post.id)
      return
    }
    views.set(post.id, {
      ...view,
      root: { ...post, reply_count: Math.max(post.reply_count, view.root.reply_count), last_reply_at: Math.max(post.last_reply_at, view.root.last_reply_at) },
    })
  }

  return {
    teamId, views, following, totals, filter, paging, loading, error,
    enterTeam, refresh, refreshTotals, setFilter, loadOlder, visible, canLoadOlder, followState, lookup, viewed,
    markRead, markAllRead, setFollowing, applyRead, applyAllRead, applyFollow, applyUpdated, applyRoot,
  }
})
