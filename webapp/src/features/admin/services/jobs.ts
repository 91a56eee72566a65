import type { Job } from '../repositories/adminRepository'

/** A job that is still to move: polled until it ends. */
const RUNNING = new Set(['pending', 'in_progress', 'cancel_requested'])

export function isRunning(job: Pick<Job, 'status'>): boolean {
  return RUNNING.has(job.status)
}

/** Only a job not yet ended and not already asked to stop can be canceled. */
export function canCancel(job: Pick<Job, 'status'>): boolean {
  return job.status === 'pending' || job.status === 'in_progress'
}

const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  success: 'Success',
  warning: 'Done with warnings',
  error: 'Failed',
  cancel_requested: 'Canceling',
  canceled: 'Canceled',
}

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status
}

export function jobTypeLabel(type: string): string {
  if (type === 'export_process') return 'Export'
  if (type === 'import_process') return 'Import'
  return type
}

/** Results and inputs worth showing, with readable names, in this order. */
const RESULT_LABELS: [key: string, label: string][] = [
  ['import_file', 'File'],
  ['export_file', 'Export'],
  ['posts_read', 'Posts read'],
  ['new_posts', 'New posts'],
  ['new_users', 'New users'],
  ['line_errors', 'Lines skipped'],
  ['error', 'Error'],
]

/** The job's data for people: the known keys, labelled; the server's bookkeeping left out. */
export function jobResults(job: Pick<Job, 'data'>): { key: string; label: string; value: string }[] {
  return RESULT_LABELS.filter(([key]) => job.data[key] !== undefined && job.data[key] !== '').map(([key, label]) => ({
    key,
    label,
    value: String(job.data[key]),
  }))
}

/** Puts fresh copies of jobs into a newest-first list, adding the new ones at the top. */
export function mergeJobs(list: Job[], fresh: Job[]): Job[] {
  const byId = new Map(fresh.map((j) => [j.id, j]))
  const merged = list.map((j) => byId.get(j.id) ?? j)
  const known = new Set(list.map((j) => j.id))
  const added = fresh.filter((j) => !known.has(j.id))
  return [...added, ...merged].sort((a, b) => b.create_at - a.create_at)
}
