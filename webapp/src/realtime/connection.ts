// The app's one realtime connection and the routing of its events to the
// features' handlers.
import { currentToken } from '@/api/client'
import { handleChannelEvent } from '@/features/channels'
import { handleEmojiEvent } from '@/features/emoji'
import { handleIntegrationEvent } from '@/features/integrations'
import { handleMessageEvent } from '@/features/messages/handlers/messageEvents'
import { handlePresenceEvent } from '@/features/presence'
import { handleTeamEvent } from '@/features/teams'
import { handleThreadEvent } from '@/features/threads'
import { RealtimeSocket, socketUrl, type ServerEvent } from './socket'

export const realtime = new RealtimeSocket(socketUrl(window.location), currentToken)

const handlers: ((event: ServerEvent) => void)[] = [
  handleTeamEvent,
  handleChannelEvent,
  handleMessageEvent,
  handlePresenceEvent,
  handleIntegrationEvent,
  handleThreadEvent,
  handleEmojiEvent,
]

let wired = false

export function startRealtime(): void {
  if (!wired) {
    wired = true
    realtime.onEvent((event) => handlers.forEach((handle) => handle(event)))
  }
  realtime.start()
}

export function stopRealtime(): void {
  realtime.stop()
}
