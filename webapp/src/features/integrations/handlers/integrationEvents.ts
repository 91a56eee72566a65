import type { ServerEvent } from '@/realtime/socket'
import { useDialogStore } from '../stores/dialogStore'

export function handleIntegrationEvent(event: ServerEvent): void {
  // An integration answered an action or a command with a form to fill in.
  if (event.type === 'open_dialog') useDialogStore().open(event.data)
}
