import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { FollowedThreads, ThreadView } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useUsersStore } from '@/features/users'
import { handleThreadEvent } from '../handlers/threadEvents'
import { threadsRepository } from '../repositories/threadsRepository'
import { useThreadListStore } from './threadListStore'
import { useThreadsStore } from './threadsStore'

function view(id: string, lastReply: number, unread = 0, mentions = 0): ThreadView {
  return {
    root: { id, user_id: 'u-bob', channel_id: 'c1', message: `root ${id}`, last_reply_at: lastReply, delete_at: 0, reply_count: 1 },
    member: { post_id: id, user_id: 'u-me', following: true, last_viewed: 0, last_updated: 0, unread_mentions: mentions },
    unread_replies: unread,
    participants: ['u-bob'],
  } as unknown as ThreadView
}

function page(threads: ThreadView[], totals: Partial<FollowedThreads> = {}): FollowedThreads {
  return {
    threads,
    total: threads.length,
    total_unread_threads: threads.filter((t) => t.unread_replies > 0).length,
    total_unread_mentions: threads.reduce((n, t) => n + t.member.unread_mentions, 0),
    ...totals,
  }
}

const ids = (list: ThreadView[]) => list.map((v) => v.root.id)

beforeEach(() => {
  setActivePinia(createPinia())
  useAuthStore().me = { id: 'u-me', username: 'me' } as never
  useUsersStore().put([{ id: 'u-bob', username: 'bob' }] as never)
})
afterEach(() => vi.restoreAllMocks())

describe('followed threads store', () => {
  it('loads the team’s threads and totals, and pages older ones from the oldest last reply', async () => {
    const list = vi.spyOn(threadsRepository, 'list')
      .mockResolvedValueOnce(page([view('a', 900, 1), ...Array.from({ length: 29 }, (_, i) => view(`x${i}`, 800 - i))], { total: 31 }))
      .mockResolvedValueOnce(page([view('z', 10)], { total: 31 }))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    expect(list).toHaveBeenLastCalledWith('t1', { unreadOnly: false, before: undefined, beforeId: undefined, limit: 30 })
    expect(store.totals).toEqual({ total: 31, unreadThreads: 1, unreadMentions: 0 })
    expect(store.visible()).toHaveLength(30)
    expect(store.canLoadOlder()).toBe(true)
    await store.loadOlder()
    expect(list).toHaveBeenLastCalledWith('t1', { unreadOnly: false, before: 772, beforeId: 'x28', limit: 30 })
    expect(store.visible().at(-1)?.root.id).toBe('z')
    expect(store.canLoadOlder()).toBe(false)
  })

  it('marks a thread read here and on the server, and its totals follow', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900, 2, 1), view('b', 800)]))
    const read = vi.spyOn(threadsRepository, 'markRead').mockResolvedValue({} as never)
    const store = useThreadListStore()
    await store.enterTeam('t1')
    expect(store.totals).toMatchObject({ unreadThreads: 1, unreadMentions: 1 })
    await store.markRead('a')
    expect(read).toHaveBeenCalledWith('a')
    expect(store.totals).toMatchObject({ unreadThreads: 0, unreadMentions: 0 })
    expect(store.views.get('a')?.unread_replies).toBe(0)
    // Nothing to do for a read thread.
    await store.markRead('b')
    expect(read).toHaveBeenCalledTimes(1)
  })

  it('filters the unread threads, loading them from the server', async () => {
    const list = vi.spyOn(threadsRepository, 'list')
      .mockResolvedValueOnce(page([view('a', 900), view('b', 800, 1)]))
      .mockResolvedValueOnce(page([view('b', 800, 1)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    await store.setFilter('unread')
    expect(list).toHaveBeenLastCalledWith('t1', { unreadOnly: true, before: undefined, beforeId: undefined, limit: 30 })
    expect(ids(store.visible())).toEqual(['b'])
  })

  it('takes a new reply from the socket: the thread moves up and the Threads entry turns unread', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900), view('b', 800)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    handleThreadEvent({
      type: 'thread_updated',
      data: {
        user_id: 'u-me', team_id: 't1', thread: view('b', 950, 1, 1), participants: [],
        previous_unread_replies: 0, previous_unread_mentions: 0,
      },
    })
    expect(ids(store.visible())).toEqual(['b', 'a'])
    expect(store.totals).toEqual({ total: 2, unreadThreads: 1, unreadMentions: 1 })
    // Another user's event, or another team's, changes nothing.
    handleThreadEvent({ type: 'thread_updated', data: { user_id: 'u-bob', team_id: 't1', thread: view('a', 990, 5), participants: [] } })
    handleThreadEvent({ type: 'thread_updated', data: { user_id: 'u-me', team_id: 't2', thread: view('a', 990, 5), participants: [] } })
    expect(store.totals.unreadThreads).toBe(1)
  })

  it('counts a thread the user just started following (all of them loaded) in the total', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    handleThreadEvent({
      type: 'thread_updated',
      data: { user_id: 'u-me', team_id: '', thread: view('dm', 990, 1), participants: [], previous_unread_replies: 0, previous_unread_mentions: 0 },
    })
    expect(store.totals).toEqual({ total: 2, unreadThreads: 1, unreadMentions: 0 })
  })

  it('reads a thread, or all of them, when another tab says so', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900, 2, 1), view('b', 800, 1, 1)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    handleThreadEvent({
      type: 'thread_read_changed',
      data: { user_id: 'u-me', team_id: 't1', channel_id: 'c1', thread_id: 'a', timestamp: 1000, unread_replies: 0, unread_mentions: 0 },
    })
    expect(store.totals).toEqual({ total: 2, unreadThreads: 1, unreadMentions: 1 })
    handleThreadEvent({
      type: 'thread_read_changed',
      data: { user_id: 'u-me', team_id: 't1', channel_id: '', thread_id: null, timestamp: 1000, unread_replies: 0, unread_mentions: 0 },
    })
    expect(store.totals).toEqual({ total: 2, unreadThreads: 0, unreadMentions: 0 })
    expect([...store.views.values()].every((v) => v.unread_replies === 0 && v.member.unread_mentions === 0)).toBe(true)
  })

  it('drops an unfollowed thread from the list and its counts from the totals', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900, 2, 1), view('b', 800)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    handleThreadEvent({ type: 'thread_follow_changed', data: { user_id: 'u-me', thread_id: 'a', following: false, reply_count: 3 } })
    expect(ids(store.visible())).toEqual(['b'])
    expect(store.totals).toEqual({ total: 1, unreadThreads: 0, unreadMentions: 0 })
    expect(store.followState('a')).toBe(false)
  })

  it('follows a thread: the newest page brings it into the list', async () => {
    const list = vi.spyOn(threadsRepository, 'list').mockResolvedValueOnce(page([view('b', 800)])).mockResolvedValueOnce(page([view('c', 990), view('b', 800)]))
    const follow = vi.spyOn(threadsRepository, 'setFollowing').mockResolvedValue({} as never)
    const store = useThreadListStore()
    await store.enterTeam('t1')
    await store.setFollowing('c', true)
    await vi.waitFor(() => expect(ids(store.visible())).toEqual(['c', 'b']))
    expect(follow).toHaveBeenCalledWith('c', true)
    expect(list).toHaveBeenCalledTimes(2)
    expect(store.followState('c')).toBe(true)
  })

  it('finds out whether a thread beyond the first page is followed, and reads it on opening', async () => {
    const first = Array.from({ length: 30 }, (_, i) => view(`x${i}`, 1000 - i))
    const list = vi.spyOn(threadsRepository, 'list')
      .mockResolvedValueOnce(page(first, { total: 32 }))
      .mockResolvedValueOnce(page([view('old', 50, 1), view('older', 40)], { total: 32 }))
    const read = vi.spyOn(threadsRepository, 'markRead').mockResolvedValue({} as never)
    const store = useThreadListStore()
    await store.enterTeam('t1')
    expect(store.followState('old')).toBeUndefined()
    await store.viewed('old')
    expect(list).toHaveBeenLastCalledWith('t1', { unreadOnly: false, before: 971, beforeId: 'x29', limit: 200 })
    expect(read).toHaveBeenCalledWith('old')
    // Now every followed thread is known: one not among them is not followed, and is not marked read.
    expect(store.followState('other')).toBe(false)
    await store.viewed('other')
    expect(read).toHaveBeenCalledTimes(1)
  })

  it('reads a reply that arrives in the thread open beside', async () => {
    vi.useFakeTimers()
    try {
      vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900)]))
      const read = vi.spyOn(threadsRepository, 'markRead').mockResolvedValue({} as never)
      const store = useThreadListStore()
      await store.enterTeam('t1')
      useThreadsStore().openRootId = 'a'
      handleThreadEvent({
        type: 'thread_updated',
        data: { user_id: 'u-me', team_id: 't1', thread: view('a', 950, 1), participants: [], previous_unread_replies: 0, previous_unread_mentions: 0 },
      })
      expect(store.totals.unreadThreads).toBe(1)
      await vi.advanceTimersByTimeAsync(1100)
      expect(read).toHaveBeenCalledWith('a')
      expect(store.totals.unreadThreads).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('removes a thread whose root was deleted', async () => {
    vi.spyOn(threadsRepository, 'list').mockResolvedValue(page([view('a', 900, 1), view('b', 800)]))
    const store = useThreadListStore()
    await store.enterTeam('t1')
    handleThreadEvent({ type: 'post_deleted', data: { post: { ...view('a', 900).root, delete_at: 5 } } })
    expect(ids(store.visible())).toEqual(['b'])
    expect(store.totals.unreadThreads).toBe(0)
  })
})
