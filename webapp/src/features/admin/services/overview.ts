import { locale, t, type MessageKey } from '@/app/i18n/i18n'
import type { PartStatus } from '../repositories/adminRepository'

/** The statistics shown, by Mattermost's names, in this order. */
const STATISTICS: [key: string, label: MessageKey][] = [
  ['unique_user_count', 'admin.stat.activeUsers'],
  ['inactive_user_count', 'admin.stat.inactiveUsers'],
  ['daily_active_users', 'admin.stat.dailyActive'],
  ['monthly_active_users', 'admin.stat.monthlyActive'],
  ['team_count', 'admin.stat.teams'],
  ['channel_open_count', 'admin.stat.publicChannels'],
  ['channel_private_count', 'admin.stat.privateChannels'],
  ['post_count', 'admin.stat.posts'],
  ['total_file_count', 'admin.stat.files'],
]

export function statistics(stats: Record<string, number | undefined>): { key: string; label: string; value: string }[] {
  return STATISTICS.filter(([key]) => typeof stats[key] === 'number').map(([key, label]) => ({
    key,
    label: t(label),
    value: (stats[key] as number).toLocaleString(locale()),
  }))
}

export function isHealthy(part: Pick<PartStatus, 'status'>): boolean {
  return part.status === 'ok'
}

/** Products by their names; the others described in the UI's language. */
const KINDS: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', redis: 'Redis' }
const DESCRIBED: Record<string, MessageKey> = { local: 'admin.kind.local', s3: 'admin.kind.s3', 'in-process': 'admin.kind.inProcess' }

export function kindLabel(kind: string): string {
  const described = DESCRIBED[kind]
  return described ? t(described) : (KINDS[kind] ?? kind)
}

/**
 * Runs `task` now and every `ms` while the page is visible; a hidden tab
 * stops asking, and catches up when shown again. Returns the stop function.
 */
export function repeatWhileVisible(task: () => unknown, ms: number, doc: Document = document): () => void {
  let timer: ReturnType<typeof setInterval> | undefined
  const visible = () => doc.visibilityState !== 'hidden'
  const begin = () => {
    clearInterval(timer)
    timer = setInterval(() => {
      if (visible()) void task()
    }, ms)
  }
  const onVisibility = () => {
    if (!visible()) return
    void task()
    begin()
  }
  doc.addEventListener('visibilitychange', onVisibility)
  void task()
  begin()
  return () => {
    clearInterval(timer)
    doc.removeEventListener('visibilitychange', onVisibility)
  }
}
