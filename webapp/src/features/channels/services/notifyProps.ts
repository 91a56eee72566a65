// One's notification settings for a channel (the member's `notify_props`), as
// Mattermost names them: `desktop`, `push`, `email` (default|all|mention|none,
// where default follows the account's setting), `mark_unread` (all, or
// mention: muted) and `ignore_channel_mentions` (default|on|off).
import type { ChannelMember } from '@/api/types'
import { locale, t, type MessageKey } from '@/app/i18n/i18n'

export type Level = 'default' | 'all' | 'mention' | 'none'

export interface ChannelNotifyProps {
  desktop: Level
  push: Level
  email: Level
  mark_unread: 'all' | 'mention'
  ignore_channel_mentions: 'default' | 'on' | 'off'
}

const LEVELS: readonly Level[] = ['default', 'all', 'mention', 'none']

function level(value: string | undefined): Level {
  return LEVELS.includes(value as Level) ? (value as Level) : 'default'
}

/** The member's settings with Mattermost's defaults for what is unset. */
export function channelNotifyProps(props: Record<string, string> | undefined): ChannelNotifyProps {
  const p = props ?? {}
  return {
    desktop: level(p.desktop),
    push: level(p.push),
    email: level(p.email),
    mark_unread: p.mark_unread === 'mention' ? 'mention' : 'all',
    ignore_channel_mentions: p.ignore_channel_mentions === 'on' || p.ignore_channel_mentions === 'off' ? p.ignore_channel_mentions : 'default',
  }
}

export function isMuted(member: Pick<ChannelMember, 'notify_props'> | undefined): boolean {
  return member?.notify_props?.mark_unread === 'mention'
}

/** Only the settings that differ from `before`: what the PATCH sends. */
export function notifyPropsChanges(before: ChannelNotifyProps, after: ChannelNotifyProps): Partial<ChannelNotifyProps> {
  const changes: Record<string, string> = {}
  for (const key of Object.keys(after) as (keyof ChannelNotifyProps)[]) {
    if (after[key] !== before[key]) changes[key] = after[key]
  }
  return changes as Partial<ChannelNotifyProps>
}

/** The desktop level that applies in a channel: its own, else the account's. */
export function effectiveDesktop(channelLevel: string | undefined, accountLevel: string | undefined): string {
  const own = level(channelLevel)
  return own === 'default' ? accountLevel || 'mention' : own
}

const LEVEL_NAMES: Record<string, MessageKey> = {
  all: 'channels.level.all',
  mention: 'channels.level.mention',
  none: 'channels.level.none',
  true: 'channels.level.on',
  false: 'channels.level.off',
}

/** The name of a level in the UI's language; `default` names what it falls back to. */
export function levelName(value: string, accountLevel?: string): string {
  const named = LEVEL_NAMES[value]
  if (value !== 'default') return named ? t(named) : value
  const inherited = accountLevel ? LEVEL_NAMES[accountLevel] : undefined
  return inherited ? t('channels.level.defaultWith', { level: t(inherited).toLocaleLowerCase(locale()) }) : t('channels.level.default')
}
