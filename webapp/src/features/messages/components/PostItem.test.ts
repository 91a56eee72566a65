import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Post } from '@/api/types'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { useAuthStore } from '@/features/auth'
import { useChannelsStore } from '@/features/channels'
import { handleEmojiEvent } from '@/features/emoji'
import { useUsersStore } from '@/features/users'
import { postsRepository } from '../repositories/postsRepository'
import { handleMessageEvent } from '../handlers/messageEvents'
import { useMessagesStore } from '../stores/messagesStore'
import PostItem from './PostItem.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

function post(fields: Partial<Post>): Post {
  return {
    id: 'e1', create_at: 5_000, update_at: 5_000, edit_at: 0, delete_at: 0, is_pinned: false,
    user_id: 'u-bot', channel_id: 'c1', root_id: '', original_id: '', message: 'Only **you** see this', type: 'system_ephemeral',
    props: {}, hashtags: '', file_ids: [], pending_post_id: '', reply_count: 0, last_reply_at: 0, ...fields,
  } as Post
}

let pinia: Pinia
let mounted: Mounted | null = null

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().me = { id: 'u-me', username: 'me' } as never
  useUsersStore().put([
    { id: 'u-me', username: 'me', first_name: '', last_name: '', nickname: '', last_picture_update: 0 },
    { id: 'u-bot', username: 'deploybot', first_name: '', last_name: '', nickname: '', last_picture_update: 0 },
  ] as never)
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

const q = (testid: string) => mounted?.el.querySelector(`[data-testid="${testid}"]`) ?? null

describe('ephemeral posts', () => {
  it('arrive from the socket into the channel, for this page only', () => {
    handleMessageEvent({ type: 'ephemeral_message', data: { user_id: 'u-me', post: post({}) } })
    const messages = useMessagesStore()
    expect(messages.channelPosts('c1').map((p) => p.id)).toEqual(['e1'])
    // The same id again is an update of that message, not a second one.
    handleMessageEvent({ type: 'ephemeral_message', data: { user_id: 'u-me', post: post({ message: 'Updated', update_at: 6_000 }) } })
    expect(messages.channelPosts('c1').map((p) => p.message)).toEqual(['Updated'])
  })

  it('do not move the point from which a reconnect catches up', async () => {
    const messages = useMessagesStore()
    messages.put([post({ id: 'stored', type: '', create_at: 1_000, update_at: 1_000 })], true)
    messages.historyOf('c1').loaded = true
    messages.addEphemeral(post({ id: 'eph', create_at: 9_000, update_at: 9_000 }))
    const since = vi.spyOn(postsRepository, 'since').mockResolvedValue([])
    vi.spyOn(postsRepository, 'metadata').mockResolvedValue({ reactions: [], files: [] } as never)
    await messages.catchUp('c1')
    expect(since).toHaveBeenCalledWith('c1', 1_000)
  })

  it('show their author, their text and the "only visible to you" marker', async () => {
    mounted = mount(PostItem, { post: post({}) }, pinia)
    await settle()
    expect(mounted.el.querySelector('.post-author')?.textContent).toBe('deploybot')
    expect(q('post-ephemeral')?.textContent).toBe('(only visible to you)')
    expect(q('post-message')?.querySelector('strong')?.textContent).toBe('you')
    // No reactions, replies or edits on a message the server does not hold.
    expect(q('post-react')).toBeNull()
    expect(q('post-edit')).toBeNull()
  })

  it("show a command's reply to me as the system's, and can be dismissed", async () => {
    const messages = useMessagesStore()
    const reply = post({ user_id: 'u-me', message: 'No such channel.' })
    messages.addEphemeral(reply)
    mounted = mount(PostItem, { post: reply }, pinia)
    await settle()
    expect(mounted.el.querySelector('.post-author')?.textContent).toBe('System')
    expect(q('post-ephemeral')).not.toBeNull()
    ;(q('post-dismiss') as HTMLButtonElement | null)?.click()
    expect(messages.channelPosts('c1')).toEqual([])
  })

  it('render their attachments and keep ordinary posts unmarked', async () => {
    const channels = useChannelsStore()
    channels.activeId = 'c1'
    mounted = mount(PostItem, { post: post({ type: '', props: { attachments: [{ title: 'Build 7', text: 'ok' }] } as never }) }, pinia)
    await settle()
    expect(q('post-ephemeral')).toBeNull()
    expect(q('msg-attachment-title')?.textContent?.trim()).toBe('Build 7')
  })
})

describe('custom emoji in posts', () => {
  it('show as images once known, in the text and in reactions; unknown names stay text', async () => {
    const messages = useMessagesStore()
    const normal = post({ id: 'p1', type: '', message: 'ship it :parrot: :nobody:' })
    messages.put([normal], true)
    messages.addReaction({ post_id: 'p1', user_id: 'u-bot', emoji_name: 'parrot', channel_id: 'c1', create_at: 1, update_at: 1, delete_at: 0 })
    mounted = mount(PostItem, { post: normal }, pinia)
    await settle()
    expect(q('post-message')?.querySelector('img')).toBeNull()
    expect(q('reaction-parrot')?.textContent?.trim()).toBe(':parrot: 1')

    // Added on the server meanwhile: the socket's event alone updates the post.
    handleEmojiEvent({ type: 'emoji_added', data: { emoji: { id: 'em1', name: 'parrot', creator_id: 'u-bot', create_at: 1, update_at: 1, delete_at: 0 } } })
    await settle()
    const img = q('post-message')?.querySelector('img.custom-emoji')
    expect(img?.getAttribute('src')).toBe('/api/v1/emoji/em1/image')
    expect(q('post-message')?.textContent).toContain(':nobody:')
    expect(q('reaction-parrot')?.querySelector('img')?.getAttribute('alt')).toBe(':parrot:')
  })
})
