import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { FileInfo, Post, Reaction } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useUsersStore } from '@/features/users'
import { postsRepository } from '../repositories/postsRepository'

/** What the client holds of one channel's history. */
interface ChannelHistory {
  ids: string[]
  cursor: string | null
  hasOlder: boolean
  loadingOlder: boolean
  loaded: boolean
}

/** A post the user sent that the server has not confirmed yet (or refused). */
export type LocalState = 'sending' | 'failed'

const PAGE = 60
/** The first page only needs to fill a screen; it renders sooner. */
const FIRST_PAGE = 30

function newestChange(post: Post): number {
  return Math.max(post.create_at, post.update_at, post.edit_at, post.delete_at)
}

/** The post type of messages shown to one user only and never stored by the server. */
export const EPHEMERAL_TYPE = 'system_ephemeral'

export function isEphemeral(post: Pick<Post, 'type'>): boolean {
  return post.type === EPHEMERAL_TYPE
}

export const useMessagesStore = defineStore('messages', () => {
  const posts = reactive(new Map<string, Post>())
  const history = reactive(new Map<string, ChannelHistory>())
  const reactions = reactive(new Map<string, Reaction[]>())
  const files = reactive(new Map<string, FileInfo[]>())
  const local = reactive(new Map<string, LocalState>())
  /** Ids of the posts the user saved, once the saved list was loaded. */
  const saved = reactive(new Set<string>())
  /** The post being edited in place, if any. */
  const editingId = ref('')
  /** Unsent text per channel and thread, kept while switching. */
  const drafts = new Map<string, string>()
  const auth = useAuthStore()
  const users = useUsersStore()

  function historyOf(channelId: string): ChannelHistory {
    let h = history.get(channelId)
    if (!h) {
      h = { ids: [], cursor: null, hasOlder: true, loadingOlder: false, loaded: false }
      history.set(channelId, h)
      h = history.get(channelId) as ChannelHistory
    }
    return h
  }

  /** Root posts of a channel, oldest first (replies live in threads). */
  function channelPosts(channelId: string): Post[] {
    const h = history.get(channelId)
    if (!h) return []
    return h.ids.map((id) => posts.get(id)).filter((p): p is Post => !!p && !p.root_id)
  }

  function threadPosts(rootId: string): Post[] {
    const out: Post[] = []
    for (const post of posts.values()) if (post.id === rootId || post.root_id === rootId) out.push(post)
    return out.sort((a, b) => a.create_at - b.create_at || a.id.localeCompare(b.id))
  }

  /**
   * Stores posts; `inHistory` adds them to their channel's continuous history
   * (pages and live posts), which search results and threads must not enter.
   */
  function put(list: Post[], inHistory = false): void {
    for (const post of list) {
      const known = posts.get(post.id)
      if (!known || newestChange(post) >= newestChange(known)) posts.set(post.id, post)
      if (!inHistory) continue
      const h = historyOf(post.channel_id)
      if (!h.ids.includes(post.id)) h.ids.push(post.id)
    }
    void users.ensure(list.map((p) => p.user_id))
    if (!inHistory) return
    const channels = new Set(list.map((p) => p.channel_id))
    for (const channelId of channels) {
      const h = historyOf(channelId)
      h.ids.sort((a, b) => {
        const pa = posts.get(a)
        const pb = posts.get(b)
        return (pa?.create_at ?? 0) - (pb?.create_at ?? 0) || a.localeCompare(b)
      })
    }
  }

  async function loadMetadata(list: Post[]): Promise<void> {
    const ids = list.filter((p) => !p.delete_at).map((p) => p.id)
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200)
      const meta = await postsRepository.metadata(chunk)
      for (const id of chunk) {
        reactions.set(id, meta.reactions.filter((r) => r.post_id === id))
        files.set(id, meta.files.filter((f) => f.post_id === id))
      }
    }
  }

  const inFlight = new Map<string, Promise<void>>()

  /** The newest page of a channel; concurrent calls (an early prefetch and the view) share one request. */
  function loadLatest(channelId: string): Promise<void> {
    let pending = inFlight.get(channelId)
    if (!pending) {
      pending = fetchLatest(channelId).finally(() => inFlight.delete(channelId))
      inFlight.set(channelId, pending)
    }
    return pending
  }

  async function fetchLatest(channelId: string): Promise<void> {
    const page = await postsRepository.page(channelId, undefined, FIRST_PAGE)
    const h = historyOf(channelId)
    put(page.items, true)
    if (!h.loaded) {
      h.cursor = page.next_cursor ?? null
      h.hasOlder = !!page.next_cursor
    }
    h.loaded = true
    await loadMetadata(page.items)
  }

  async function loadOlder(channelId: string): Promise<number> {
    const h = historyOf(channelId)
    if (!h.hasOlder || h.loadingOlder || !h.cursor) return 0
    h.loadingOlder = true
    try {
      const page = await postsRepository.page(channelId, h.cursor, PAGE)
      put(page.items, true)
      h.cursor = page.next_cursor ?? null
      h.hasOlder = !!page.next_cursor
      await loadMetadata(page.items)
      return page.items.length
    } finally {
      h.loadingOlder = false
    }
  }

  /** After a lost connection: everything created, edited or deleted meanwhile. */
  async function catchUp(channelId: string): Promise<void> {
    const h = history.get(channelId)
    if (!h?.loaded) return
    let since = 0
    for (const id of h.ids) {
      const post = posts.get(id)
      // Ephemeral posts exist only here: their times say nothing of what the server holds.
      if (post && !isEphemeral(post)) since = Math.max(since, newestChange(post))
    }
    const changed = await postsRepository.since(channelId, since)
    put(changed, true)
    await loadMetadata(changed)
  }

  async function loadThread(rootId: string): Promise<void> {
    const list = await postsRepository.thread(rootId)
    put(list)
    await loadMetadata(list)
  }

  async function send(channelId: string, message: string, opts: { rootId?: string; fileIds?: string[] } = {}): Promise<void> {
    const pendingId = `${auth.myId}:${Date.now()}${Math.random().toString(36).slice(2, 6)}`
    const now = Date.now()
    const draft = {
      id: pendingId, create_at: now, update_at: now, edit_at: 0, delete_at: 0, is_pinned: false,
      user_id: auth.myId, channel_id: channelId, root_id: opts.rootId ?? '', original_id: '',
      message, type: '', props: {}, hashtags: '', file_ids: opts.fileIds ?? [], pending_post_id: pendingId,
      reply_count: 0, last_reply_at: 0,
    } as Post
    local.set(pendingId, 'sending')
    put([draft], true)
    try {
      const saved = await postsRepository.create(channelId, {
        message, root_id: opts.rootId ?? '', file_ids: opts.fileIds ?? [], pending_post_id: pendingId,
      })
      replacePending(pendingId, saved)
    } catch (e) {
      if (posts.has(pendingId)) local.set(pendingId, 'failed')
      throw e
    }
  }

  async function retry(pendingId: string): Promise<void> {
    const draft = posts.get(pendingId)
    if (!draft) return
    drop(pendingId)
    await send(draft.channel_id, draft.message, { rootId: draft.root_id, fileIds: draft.file_ids })
  }

  function drop(postId: string): void {
    const post = posts.get(postId)
    posts.delete(postId)
    local.delete(postId)
    if (post) {
      const h = history.get(post.channel_id)
      if (h) h.ids = h.ids.filter((id) => id !== postId)
    }
  }

  /** The server's copy replaces the optimistic one (from the answer or the event, whichever is first). */
  function replacePending(pendingId: string, saved: Post): void {
    if (posts.has(pendingId)) drop(pendingId)
    put([saved], history.get(saved.channel_id)?.loaded ?? false)
  }

  async function edit(postId: string, message: string): Promise<void> {
    put([await postsRepository.edit(postId, message)])
  }

  async function remove(postId: string): Promise<void> {
    put([await postsRepository.remove(postId)])
  }

  async function setPinned(postId: string, pinned: boolean): Promise<void> {
    put([await postsRepository.pin(postId, pinned)])
  }

  /** A channel's pinned posts, newest first. */
  async function loadPinned(channelId: string): Promise<Post[]> {
    const found = await postsRepository.pinned(channelId)
    put(found)
    return found
  }

  /** The posts the user saved, and which they are. */
  async function loadSaved(): Promise<Post[]> {
    const found = await postsRepository.saved()
    saved.clear()
    for (const post of found) saved.add(post.id)
    put(found)
    return found
  }

  async function toggleSaved(postId: string): Promise<void> {
    const wanted = !saved.has(postId)
    await postsRepository.setSaved(auth.myId, postId, wanted)
    if (wanted) saved.add(postId)
    else saved.delete(postId)
  }

  async function toggleReaction(postId: string, emoji: string): Promise<void> {
    const mine = (reactions.get(postId) ?? []).some((r) => r.emoji_name === emoji && r.user_id === auth.myId)
    if (mine) {
      removeReaction({ post_id: postId, emoji_name: emoji, user_id: auth.myId } as Reaction)
      await postsRepository.unreact(postId, emoji)
    } else {
      const reaction = await postsRepository.react(postId, emoji)
      addReaction(reaction)
    }
  }

  function addReaction(reaction: Reaction): void {
    const list = reactions.get(reaction.post_id) ?? []
    if (!list.some((r) => r.user_id === reaction.user_id && r.emoji_name === reaction.emoji_name)) {
      reactions.set(reaction.post_id, [...list, reaction])
    }
  }

  function removeReaction(reaction: Reaction): void {
    const list = reactions.get(reaction.post_id) ?? []
    reactions.set(
      reaction.post_id,
      list.filter((r) => !(r.user_id === reaction.user_id && r.emoji_name === reaction.emoji_name)),
    )
  }

  /** A post from the socket: new, or the confirmation of our own optimistic one. */
  function received(post: Post, attached: FileInfo[]): boolean {
    const fresh = !posts.has(post.id)
    if (post.pending_post_id && posts.has(post.pending_post_id)) drop(post.pending_post_id)
    if (attached.length) files.set(post.id, attached)
    const root = post.root_id ? posts.get(post.root_id) : undefined
    if (fresh && root) posts.set(root.id, { ...root, reply_count: root.reply_count + 1, last_reply_at: post.create_at })
    put([post], history.get(post.channel_id)?.loaded ?? false)
    return fresh
  }

  /**
   * A message for this user only (a command's or an integration's answer):
   * shown in its channel or thread until the page is left, never stored.
   * An ephemeral post with a known id replaces the earlier one (an update).
   */
  function addEphemeral(post: Post): void {
    put([{ ...post, type: EPHEMERAL_TYPE }], true)
  }

  /** The user's own latest root post in a channel, for Up-to-edit. */
  function lastOwn(channelId: string, rootId = ''): Post | undefined {
    const list = rootId ? threadPosts(rootId) : channelPosts(channelId)
    for (let i = list.length - 1; i >= 0; i--) {
      const post = list[i]
      if (post && post.user_id === auth.myId && !post.delete_at && !local.has(post.id) && !post.type) return post
    }
    return undefined
  }

  return {
    posts, history, reactions, files, local, saved, editingId, drafts,
    setPinned, loadPinned, loadSaved, toggleSaved,
    historyOf, channelPosts, threadPosts, loadMetadataOf: loadMetadata, loadLatest, loadOlder, catchUp, loadThread,
    send, retry, drop, edit, remove, toggleReaction, addReaction, removeReaction, received, put, lastOwn, addEphemeral,
  }
})
