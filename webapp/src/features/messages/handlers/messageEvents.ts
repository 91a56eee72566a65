import type { ServerEvent } from '@/realtime/socket'
import type { FileInfo, Post, Reaction } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { effectiveDesktop, useChannelsStore } from '@/features/channels'
import { useTeamsStore } from '@/features/teams'
import { useUsersStore } from '@/features/users'
import { router } from '@/app/router'
import { inDesktopApp, sendNotification } from '@/app/desktop/desktopApi'
import { t } from '@/app/i18n/i18n'
import { notify, shouldNotify } from '../services/desktopNotify'
import { plainPreview } from '../services/markdown'
import { useMessagesStore } from '../stores/messagesStore'

let viewTimer: ReturnType<typeof setTimeout> | undefined

/** Whether the user is looking at this channel right now. */
function looking(channelId: string): boolean {
  return useChannelsStore().activeId === channelId && document.visibilityState === 'visible'
}

/** Whether new posts of this channel are read as they come: not in one the user just marked unread. */
function reading(channelId: string): boolean {
  return looking(channelId) && !useChannelsStore().heldUnread.has(channelId)
}

export function handleMessageEvent(event: ServerEvent): void {
  const messages = useMessagesStore()
  const data = event.data
  switch (event.type) {
    case 'post_created': {
      const post = data.post as Post
      const fresh = messages.received(post, (data.files as FileInfo[] | undefined) ?? [])
      if (!fresh) break
      const me = useAuthStore().myId
      const channels = useChannelsStore()
      const mine = post.user_id === me
      const direct = channels.byId.get(post.channel_id)?.type === 'D'
      // A direct message counts as a mention, as in Mattermost.
      const mentioned = direct || ((data.mentions as string[] | undefined) ?? []).includes(me)
      const read = reading(post.channel_id)
      channels.notePost(post.channel_id, post.create_at, mine, mentioned, read)
      const followedReply = !!post.root_id && ((data.followers as string[] | undefined) ?? []).includes(me)
      notifyDesktop(post, { mine, mentioned, direct, followedReply }, String(data.sender_name ?? ''))
      if (read && !mine) {
        // Tell the server the channel is read, at most once a second.
        clearTimeout(viewTimer)
        viewTimer = setTimeout(() => void channels.markViewed(post.channel_id), 1000)
      }
      break
    }
    case 'post_edited':
    case 'post_deleted':
      messages.put([data.post as Post])
      break
    case 'ephemeral_message': {
      // Addressed to this user's sockets only; `user_id` is the recipient.
      const post = data.post as Post | undefined
      if (post?.id && post.channel_id) messages.addEphemeral(post)
      break
    }
    case 'reaction_added':
      messages.addReaction(data.reaction as Reaction)
      break
    case 'reaction_removed':
      messages.removeReaction(data.reaction as Reaction)
      break
    case 'resync':
      for (const channelId of messages.history.keys()) {
        // A channel left meanwhile answers 403: forget its history.
        messages.catchUp(channelId).catch(() => messages.history.delete(channelId))
      }
      break
  }
}

function notifyDesktop(
  post: Post,
  { mine, mentioned, direct, followedReply }: { mine: boolean; mentioned: boolean; direct: boolean; followedReply: boolean },
  sender: string,
): void {
  const me = useAuthStore().me
  // In the desktop app, the app asks the system for the right to notify.
  const desktop = inDesktopApp()
  const permission = desktop ? 'granted' : typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
  // As Mattermost: no notification for the channel the user is reading.
  const visible = looking(post.channel_id) && document.hasFocus()
  const channels = useChannelsStore()
  const desktopSetting = effectiveDesktop(channels.members.get(post.channel_id)?.notify_props?.desktop, me?.notify_props?.desktop)
  const muted = channels.muted(post.channel_id)
  if (!shouldNotify({ desktopSetting, muted, mentioned, direct, followedReply, mine, visible, permission })) return
  const channel = channels.byId.get(post.channel_id)
  if (!channel) return
  const from = sender || useUsersStore().byId.get(post.user_id)?.username || t('messages.notify.someone')
  const title = direct ? from : channels.label(channel)
  const preview = plainPreview(post.message, 120)
  const body = direct ? preview : t('messages.notify.body', { from, message: preview })
  const teams = useTeamsStore()
  const path = channels.pathOf(channel, teams.currentName)
  const teamId = channel.team_id || teams.current?.id || ''
  if (sendNotification({ title, body, channelId: channel.id, teamId, url: path, silent: false, soundName: 'Bing' })) return
  notify(title, body, () => {
    void router.push(path)
  })
}
