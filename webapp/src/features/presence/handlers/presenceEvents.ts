import type { ServerEvent } from '@/realtime/socket'
import type { Post, Status, User } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useUsersStore } from '@/features/users'
import { usePresenceStore } from '../stores/presenceStore'

export function handlePresenceEvent(event: ServerEvent): void {
  const presence = usePresenceStore()
  const data = event.data
  switch (event.type) {
    case 'status_changed':
      presence.setStatuses([data.status as Status])
      break
    case 'typing':
      if (data.user_id !== useAuthStore().myId) {
        // The typer's name is shown, so their profile must be known.
        void useUsersStore().ensure([data.user_id as string])
        presence.startTyping(data.channel_id as string, (data.parent_id as string) ?? '', data.user_id as string)
      }
      break
    case 'post_created': {
      const post = data.post as Post
      presence.stopTyping(post.channel_id, post.root_id, post.user_id)
      break
    }
    case 'user_updated':
    case 'user_created': {
      const user = data.user as User
      useUsersStore().put([user])
      useAuthStore().replaceMe(user)
      break
    }
    case 'resync':
      void presence.load([...useUsersStore().byId.keys()])
      break
  }
}
