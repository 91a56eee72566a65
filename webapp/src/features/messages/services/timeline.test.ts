import { describe, expect, it } from 'vitest'
import { locale } from '@/app/i18n/i18n'
import { buildTimeline, formatTime, mergePosts, type TimelineItem, type TimelinePost } from './timeline'

// Every test names its locale and time zone, so results do not depend on the
// machine running them.
const UTC = { locale: 'en-GB', timeZone: 'UTC' }
const MIN = 60 * 1000

function post(id: string, iso: string, extra: Partial<TimelinePost> = {}): TimelinePost {
  const at = Date.parse(iso)
  return {
    id,
    create_at: at,
    update_at: at,
    edit_at: 0,
    delete_at: 0,
    user_id: 'alice',
    channel_id: 'c1',
    root_id: '',
    message: `message ${id}`,
    type: '',
    props: {},
    ...extra,
  }
}

// A compact view of the rows: 'day:<label>', 'new', or '<id>' / '<id>+' for a continuation.
function shape(items: TimelineItem[]): string[] {
  return items.map((i) =>
    i.kind === 'day' ? `day:${i.label}` : i.kind === 'new-messages' ? 'new' : i.continuation ? `${i.key}+` : i.key,
  )
}

function continuation(items: TimelineItem[], id: string): boolean | undefined {
  const item = items.find((i) => i.kind === 'post' && i.key === id)
  return item?.kind === 'post' ? item.continuation : undefined
}

const NOW = Date.parse('2026-11-05T12:00:00Z')

describe('buildTimeline: order and day separators', () => {
  it('sorts posts oldest first whatever the input order', () => {
    const posts = [
      post('c', '2026-11-05T10:20:00Z', { user_id: 'carol' }),
      post('a', '2026-11-05T10:00:00Z', { user_id: 'alice' }),
      post('b', '2026-11-05T10:10:00Z', { user_id: 'bob' }),
    ]
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW }))).toEqual(['day:Today', 'a', 'b', 'c'])
  })

  it('puts one separator before the first post of each day, labelled Today / Yesterday / a date', () => {
    const posts = [
      post('old', '2026-11-03T09:00:00Z'),
      post('old2', '2026-11-03T18:00:00Z', { user_id: 'bob' }),
      post('yest', '2026-11-04T09:00:00Z'),
      post('today', '2026-11-05T09:00:00Z'),
    ]
    const items = buildTimeline(posts, { ...UTC, now: NOW })
    expect(shape(items).filter((s) => s.startsWith('day:'))).toHaveLength(3)
    const days = items.filter((i) => i.kind === 'day')
    expect(days.map((d) => d.key)).toEqual(['day:2026-11-03', 'day:2026-11-04', 'day:2026-11-05'])
    expect(days[1]?.label).toBe('Yesterday')
    expect(days[2]?.label).toBe('Today')
    // The exact punctuation belongs to the platform's locale data.
    expect(days[0]?.label).toMatch(/^Tue\b.*\b3\b.*\bNov\b.*\b2026$/)
    expect(shape(items)).toEqual([days[0] && `day:${days[0].label}`, 'old', 'old2', 'day:Yesterday', 'yest', 'day:Today', 'today'])
  })

  it('formats older dates in the requested locale', () => {
    const items = buildTimeline([post('x', '2026-11-03T09:00:00Z')], { locale: 'de-DE', timeZone: 'UTC', now: NOW })
    const day = items[0]
    expect(day?.kind === 'day' && day.label).toMatch(/^Di\./)
  })

  it('uses the given time zone for calendar days', () => {
    const posts = [post('late', '2026-11-04T23:30:00Z'), post('early', '2026-11-05T00:30:00Z', { user_id: 'bob' })]
    // Two days in UTC…
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW }))).toEqual(['day:Yesterday', 'late', 'day:Today', 'early'])
    // …but the same morning in Tokyo (UTC+9).
    const tokyo = buildTimeline(posts, { locale: 'en-GB', timeZone: 'Asia/Tokyo', now: NOW })
    expect(shape(tokyo)).toEqual(['day:Today', 'late', 'early'])
  })

  it('returns nothing for no posts', () => {
    expect(buildTimeline([], { ...UTC, now: NOW, lastViewedAt: 0 })).toEqual([])
  })

  it('merges duplicate posts, keeping the newest version', () => {
    const old = post('p', '2026-11-05T10:00:00Z', { message: 'old' })
    const edited = { ...old, update_at: old.update_at + 1000, message: 'edited' }
    const items = buildTimeline([edited, old], { ...UTC, now: NOW })
    const posts = items.filter((i) => i.kind === 'post')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.kind === 'post' && posts[0].post.message).toBe('edited')
  })
})

describe('buildTimeline: new messages line', () => {
  const posts = [
    post('a', '2026-11-05T10:00:00Z'),
    post('b', '2026-11-05T10:01:00Z'),
    post('c', '2026-11-05T10:02:00Z', { user_id: 'bob' }),
  ]

  it('goes once before the first post newer than lastViewedAt', () => {
    const lastViewedAt = Date.parse('2026-11-05T10:00:30Z')
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW, lastViewedAt }))).toEqual(['day:Today', 'a', 'new', 'b', 'c'])
  })

  it('starts a new group, so the first unread post shows its author', () => {
    const lastViewedAt = Date.parse('2026-11-05T10:00:30Z')
    const items = buildTimeline(posts, { ...UTC, now: NOW, lastViewedAt })
    expect(continuation(items, 'b')).toBe(false)
    expect(continuation(buildTimeline(posts, { ...UTC, now: NOW }), 'b')).toBe(true)
  })

  it('is absent when nothing is newer or lastViewedAt is not given', () => {
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW, lastViewedAt: NOW }))).not.toContain('new')
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW }))).not.toContain('new')
  })

  it('follows the day separator when the first new post starts a day', () => {
    const twoDays = [post('y', '2026-11-04T10:00:00Z'), post('t', '2026-11-05T09:00:00Z')]
    const lastViewedAt = Date.parse('2026-11-04T12:00:00Z')
    expect(shape(buildTimeline(twoDays, { ...UTC, now: NOW, lastViewedAt }))).toEqual([
      'day:Yesterday', 'y', 'day:Today', 'new', 't',
    ])
  })

  it('skips posts by the reader', () => {
    const lastViewedAt = Date.parse('2026-11-05T10:00:30Z')
    const me = posts[1]?.user_id
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW, lastViewedAt, myId: me }))).toEqual(['day:Today', 'a', 'b+', 'new', 'c'])
  })

  it('counts a post exactly at lastViewedAt as read', () => {
    const lastViewedAt = posts[1]?.create_at
    expect(shape(buildTimeline(posts, { ...UTC, now: NOW, lastViewedAt }))).toEqual(['day:Today', 'a', 'b+', 'new', 'c'])
  })
})

describe('buildTimeline: continuation', () => {
  const t0 = '2026-11-05T10:00:00Z'
  const at = (minutes: number, ms = 0) => new Date(Date.parse(t0) + minutes * MIN + ms).toISOString()
  const build = (posts: TimelinePost[]) => buildTimeline(posts, { ...UTC, now: NOW })

  it('groups posts by the same user within 5 minutes', () => {
    const items = build([post('a', at(0)), post('b', at(3)), post('c', at(8))])
    expect(shape(items)).toEqual(['day:Today', 'a', 'b+', 'c+'])
  })

  it('measures 5 minutes from the previous post, inclusive', () => {
    expect(continuation(build([post('a', at(0)), post('b', at(5))]), 'b')).toBe(true)
    expect(continuation(build([post('a', at(0)), post('b', at(5, 1))]), 'b')).toBe(false)
  })

  it('never continues the first post', () => {
    expect(continuation(build([post('a', at(0))]), 'a')).toBe(false)
  })

  it('breaks on a different user', () => {
    const items = build([post('a', at(0)), post('b', at(1), { user_id: 'bob' }), post('c', at(2))])
    expect(shape(items)).toEqual(['day:Today', 'a', 'b', 'c'])
  })

  it('breaks around system messages', () => {
    const items = build([
      post('a', at(0)),
      post('sys', at(1), { type: 'system_join_channel' }),
      post('b', at(2)),
    ])
    expect(shape(items)).toEqual(['day:Today', 'a', 'sys', 'b'])
  })

  it('breaks across days even within 5 minutes', () => {
    const items = build([post('a', '2026-11-04T23:58:00Z'), post('b', '2026-11-05T00:01:00Z')])
    expect(shape(items)).toEqual(['day:Yesterday', 'a', 'day:Today', 'b'])
  })

  it('breaks between a root post and a reply, or replies in different threads', () => {
    const root = post('root', at(0))
    const reply = post('r1', at(1), { root_id: 'root' })
    const otherReply = post('r2', at(2), { root_id: 'elsewhere' })
    const sameThread = post('r3', at(3), { root_id: 'elsewhere' })
    const backToChannel = post('plain', at(4))
    expect(shape(build([root, reply, otherReply, sameThread, backToChannel]))).toEqual([
      'day:Today', 'root', 'r1', 'r2', 'r3+', 'plain',
    ])
  })

  it('gives every row a unique key', () => {
    const items = buildTimeline(
      [post('a', '2026-11-04T10:00:00Z'), post('b', at(0)), post('c', at(1))],
      { ...UTC, now: NOW, lastViewedAt: Date.parse('2026-11-04T12:00:00Z') },
    )
    const keys = items.map((i) => i.key)
    expect(new Set(keys).size).toBe(keys.length)
  })
})

describe('mergePosts', () => {
  it('keeps the version with the larger update_at, from either side', () => {
    const v1 = post('p', '2026-11-05T10:00:00Z', { message: 'v1' })
    const v2 = { ...v1, update_at: v1.update_at + 5, message: 'v2' }
    expect(mergePosts([v2], [v1]).map((p) => p.message)).toEqual(['v2'])
    expect(mergePosts([v1], [v2]).map((p) => p.message)).toEqual(['v2'])
  })

  it('prefers the incoming copy on a tie', () => {
    const a = post('p', '2026-11-05T10:00:00Z', { message: 'existing' })
    const b = { ...a, message: 'incoming' }
    expect(mergePosts([a], [b])[0]?.message).toBe('incoming')
  })

  it('sorts by create_at, then id', () => {
    const merged = mergePosts(
      [post('b', '2026-11-05T10:00:00Z'), post('z', '2026-11-05T09:00:00Z')],
      [post('a', '2026-11-05T10:00:00Z'), post('m', '2026-11-05T11:00:00Z')],
    )
    expect(merged.map((p) => p.id)).toEqual(['z', 'a', 'b', 'm'])
  })

  it('does not modify its inputs', () => {
    const existing = [post('b', '2026-11-05T10:00:00Z'), post('a', '2026-11-05T09:00:00Z')]
    const incoming = [post('c', '2026-11-05T08:00:00Z')]
    const before = existing.map((p) => p.id)
    const merged = mergePosts(existing, incoming)
    expect(existing.map((p) => p.id)).toEqual(before)
    expect(incoming).toHaveLength(1)
    expect(merged).toHaveLength(3)
    expect(merged).not.toBe(existing)
  })
})

describe('formatTime', () => {
  const ms = Date.parse('2026-11-05T14:05:00Z')

  it('shows hours and minutes in the locale and zone', () => {
    expect(formatTime(ms, { locale: 'en-GB', timeZone: 'UTC' })).toBe('14:05')
    expect(formatTime(ms, { locale: 'en-GB', timeZone: 'Asia/Kolkata' })).toBe('19:35')
    expect(formatTime(ms, { locale: 'en-US', timeZone: 'UTC' })).toMatch(/^2:05\sPM$/)
  })

  it("uses the UI's language and the user's zone by default", () => {
    const expected = new Intl.DateTimeFormat(locale(), { hour: 'numeric', minute: '2-digit' }).format(ms)
    expect(formatTime(ms)).toBe(expected)
  })
})
