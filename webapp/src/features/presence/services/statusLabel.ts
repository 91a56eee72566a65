// The words for a presence status, shared by the dot and the profile card.
import { t, type MessageKey } from '@/app/i18n/i18n'

const LABELS: Record<string, MessageKey> = {
  online: 'presence.status.online',
  away: 'presence.status.away',
  dnd: 'presence.status.dnd',
  offline: 'presence.status.offline',
}

/** "Online", "Away"… in the UI's language; an unknown status as the server named it. */
export function statusLabel(status: string): string {
  const key = LABELS[status]
  return key ? t(key) : status
}
