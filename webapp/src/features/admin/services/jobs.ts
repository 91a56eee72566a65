import { t, type MessageKey } from '@/app/i18n/i18n'
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

const STATUS_LABELS: Record<string, MessageKey> = {
  pending: 'admin.job.pending',
  in_progress: 'admin.job.inProgress',
  success: 'admin.job.success',
  warning: 'admin.job.warning',
  error: 'admin.job.error',
  cancel_requested: 'admin.job.cancelRequested',
  canceled: 'admin.job.canceled',
}

export function statusLabel(status: string): string {
  const label = STATUS_LABELS[status]
  return label ? t(label) : status
}

export function jobTypeLabel(type: string): string {
  if (type === 'export_process') return t('admin.job.export')
  if (type === 'import_process') return t('admin.job.import')
  return type
}

/** The name of a job's progress bar. */
export function progressLabel(type: string): string {
  if (type === 'export_process') return t('admin.job.exportProgress')
  if (type === 'import_process') return t('admin.job.importProgress')
  return t('admin.job.otherProgress', { type })
}

/** Results and inputs worth showing, with readable names, in this order. */
const RESULT_LABELS: [key: string, label: MessageKey][] = [
  ['import_file', 'admin.job.result.file'],
  ['export_file', 'admin.job.result.export'],
  ['posts_read', 'admin.job.result.postsRead'],
  ['new_posts', 'admin.job.result.newPosts'],
  ['new_users', 'admin.job.result.newUsers'],
  ['line_errors', 'admin.job.result.lineErrors'],
  ['error', 'admin.job.result.error'],
]

/** The job's data for people: the known keys, labelled; the server's bookkeeping left out. */
export function jobResults(job: Pick<Job, 'data'>): { key: string; label: string; value: string }[] {
  return RESULT_LABELS.filter(([key]) => job.data[key] !== undefined && job.data[key] !== '').map(([key, label]) => ({
    key,
    label: t(label),
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
