import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import type { Channel, ChannelMember, Preference } from '@/api/types'
import type { components } from '@/api/v1'
import { t } from '@/app/i18n/i18n'
import { useAuthStore } from '@/features/auth'
import { useUsersStore, displayName } from '@/features/users'
import { channelsRepository } from '../repositories/channelsRepository'
import { channelSlug, directPartner, isDirectOrGroup, unreadCount } from '../services/channelNames'
import { isMuted, type ChannelNotifyProps } from '../services/notifyProps'

const FAVORITES = 'favorite_channel'

export const useChannelsStore = defineStore('channels', () => {
  const byId = reactive(new Map<string, Channel>())
  const members = reactive(new Map<string, ChannelMember>())
  const favorites = reactive(new Set<string>())
  const teamId = ref('')
  const activeId = ref('')
  const loaded = ref(false)
  /**
   * Channels the user marked unread while reading them, with their new
   * last_viewed_at: they stay unread (new posts do not mark them read) until
   * the user leaves them, as on Mattermost.
   */
  const heldUnread = reactive(new Map<string, number>())

  const auth = useAuthStore()
  const users = useUsersStore()

  function inTeam(channel: Channel): boolean {
    return channel.team_id === teamId.value || isDirectOrGroup(channel)
  }

  /** The user's channels in this team and their conversations, archived ones too. */
  const reachable = computed(() => [...byId.values()].filter((c) => members.has(c.id) && inTeam(c)))
  // An archived channel stays in the sidebar only while it is open, as on Mattermost.
  const visible = computed(() => reachable.value.filter((c) => !c.delete_at || c.id === activeId.value))

  function label(channel: Channel): string {
    if (channel.type === 'D') {
      const partner = directPartner(channel, auth.myId)
      const user = users.byId.get(partner)
      if (partner === auth.myId) return `${user?.username ?? 'me'} (you)`
      return user ? user.username : channel.display_name || t('channels.name.direct')
    }
    if (channel.type === 'G') {
      return channel.display_name || t('channels.name.group')
    }
    return channel.display_name || channel.name
  }

  /** The route segment of a channel: its name, or `@username` for a DM. */
  function routeName(channel: Channel): string {
    if (channel.type === 'D') {
      const user = users.byId.get(directPartner(channel, auth.myId))
      if (user) return `@${user.username}`
    }
    return channel.name
  }

  function pathOf(channel: Channel, team: string): string {
    return channel.type === 'D' ? `/${team}/messages/${routeName(channel)}` : `/${team}/channels/${channel.name}`
  }

  const sections = computed(() => {
    const byLabel = (a: Channel, b: Channel) => label(a).localeCompare(label(b))
    const byRecent = (a: Channel, b: Channel) => b.last_post_at - a.last_post_at
    const fav = visible.value.filter((c) => favorites.has(c.id)).sort(byLabel)
    const rest = visible.value.filter((c) => !favorites.has(c.id))
    return {
      favorites: fav,
      channels: rest.filter((c) => !isDirectOrGroup(c)).sort(byLabel),
      direct: rest.filter(isDirectOrGroup).sort(byRecent),
    }
  })

  /** Unread messages; a muted channel shows only its mentions, so never unread. */
  function unread(channelId: string): number {
    const channel = byId.get(channelId)
    const member = members.get(channelId)
    if (!channel || isMuted(member)) return 0
    return unreadCount(channel, member?.msg_count)
  }

  function muted(channelId: string): boolean {
    return isMuted(members.get(channelId))
  }

  function mentions(channelId: string): number {
    return members.get(channelId)?.mention_count ?? 0
  }

  async function load(team: string): Promise<void> {
    teamId.value = team
    const [channels, mine, prefs] = await Promise.all([
      channelsRepository.mine(team),
      channelsRepository.myMembers(team),
      channelsRepository.preferences(),
    ])
    for (const channel of channels) byId.set(channel.id, channel)
    // Memberships of this team (and DMs) are replaced, so channels left while
    // away disappear from the sidebar.
    for (const [id] of members) {
      const channel = byId.get(id)
      if (!channel || channel.team_id === team || isDirectOrGroup(channel)) members.delete(id)
    }
    for (const member of mine) members.set(member.channel_id, member)
    favorites.clear()
    for (const p of prefs) if (p.category === FAVORITES && p.value === 'true') favorites.add(p.name)
    await users.ensure(channels.map((c) => directPartner(c, auth.myId)).filter(Boolean))
    loaded.value = true
  }

  function findByRoute(name: string): Channel | undefined {
    if (name.startsWith('@')) {
      const user = users.byUsername(name.slice(1))
      return reachable.value.find((c) => c.type === 'D' && user && directPartner(c, auth.myId) === user.id)
    }
    // A direct channel by its own name ("<id>__<id>") too: commands link to it so.
    return reachable.value.find((c) => c.name === name)
  }

  async function create(displayName_: string, priv: boolean, purpose = ''): Promise<Channel> {
    const channel = await channelsRepository.create(teamId.value, channelSlug(displayName_), displayName_.trim(), priv, purpose)
    byId.set(channel.id, channel)
    await refreshMember(channel.id)
    return channel
  }

  async function join(channel: Channel): Promise<void> {
    const member = await channelsRepository.join(channel.id, auth.myId)
    byId.set(channel.id, channel)
    members.set(channel.id, member)
  }

  async function openDirect(userIds: string[]): Promise<Channel> {
    const channel = userIds.length === 1 ? await channelsRepository.direct(userIds[0] ?? '') : await channelsRepository.group(userIds)
    byId.set(channel.id, channel)
    await users.ensure(userIds)
    await refreshMember(channel.id)
    return channel
  }

  async function refreshMember(channelId: string): Promise<void> {
    const mine = await channelsRepository.myMembers(teamId.value)
    for (const member of mine) if (member.channel_id === channelId || !members.has(member.channel_id)) members.set(member.channel_id, member)
  }

  /** Marks a channel read here and on the server (not while it is held unread). */
  async function markViewed(channelId: string): Promise<void> {
    if (heldUnread.has(channelId)) return
    clearLocally(channelId)
    try {
      const member = await channelsRepository.view(channelId)
      // Marked unread while the read was on its way: the unread state stays.
      if (!heldUnread.has(channelId)) members.set(channelId, member)
    } catch {
      // Counts catch up at the next load; reading is not blocked by this.
    }
  }

  function clearLocally(channelId: string): void {
    const member = members.get(channelId)
    const channel = byId.get(channelId)
    if (member && channel) {
      members.set(channelId, { ...member, msg_count: channel.total_msg_count, mention_count: 0, last_viewed_at: Date.now() })
    }
  }

  /** "Mark as unread": the post's channel is unread from that post on. */
  async function markUnread(postId: string): Promise<void> {
    applyUnread(await channelsRepository.markUnread(postId))
  }

  /** A channel marked unread from a post, here or in another tab; the one being read stays so. */
  function applyUnread(member: ChannelMember): void {
    members.set(member.channel_id, member)
    if (activeId.value === member.channel_id) heldUnread.set(member.channel_id, member.last_viewed_at)
  }

  /** The user left the channel(s) held unread: reading marks them read again. */
  function releaseUnread(): void {
    heldUnread.clear()
  }

  async function toggleFavorite(channelId: string): Promise<void> {
    const pref: Preference = { user_id: auth.myId, category: FAVORITES, name: channelId, value: 'true' }
    if (favorites.has(channelId)) {
      favorites.delete(channelId)
      await channelsRepository.deletePreferences([pref])
    } else {
      favorites.add(channelId)
      await channelsRepository.savePreferences([pref])
    }
  }

  function applyPreferences(prefs: Preference[], deleted: boolean): void {
    for (const p of prefs) {
      if (p.category !== FAVORITES) continue
      if (!deleted && p.value === 'true') favorites.add(p.name)
      else favorites.delete(p.name)
    }
  }

  /** A new message counts towards unread unless the reader is looking at it. */
  function notePost(channelId: string, createAt: number, mine: boolean, mentioned: boolean, reading: boolean): void {
    const channel = byId.get(channelId)
    if (!channel) return
    byId.set(channelId, { ...channel, total_msg_count: channel.total_msg_count + 1, last_post_at: Math.max(channel.last_post_at, createAt) })
    const member = members.get(channelId)
    if (!member) return
    if (mine || reading) {
      members.set(channelId, { ...member, msg_count: member.msg_count + 1 })
    } else if (mentioned) {
      members.set(channelId, { ...member, mention_count: member.mention_count + 1 })
    }
  }

  function upsert(channel: Channel): void {
    byId.set(channel.id, channel)
  }

  function forget(channelId: string): void {
    members.delete(channelId)
  }

  /** Renames a channel or changes its header or purpose (only the fields given). */
  async function patch(channelId: string, changes: components['schemas']['ChannelPatch']): Promise<Channel> {
    const channel = await channelsRepository.patch(channelId, changes)
    upsert(channel)
    return channel
  }

  async function archive(channelId: string): Promise<void> {
    upsert(await channelsRepository.archive(channelId))
  }

  async function restore(channelId: string): Promise<void> {
    upsert(await channelsRepository.restore(channelId))
  }

  async function leave(channelId: string): Promise<void> {
    await channelsRepository.leave(channelId)
    forget(channelId)
  }

  /** The membership as the server has it now (its settings may have changed elsewhere). */
  async function reloadMember(channelId: string): Promise<ChannelMember> {
    const member = await channelsRepository.myMember(channelId)
    members.set(channelId, member)
    return member
  }

  /** Saves some of one's notification settings for a channel. */
  async function setNotifyProps(channelId: string, changes: Partial<ChannelNotifyProps>): Promise<void> {
    if (!Object.keys(changes).length) return
    members.set(channelId, await channelsRepository.setNotifyProps(channelId, changes as Record<string, string>))
  }

  function toggleMute(channelId: string): Promise<void> {
    return setNotifyProps(channelId, { mark_unread: muted(channelId) ? 'all' : 'mention' })
  }

  return {
    byId, members, favorites, teamId, activeId, loaded, heldUnread, reachable, visible, sections,
    label, routeName, pathOf, unread, muted, mentions, load, findByRoute, create, join, openDirect,
    refreshMember, markViewed, clearLocally, markUnread, applyUnread, releaseUnread, toggleFavorite, applyPreferences, notePost, upsert, forget,
    patch, archive, restore, leave, reloadMember, setNotifyProps, toggleMute,
    displayNameOf: displayName,
  }
})
