// A user's time zone as Mattermost stores it (`useAutomaticTimezone`,
// `automaticTimezone`, `manualTimezone`), and their local time.
import type { User } from '@/api/types'
import { locale as uiLocale } from '@/app/i18n/i18n'

type Zone = Record<string, string> | undefined

/** The IANA zone the user is in, or '' when none is known. */
export function timezoneOf(user: { timezone?: Zone } | null | undefined): string {
  const tz = user?.timezone
  if (!tz) return ''
  const automatic = tz.useAutomaticTimezone !== 'false'
  return (automatic ? tz.automaticTimezone || tz.manualTimezone : tz.manualTimezone || tz.automaticTimezone) || ''
}

/** "3:45 PM" in `zone` (formatted for the UI's language unless told), or '' for an unknown zone. */
export function localTime(zone: string, now: number, locale: string = uiLocale()): string {
  if (!zone) return ''
  try {
    return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(now)
  } catch {
    return ''
  }
}

/**
 * The timezone to save when the user follows the browser's zone and it moved
 * (as Mattermost's web app does at start), else null.
 */
export function automaticTimezoneUpdate(user: Pick<User, 'timezone'>, browserZone: string): Record<string, string> | null {
  const tz = user.timezone ?? {}
  if (!browserZone || tz.useAutomaticTimezone === 'false' || tz.automaticTimezone === browserZone) return null
  return { useAutomaticTimezone: 'true', automaticTimezone: browserZone, manualTimezone: tz.manualTimezone ?? '' }
}
