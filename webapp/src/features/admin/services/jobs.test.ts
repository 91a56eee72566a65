import { describe, expect, it } from 'vitest'
import type { Job } from '../repositories/adminRepository'
import { canCancel, isRunning, jobResults, mergeJobs, statusLabel } from './jobs'

const job = (id: string, create_at: number, status = 'pending', data: Record<string, string> = {}): Job =>
  ({ id, type: 'export_process', status, progress: 0, create_at, start_at: 0, last_activity_at: 0, priority: 0, data }) as Job

describe('jobs', () => {
  it('counts pending, running and canceling jobs as still moving', () => {
    expect(['pending', 'in_progress', 'cancel_requested'].map((status) => isRunning({ status }))).toEqual([true, true, true])
    expect(['success', 'warning', 'error', 'canceled'].map((status) => isRunning({ status }))).toEqual([false, false, false, false])
  })

  it('offers to cancel only what has not been asked to stop', () => {
    expect(canCancel({ status: 'in_progress' })).toBe(true)
    expect(canCancel({ status: 'cancel_requested' })).toBe(false)
    expect(canCancel({ status: 'success' })).toBe(false)
  })

  it('labels statuses, keeping unknown ones as they are', () => {
    expect(statusLabel('in_progress')).toBe('In progress')
    expect(statusLabel('error')).toBe('Failed')
    expect(statusLabel('paused')).toBe('paused')
  })

  it('shows the results people care about, in order, not the bookkeeping', () => {
    const done = job('a', 1, 'warning', {
      node: 'n1',
      attempts: '1',
      error: 'line 3: unknown team',
      new_posts: '12',
      import_file: 'x_bulk.jsonl',
      line_errors: '1',
      new_users: '',
    })
    expect(jobResults(done).map((r) => [r.label, r.value])).toEqual([
      ['File', 'x_bulk.jsonl'],
      ['New posts', '12'],
      ['Lines skipped', '1'],
      ['Error', 'line 3: unknown team'],
    ])
  })

  it('merges fresh copies in place and new jobs at the top, newest first', () => {
    const list = [job('b', 20), job('a', 10)]
    const merged = mergeJobs(list, [job('a', 10, 'success'), job('c', 30)])
    expect(merged.map((j) => [j.id, j.status])).toEqual([
      ['c', 'pending'],
      ['b', 'pending'],
      ['a', 'success'],
    ])
    expect(list[1]?.status).toBe('pending')
  })
})
