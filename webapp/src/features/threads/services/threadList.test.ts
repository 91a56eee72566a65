import { describe, expect, it } from 'vitest'
import type { ThreadView } from '@/api/types'
import {
  adjustTotals,
  emptyPaging,
  formatWhen,
  hasOlder,
  nextPaging,
  visibleThreads,
  type Paging,
  type ThreadFilter,
} from './threadList'

function view(id: string, lastReply: number, unread = 0, mentions = 0): ThreadView {
  return {
    root: { id, last_reply_at: lastReply, delete_at: 0, reply_count: 2 },
    member: { post_id: id, user_id: 'me', following: true, last_viewed: 0, last_updated: 0, unread_mentions: mentions },
    unread_replies: unread,
    participants: [],
  } as unknown as ThreadView
}

const paged = (all: Paging, unread: Paging = emptyPaging()): Record<ThreadFilter, Paging> => ({ all, unread })

describe('thread totals', () => {
  const totals = { total: 3, unreadThreads: 1, unreadMentions: 2 }

  it('count a thread that gets its first unread reply, and its mentions', () => {
    expect(adjustTotals(totals, { replies: 0, mentions: 0 }, { replies: 1, mentions: 1 })).toEqual({
      total: 3, unreadThreads: 2, unreadMentions: 3,
    })
  })

  it('drop a read thread from the unread ones, and an unfollowed one from all', () => {
    expect(adjustTotals(totals, { replies: 4, mentions: 2 }, { replies: 0, mentions: 0 })).toEqual({
      total: 3, unreadThreads: 0, unreadMentions: 0,
    })
    expect(adjustTotals(totals, { replies: 0, mentions: 0 }, undefined).total).toBe(2)
    expect(adjustTotals(totals, undefined, { replies: 1, mentions: 0 })).toEqual({ total: 4, unreadThreads: 2, unreadMentions: 2 })
  })

  it('never go below zero', () => {
    expect(adjustTotals({ total: 0, unreadThreads: 0, unreadMentions: 0 }, { replies: 1, mentions: 3 }, undefined)).toEqual({
      total: 0, unreadThreads: 0, unreadMentions: 0,
    })
  })
})

describe('thread paging', () => {
  it('moves the floor down to the oldest thread of each page and ends on a short page', () => {
    let p = nextPaging(emptyPaging(), [view('a', 900), view('b', 800)], 2)
    expect(p).toEqual({ loaded: true, floor: 800, floorId: 'b', done: false })
    p = nextPaging(p, [view('c', 700)], 2)
    expect(p).toEqual({ loaded: true, floor: 700, floorId: 'c', done: true })
  })

  it('takes the smallest root id among threads of the same last reply, as the server orders them', () => {
    const p = nextPaging(emptyPaging(), [view('m', 0), view('k', 0)], 2)
    expect(p).toMatchObject({ floor: 0, floorId: 'k' })
    expect(nextPaging(p, [view('j', 0)], 2)).toMatchObject({ floor: 0, floorId: 'j', done: true })
  })

  it('keeps what was loaded when the newest page is merged in again', () => {
    const p = nextPaging({ loaded: true, floor: 500, floorId: 'z', done: false }, [view('a', 900), view('b', 800)], 2, true)
    expect(p).toEqual({ loaded: true, floor: 500, floorId: 'z', done: false })
    expect(nextPaging({ loaded: true, floor: 500, floorId: '', done: true }, [view('a', 900), view('b', 800)], 2, true).done).toBe(true)
  })

  it('says whether older threads can be loaded for each filter', () => {
    expect(hasOlder('all', paged(emptyPaging()))).toBe(false)
    expect(hasOlder('all', paged({ loaded: true, floor: 5, floorId: '', done: false }))).toBe(true)
    expect(hasOlder('unread', paged({ loaded: true, floor: 5, floorId: '', done: false }, { loaded: true, floor: 9, floorId: '', done: true }))).toBe(false)
    // Every followed thread is loaded: nothing older exists for either filter.
    expect(hasOlder('unread', paged({ loaded: true, floor: 5, floorId: '', done: true }))).toBe(false)
  })
})

describe('visible threads', () => {
  const views = [view('old', 100, 1), view('mid', 500), view('new', 900, 2, 1), view('newest', 1000)]

  it('lists the loaded pages newest first, not a thread known from elsewhere and older', () => {
    const shown = visibleThreads(views, 'all', paged({ loaded: true, floor: 500, floorId: '', done: false }))
    expect(shown.map((v) => v.root.id)).toEqual(['newest', 'new', 'mid'])
  })

  it('lists everything once the last page came', () => {
    const shown = visibleThreads(views, 'all', paged({ loaded: true, floor: 500, floorId: '', done: true }))
    expect(shown.map((v) => v.root.id)).toEqual(['newest', 'new', 'mid', 'old'])
  })

  it('shows nothing before the first page', () => {
    expect(visibleThreads(views, 'all', paged(emptyPaging()))).toEqual([])
  })

  it('lists unread threads down to the lower of the two listings, and keeps the open one once read', () => {
    const paging = paged({ loaded: true, floor: 900, floorId: '', done: false }, { loaded: true, floor: 100, floorId: '', done: false })
    expect(visibleThreads(views, 'unread', paging).map((v) => v.root.id)).toEqual(['new', 'old'])
    expect(visibleThreads(views, 'unread', paging, 'mid').map((v) => v.root.id)).toEqual(['new', 'mid', 'old'])
  })

  it('leaves out deleted roots', () => {
    const gone = { ...view('gone', 950), root: { ...view('gone', 950).root, delete_at: 5 } } as ThreadView
    const shown = visibleThreads([...views, gone], 'all', paged({ loaded: true, floor: 0, floorId: '', done: true }))
    expect(shown.map((v) => v.root.id)).not.toContain('gone')
  })
})

describe('thread times', () => {
  const now = Date.UTC(2026, 4, 12, 15, 0)
  it('show the time for today and the date before', () => {
    expect(formatWhen(Date.UTC(2026, 4, 12, 9, 5), { now, locale: 'en-GB', timeZone: 'UTC' })).toMatch(/^0?9:05$/)
    expect(formatWhen(Date.UTC(2026, 4, 10, 9, 5), { now, locale: 'en-GB', timeZone: 'UTC' })).toBe('10 May')
  })
})
