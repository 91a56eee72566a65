import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Post, Reaction } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useUsersStore } from '@/features/users'
import { useMessagesStore } from './messagesStore'

let clock = 1_000_000

function post(fields: Partial<Post>): Post {
  clock += 1000
  return {
    id: `p${clock}`, create_at: clock, update_at: clock, edit_at: 0, delete_at: 0, is_pinned: false,
    user_id: 'u-alice', channel_id: 'c1', root_id: '', original_id: '', message: 'hi', type: '',
    props: {}, hashtags: '', file_ids: [], pending_post_id: '', reply_count: 0, last_reply_at: 0,
    ...fields,
  } as Post
}

describe('messages store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    // Authors are "known" so no user lookups leave the test.
    useUsersStore().put([{ id: 'u-alice', username: 'alice' }, { id: 'u-bob', username: 'bob' }] as never)
    useAuthStore().me = { id: 'u-alice', username: 'alice' } as never
  })

  it('keeps a channel in creation order whatever order pages arrive in', () => {
    const messages = useMessagesStore()
    const [a, b, c] = [post({}), post({}), post({})]
    messages.put([c as Post, a as Post], true)
    messages.put([b as Post], true)
    expect(messages.channelPosts('c1').map((p) => p.id)).toEqual([a, b, c].map((p) => p?.id))
  })

  it('shows root posts in the channel and replies in their thread', () => {
    const messages = useMessagesStore()
    const root = post({})
    const reply = post({ root_id: root.id })
    messages.put([root, reply], true)
    expect(messages.channelPosts('c1').map((p) => p.id)).toEqual([root.id])
    expect(messages.threadPosts(root.id).map((p) => p.id)).toEqual([root.id, reply.id])
  })

  it('keeps search results out of the channel history', () => {
    const messages = useMessagesStore()
    messages.put([post({})], true)
    const old = post({ create_at: 5 })
    messages.put([old])
    expect(messages.channelPosts('c1').map((p) => p.id)).not.toContain(old.id)
    expect(messages.posts.get(old.id)).toEqual(old)
  })

  it('never lets an older copy replace a newer edit', () => {
    const messages = useMessagesStore()
    const original = post({ message: 'first' })
    const edited = { ...original, message: 'second', edit_at: original.create_at + 5, update_at: original.create_at + 5 }
    messages.put([edited], true)
    messages.put([original], true)
    expect(messages.posts.get(original.id)?.message).toBe('second')
  })

  it('replaces the optimistic post with the server copy and counts a new reply once', () => {
    const messages = useMessagesStore()
    const root = post({})
    messages.put([root], true)
    messages.historyOf('c1').loaded = true
    const pending = post({ id: 'u-alice:pending1', pending_post_id: 'u-alice:pending1', root_id: root.id })
    messages.local.set(pending.id, 'sending')
    messages.put([pending], true)
    const saved = post({ pending_post_id: pending.id, root_id: root.id })
    expect(messages.received(saved, [])).toBe(true)
    expect(messages.received(saved, [])).toBe(false)
    expect(messages.posts.has(pending.id)).toBe(false)
    expect(messages.local.has(pending.id)).toBe(false)
    expect(messages.posts.get(root.id)?.reply_count).toBe(1)
  })

  it('finds the last own post for Up-to-edit, skipping others, deleted and unsent ones', () => {
    const messages = useMessagesStore()
    const mine = post({ message: 'mine' })
    const deleted = post({ delete_at: clock + 1 })
    const theirs = post({ user_id: 'u-bob' })
    const unsent = post({ id: 'u-alice:x' })
    messages.local.set(unsent.id, 'failed')
    messages.put([mine, deleted, theirs, unsent], true)
    expect(messages.lastOwn('c1')?.id).toBe(mine.id)
  })

  it('counts each user once per emoji', () => {
    const messages = useMessagesStore()
    const r = { post_id: 'p1', user_id: 'u-bob', emoji_name: 'tada' } as Reaction
    messages.addReaction(r)
    messages.addReaction({ ...r })
    messages.addReaction({ ...r, user_id: 'u-alice' })
    expect(messages.reactions.get('p1')).toHaveLength(2)
    messages.removeReaction(r)
    expect(messages.reactions.get('p1')?.map((x) => x.user_id)).toEqual(['u-alice'])
  })
})
