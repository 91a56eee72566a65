import type { ServerEvent } from '@/realtime/socket'
import type { Post, ThreadView, User } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useUsersStore } from '@/features/users'
import { useThreadListStore } from '../stores/threadListStore'
import { useThreadsStore } from '../stores/threadsStore'

let readTimer: ReturnType<typeof setTimeout> | undefined

/** Whether the user is looking at this thread in the side panel right now. */
function reading(rootId: string): boolean {
  return useThreadsStore().openRootId === rootId && document.visibilityState === 'visible'
}

export function handleThreadEvent(event: ServerEvent): void {
  const list = useThreadListStore()
  const data = event.data
  const mine = data.user_id === useAuthStore().myId
  // Threads of direct and group messages belong to no team and show in every one.
  const inTeam = data.team_id === list.teamId || data.team_id === ''
  switch (event.type) {
    case 'thread_updated': {
      if (!mine || !inTeam) break
      const view = data.thread as ThreadView
      useUsersStore().put((data.participants as User[] | undefined) ?? [])
      list.applyUpdated(view, {
        replies: Number(data.previous_unread_replies ?? 0),
        mentions: Number(data.previous_unread_mentions ?? 0),
      })
      if (view.unread_replies > 0 && reading(view.root.id)) {
        // A reply in the open thread is read as it arrives, at most once a second.
        clearTimeout(readTimer)
        readTimer = setTimeout(() => void list.markRead(view.root.id).catch(() => undefined), 1000)
      }
      break
    }
    case 'thread_read_changed': {
      if (!mine || !inTeam) break
      const timestamp = Number(data.timestamp ?? Date.now())
      if (!data.thread_id) {
        list.applyAllRead(timestamp)
        break
      }
      const after = { replies: Number(data.unread_replies ?? 0), mentions: Number(data.unread_mentions ?? 0) }
      // A thread outside the loaded pages still moves the totals.
      if (!list.applyRead(String(data.thread_id), after, timestamp)) void list.refreshTotals().catch(() => undefined)
      break
    }
    case 'thread_follow_changed':
      if (mine) list.applyFollow(String(data.thread_id), Boolean(data.following))
      break
    case 'post_edited':
    case 'post_deleted': {
      const post = data.post as Post
      if (!post.root_id) list.applyRoot(post)
      break
    }
    case 'resync':
      void list.refresh()
      break
  }
}
