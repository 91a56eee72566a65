import type { PartStatus } from '../repositories/adminRepository'

/** The statistics shown, by Mattermost's names, in this order. */
const STATISTICS: [key: string, label: string][] = [
  ['unique_user_count', 'Active users'],
  ['inactive_user_count', 'Deactivated users'],
  ['daily_active_users', 'Daily active users'],
  ['monthly_active_users', 'Monthly active users'],
  ['team_count', 'Teams'],
  ['channel_open_count', 'Public channels'],
  ['channel_private_count', 'Private channels'],
  ['post_count', 'Posts'],
  ['total_file_count', 'Files'],
]

export function statistics(stats: Record<string, number | undefined>): { key: string; label: string; value: string }[] {
  return STATISTICS.filter(([key]) => typeof stats[key] === 'number').map(([key, label]) => ({
    key,
    label,
    value: (stats[key] as number).toLocaleString('en-US'),
  }))
}

export function isHealthy(part: Pick<PartStatus, 'status'>): boolean {
  return part.status === 'ok'
}

const KINDS: Record<string, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  local: 'Local disk',
  s3: 'Amazon S3 compatible',
  'in-process': 'Single node',
  redis: 'Redis',
}

export function kindLabel(kind: string): string {
  return KINDS[kind] ?? kind
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
