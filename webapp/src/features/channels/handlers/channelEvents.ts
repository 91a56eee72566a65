import type { ServerEvent } from '@/realtime/socket'
import type { Channel, ChannelMember, Preference } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useChannelsStore } from '../stores/channelsStore'

export function handleChannelEvent(event: ServerEvent): void {
  const channels = useChannelsStore()
  const me = useAuthStore().myId
  const data = event.data
  switch (event.type) {
    case 'channel_created':
      if ((data.member_ids as string[] | undefined)?.includes(me)) {
        channels.upsert(data.channel as Channel)
        void channels.refreshMember((data.channel as Channel).id)
      }
      break
    case 'channel_updated':
    case 'channel_converted':
    case 'channel_restored':
    case 'channel_deleted':
      channels.upsert(data.channel as Channel)
      break
    case 'channel_member_added':
      if (data.user_id === me) {
        channels.upsert(data.channel as Channel)
        void channels.refreshMember((data.channel as Channel).id)
      }
      break
    case 'channel_member_removed':
      if (data.user_id === me) channels.forget((data.channel as Channel).id)
      break
    case 'channel_member_updated': {
      const member = data.member as ChannelMember
      if (member.user_id === me) channels.members.set(member.channel_id, member)
      break
    }
    case 'channel_viewed':
      // Read in another tab or device (a channel just marked unread here stays so).
      if (data.user_id === me && !channels.heldUnread.has(data.channel_id as string)) channels.clearLocally(data.channel_id as string)
      break
    case 'channels_viewed':
      if (data.user_id === me) {
        Object.keys(data.times as object).filter((id) => !channels.heldUnread.has(id)).forEach((id) => channels.clearLocally(id))
      }
      break
    case 'post_unread':
      // Marked unread here or in another tab of the same user (only they get it).
      if ((data.member as ChannelMember).user_id === me) channels.applyUnread(data.member as ChannelMember)
      break
    case 'preferences_changed':
    case 'preferences_deleted':
      if (data.user_id === me) channels.applyPreferences(data.preferences as Preference[], event.type === 'preferences_deleted')
      break
    case 'resync':
      if (channels.teamId) void channels.load(channels.teamId)
      break
  }
}
