// Custom statuses as Mattermost keeps them: a JSON string in the user's
// `props.customStatus` (empty for none), with a duration name and an RFC 3339
// `expires_at`. The server drops an expired status when it is read; the
// client hides one that runs out while on screen.
import type { User } from '@/api/types'
import { locale as uiLocale, t, type MessageKey } from '@/app/i18n/i18n'

export type StatusDuration = '' | 'thirty_minutes' | 'one_hour' | 'four_hours' | 'today' | 'this_week' | 'date_and_time'

export interface CustomStatus {
  emoji: string
  text: string
  duration: string
  expires_at?: string
}

/** Most characters of a status text (the server cuts longer ones). */
export const STATUS_TEXT_MAX = 100
/** Shown for a status that has a text but no emoji, as Mattermost does. */
export const DEFAULT_STATUS_EMOJI = 'speech_balloon'
/** Go's zero time: what Mattermost stores for "no expiry". */
const ZERO_TIME = '0001-01-01T00:00:00Z'

/** The "Clear after" choices; `label` is a message key (see durationLabel). */
export const DURATIONS: readonly { value: StatusDuration; label: MessageKey }[] = [
  { value: '', label: 'users.duration.dontClear' },
  { value: 'thirty_minutes', label: 'users.duration.thirtyMinutes' },
  { value: 'one_hour', label: 'users.duration.oneHour' },
  { value: 'four_hours', label: 'users.duration.fourHours' },
  { value: 'today', label: 'users.duration.today' },
  { value: 'this_week', label: 'users.duration.thisWeek' },
  { value: 'date_and_time', label: 'users.duration.dateAndTime' },
]

/** A duration's name in the UI's language ("Don't clear" for an unknown one). */
export function durationLabel(duration: string): string {
  return t(DURATIONS.find((d) => d.value === duration)?.label ?? 'users.duration.dontClear')
}

/** Mattermost's suggestions; their text is a message key (see suggestedStatuses). */
const SUGGESTED: readonly (Omit<CustomStatus, 'text'> & { text: MessageKey })[] = [
  { emoji: 'calendar', text: 'users.suggested.meeting', duration: 'one_hour' },
  { emoji: 'sandwich', text: 'users.suggested.lunch', duration: 'thirty_minutes' },
  { emoji: 'face_with_thermometer', text: 'users.suggested.sick', duration: 'today' },
  { emoji: 'house', text: 'users.suggested.home', duration: 'today' },
  { emoji: 'palm_tree', text: 'users.suggested.vacation', duration: 'this_week' },
]

/** The suggested statuses in the UI's language (a status set from one keeps its words). */
export function suggestedStatuses(): CustomStatus[] {
  return SUGGESTED.map((s) => ({ ...s, text: t(s.text) }))
}

function asStatus(value: unknown): CustomStatus | null {
  if (!value || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  const emoji = typeof v.emoji === 'string' ? v.emoji : ''
  const text = typeof v.text === 'string' ? v.text : ''
  if (!emoji && !text) return null
  return {
    emoji,
    text,
    duration: typeof v.duration === 'string' ? v.duration : '',
    expires_at: typeof v.expires_at === 'string' ? v.expires_at : undefined,
  }
}

/** A status from its JSON string; null for none or something unreadable. */
export function parseCustomStatus(raw: string | undefined | null): CustomStatus | null {
  if (!raw) return null
  try {
    return asStatus(JSON.parse(raw))
  } catch {
    return null
  }
}

/** The recent statuses preference (a JSON array string), newest first. */
export function parseRecentStatuses(raw: string | undefined | null): CustomStatus[] {
  if (!raw) return []
  try {
    const list: unknown = JSON.parse(raw)
    return Array.isArray(list) ? list.map(asStatus).filter((s): s is CustomStatus => s !== null) : []
  } catch {
    return []
  }
}

/** When the status ends (ms), or null when it lasts until cleared. */
export function expiryOf(status: CustomStatus): number | null {
  if (!status.duration || !status.expires_at || status.expires_at === ZERO_TIME) return null
  const at = Date.parse(status.expires_at)
  return Number.isNaN(at) ? null : at
}

export function isExpired(status: CustomStatus, now: number): boolean {
  const at = expiryOf(status)
  return at !== null && at <= now
}

/** The status to show for a user at `now`: none when unset or run out. */
export function activeCustomStatus(user: Pick<User, 'props'> | null | undefined, now: number): CustomStatus | null {
  const status = parseCustomStatus(user?.props?.customStatus)
  return status && !isExpired(status, now) ? status : null
}

/**
 * The `expires_at` of a duration chosen at `now`, in the user's local time as
 * Mattermost computes it: whole minutes from now, the end of the day, the
 * end of the week (Saturday), or the chosen moment. Undefined: no expiry.
 */
export function expiresAtFor(duration: string, now: Date, chosen?: Date): string | undefined {
  const at = new Date(now.getTime())
  const inMinutes = (minutes: number) => {
    at.setMinutes(at.getMinutes() + minutes, 0, 0)
    return at.toISOString()
  }
  switch (duration) {
    case 'thirty_minutes':
      return inMinutes(30)
    case 'one_hour':
      return inMinutes(60)
    case 'four_hours':
      return inMinutes(240)
    case 'today':
      at.setHours(23, 59, 59, 999)
      return at.toISOString()
    case 'this_week':
      at.setDate(at.getDate() + (6 - at.getDay()))
      at.setHours(23, 59, 59, 999)
      return at.toISOString()
    case 'date_and_time':
      return chosen && !Number.isNaN(chosen.getTime()) ? chosen.toISOString() : undefined
    default:
      return undefined
  }
}

/** The body of `PUT …/custom_status`: no expiry fields when it lasts until cleared. */
export function statusRequest(
  status: Pick<CustomStatus, 'emoji' | 'text'>,
  duration: string,
  now: Date,
  chosen?: Date,
): { emoji: string; text: string; duration?: string; expires_at?: string } {
  const body = { emoji: status.emoji, text: status.text.trim().slice(0, STATUS_TEXT_MAX) }
  const expires_at = expiresAtFor(duration, now, chosen)
  return expires_at ? { ...body, duration, expires_at } : body
}

/** The default moment offered for "Choose date and time": the next half hour. */
export function nextHalfHour(now: Date): Date {
  const at = new Date(now.getTime())
  at.setMinutes(at.getMinutes() < 30 ? 30 : 60, 0, 0)
  return at
}

/** `YYYY-MM-DDTHH:mm` in local time, the value of a datetime-local input. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

function startOfDay(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/**
 * "Until 5:30 PM", "Until tomorrow 9:00 AM", "Until Friday 11:59 PM", "Until
 * Jun 3 …": in the UI's language, dates and times formatted for `locale`
 * (the UI's by default).
 */
export function expiryLabel(expires: number, now: number, locale: string = uiLocale()): string {
  const at = new Date(expires)
  const time = at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' })
  const days = Math.round((startOfDay(expires) - startOfDay(now)) / 86_400_000)
  if (days <= 0) return t('users.until.time', { time })
  if (days === 1) return t('users.until.tomorrow', { time })
  if (days < 7) return t('users.until.weekday', { day: at.toLocaleDateString(locale, { weekday: 'long' }), time })
  const sameYear = at.getFullYear() === new Date(now).getFullYear()
  const date = at.toLocaleDateString(locale, { month: 'short', day: 'numeric', year: sameYear ? undefined : 'numeric' })
  return t('users.until.date', { date, time })
}
