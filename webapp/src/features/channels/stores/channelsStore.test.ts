import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Channel, ChannelMember, Post } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { handleMessageEvent } from '@/features/messages/handlers/messageEvents'
import { useUsersStore } from '@/features/users'
import { handleChannelEvent } from '../handlers/channelEvents'
import { channelsRepository } from '../repositories/channelsRepository'
import { useChannelsStore } from './channelsStore'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

function channel(fields: Partial<Channel>): Channel {
  return {
    id: 'c1', team_id: 't1', type: 'O', name: 'town-square', display_name: 'Town Square', header: '', purpose: '',
    total_msg_count: 10, last_post_at: 100, delete_at: 0, ...fields,
  } as Channel
}

function member(channelId: string, fields: Partial<ChannelMember> = {}): ChannelMember {
  return { channel_id: channelId, user_id: 'me', msg_count: 10, mention_count: 0, last_viewed_at: 0, ...fields } as ChannelMember
}

describe('channels store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    useAuthStore().me = { id: 'me', username: 'alice' } as never
    useUsersStore().put([{ id: 'bob', username: 'bob' }] as never)
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  function seed(): ReturnType<typeof useChannelsStore> {
    const channels = useChannelsStore()
    channels.teamId = 't1'
    channels.upsert(channel({}))
    channels.upsert(channel({ id: 'c2', name: 'design', display_name: 'Design', type: 'P' }))
    channels.upsert(channel({ id: 'd1', team_id: '', type: 'D', name: 'bob__me', display_name: '' }))
    channels.upsert(channel({ id: 'other', team_id: 't2', name: 'elsewhere' }))
    for (const id of ['c1', 'c2', 'd1', 'other']) channels.members.set(id, member(id))
    return channels
  }

  it('counts a message as unread unless its reader is looking or wrote it', () => {
    const channels = seed()
    channels.notePost('c1', 200, false, false, false)
    expect(channels.unread('c1')).toBe(1)
    channels.notePost('c1', 201, true, false, false)
    expect(channels.unread('c1')).toBe(1)
    channels.notePost('c2', 202, false, false, true)
    expect(channels.unread('c2')).toBe(0)
  })

  it('counts mentions and clears both counts when read', () => {
    const channels = seed()
    channels.notePost('c1', 200, false, true, false)
    channels.notePost('c1', 201, false, true, false)
    expect(channels.mentions('c1')).toBe(2)
    channels.clearLocally('c1')
    expect(channels.mentions('c1')).toBe(0)
    expect(channels.unread('c1')).toBe(0)
  })

  it('groups the sidebar: favorites, channels of this team, direct messages', () => {
    const channels = seed()
    channels.favorites.add('c2')
    const sections = channels.sections
    expect(sections.favorites.map((c) => c.id)).toEqual(['c2'])
    expect(sections.channels.map((c) => c.id)).toEqual(['c1'])
    expect(sections.direct.map((c) => c.id)).toEqual(['d1'])
  })

  it('names a direct channel after the other person and routes it by username', () => {
    const channels = seed()
    const dm = channels.byId.get('d1') as Channel
    expect(channels.label(dm)).toBe('bob')
    expect(channels.pathOf(dm, 'team')).toBe('/team/messages/@bob')
    expect(channels.findByRoute('@bob')?.id).toBe('d1')
    expect(channels.findByRoute('design')?.id).toBe('c2')
    expect(channels.findByRoute('elsewhere')).toBeUndefined()
  })

  afterEach(() => vi.restoreAllMocks())

  it('never shows a muted channel unread, but still counts its mentions', () => {
    const channels = seed()
    channels.members.set('c1', member('c1', { notify_props: { mark_unread: 'mention' } }))
    channels.notePost('c1', 200, false, false, false)
    channels.notePost('c1', 201, false, true, false)
    expect(channels.muted('c1')).toBe(true)
    expect(channels.unread('c1')).toBe(0)
    expect(channels.mentions('c1')).toBe(1)
    // Unmuted in another tab: the messages count again.
    handleChannelEvent({ type: 'channel_member_updated', data: { member: member('c1', { notify_props: { mark_unread: 'all' } }) } })
    expect(channels.muted('c1')).toBe(false)
    expect(channels.unread('c1')).toBe(2)
  })

  it('keeps an archived channel out of the sidebar unless it is open, and reachable by its address', () => {
    const channels = seed()
    channels.upsert(channel({ id: 'c2', name: 'design', display_name: 'Design', type: 'P', delete_at: 500 }))
    expect(channels.visible.map((c) => c.id)).not.toContain('c2')
    expect(channels.findByRoute('design')?.id).toBe('c2')
    channels.activeId = 'c2'
    expect(channels.visible.map((c) => c.id)).toContain('c2')
  })

  it('sends only the changed notification settings and keeps the answer', async () => {
    const channels = seed()
    const answer = member('c1', { notify_props: { mark_unread: 'mention', desktop: 'default' } })
    const patch = vi.spyOn(channelsRepository, 'setNotifyProps').mockResolvedValue(answer)
    await channels.toggleMute('c1')
    expect(patch).toHaveBeenCalledWith('c1', { mark_unread: 'mention' })
    expect(channels.muted('c1')).toBe(true)
    await channels.setNotifyProps('c1', {})
    expect(patch).toHaveBeenCalledTimes(1)
  })

  it('forgets a channel once left', async () => {
    const channels = seed()
    const leave = vi.spyOn(channelsRepository, 'leave').mockResolvedValue({} as never)
    await channels.leave('c2')
    expect(leave).toHaveBeenCalledWith('c2')
    expect(channels.findByRoute('design')).toBeUndefined()
    })

  describe('mark as unread', () => {
    const unreadFromPost = member('c1', { msg_count: 7, mention_count: 1, last_viewed_at: 4_999 })

    function post(fields: Partial<Post>): Post {
      return {
        id: 'p9', create_at: 9_000, update_at: 9_000, edit_at: 0, delete_at: 0, is_pinned: false, user_id: 'bob',
        channel_id: 'c1', root_id: '', original_id: '', message: 'later', type: '', props: {}, hashtags: '',
        file_ids: [], pending_post_id: '', reply_count: 0, last_reply_at: 0, ...fields,
      } as Post
    }

    it('shows the channel unread from the post on and keeps it so while the user stays in it', async () => {
      vi.useFakeTimers()
      const channels = seed()
      channels.activeId = 'c1'
      const markUnread = vi.spyOn(channelsRepository, 'markUnread').mockResolvedValue(unreadFromPost)
      const view = vi.spyOn(channelsRepository, 'view').mockResolvedValue(member('c1', { msg_count: 11 }))
      await channels.markUnread('p5')
      expect(markUnread).toHaveBeenCalledWith('p5')
      expect(channels.unread('c1')).toBe(3)
      expect(channels.mentions('c1')).toBe(1)
      expect(channels.heldUnread.get('c1')).toBe(4_999)

      // Reading it again (the view's own call) does nothing while held.
      await channels.markViewed('c1')
      expect(view).not.toHaveBeenCalled()
      expect(channels.unread('c1')).toBe(3)

      // A new post in it counts as unread instead of being read as it comes.
      handleMessageEvent({ type: 'post_created', data: { post: post({}), mentions: [] } })
      await vi.advanceTimersByTimeAsync(1500)
      expect(view).not.toHaveBeenCalled()
      expect(channels.unread('c1')).toBe(4)

      // Another tab having read the channel earlier does not undo it either.
      handleChannelEvent({ type: 'channel_viewed', data: { user_id: 'me', channel_id: 'c1' } })
      expect(channels.unread('c1')).toBe(4)

      // Leaving and coming back reads it.
      channels.releaseUnread()
      await channels.markViewed('c1')
      expect(view).toHaveBeenCalledWith('c1')
      expect(channels.unread('c1')).toBe(0)
    })

    it('takes another tab’s mark as unread; only the channel being read is held', () => {
      const channels = seed()
      channels.activeId = 'c2'
      handleChannelEvent({ type: 'post_unread', data: { post_id: 'p5', team_id: 't1', member: unreadFromPost } })
      expect(channels.unread('c1')).toBe(3)
      expect(channels.heldUnread.has('c1')).toBe(false)
      handleChannelEvent({ type: 'post_unread', data: { post_id: 'p5', team_id: 't1', member: { ...unreadFromPost, channel_id: 'c2' } } })
      expect(channels.heldUnread.get('c2')).toBe(4_999)
      // Another user's read state is not ours.
      handleChannelEvent({ type: 'post_unread', data: { post_id: 'p5', team_id: 't1', member: member('d1', { user_id: 'bob', msg_count: 0 }) } })
      expect(channels.unread('d1')).toBe(0)
    })
  })
})
