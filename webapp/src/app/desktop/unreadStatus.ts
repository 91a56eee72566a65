// The unread state of everything loaded (the current team's channels and
// the direct messages), shown as Mattermost shows it: in the document title
// ("(3) * town-square · rustchat": 3 mentions, something unread) and, in the
// desktop app, on the dock or taskbar badge.

import { computed, ref, watch } from 'vue'
import { useChannelsStore } from '@/features/channels'
import { PRODUCT_NAME } from '../brand'
import { setUnreadsAndMentions } from './desktopApi'

/** What the title names: the open channel, or the page. */
export const titleSubject = ref('')

export interface UnreadTotals {
  isUnread: boolean
  mentionCount: number
}

export function documentTitle(subject: string, totals: UnreadTotals): string {
  const mentions = totals.mentionCount > 0 ? `(${totals.mentionCount}) ` : ''
  const unread = totals.isUnread ? '* ' : ''
  return `${mentions}${unread}${subject ? `${subject} · ` : ''}${PRODUCT_NAME}`
}

/** Keeps the title and the desktop badge in step with the channels' counts. */
export function watchUnreadStatus(): void {
  const channels = useChannelsStore()
  const totals = computed<UnreadTotals>(() => {
    let isUnread = false
    let mentionCount = 0
    for (const channel of channels.visible) {
      if (channels.unread(channel.id) > 0) isUnread = true
      mentionCount += channels.mentions(channel.id)
    }
    return { isUnread, mentionCount }
  })
  watch(
    totals,
    (now, before) => {
      if (!before || now.isUnread !== before.isUnread || now.mentionCount !== before.mentionCount) {
        setUnreadsAndMentions(now.isUnread, now.mentionCount)
      }
    },
    { immediate: true },
  )
  watch([titleSubject, totals], ([subject, now]) => (document.title = documentTitle(subject, now)), { immediate: true })
}
