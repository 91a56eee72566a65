// How channels are named in the sidebar and in URLs.
import type { Channel } from '@/api/types'
import { slugify } from '@/app/slug'

/** The other member of a direct channel, from its name "<id>__<id>". */
export function directPartner(channel: Pick<Channel, 'name' | 'type'>, myId: string): string {
  if (channel.type !== 'D') return ''
  const [a = '', b = ''] = channel.name.split('__')
  return a === myId ? b : a
}

export function isDirectOrGroup(channel: Pick<Channel, 'type'>): boolean {
  return channel.type === 'D' || channel.type === 'G'
}

/** A channel URL name from a display name, unique enough for creation. */
export function channelSlug(displayName: string): string {
  const slug = slugify(displayName)
  return slug.length >= 2 ? slug : `${slug || 'channel'}-${Date.now().toString(36)}`
}

/** Unread: messages posted since the member last read the channel. */
export function unreadCount(channel: Pick<Channel, 'total_msg_count'>, msgCount: number | undefined): number {
  return Math.max(0, channel.total_msg_count - (msgCount ?? channel.total_msg_count))
}
