import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { adminRepository, type Job } from '../repositories/adminRepository'
import { JOB_POLL_MS, useAdminJobsStore } from './adminJobsStore'

const job = (id: string, status: string, progress = 0, type = 'export_process', data: Record<string, string> = {}): Job =>
  ({ id, type, status, progress, create_at: id.charCodeAt(0), start_at: 0, last_activity_at: 0, priority: 0, data }) as Job

/** Lets the store's awaited calls settle. */
const settle = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
})
afterEach(() => {
  useAdminJobsStore().close()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('bulk jobs', () => {
  it('polls a running job every second and stops once it has ended; the export then shows', async () => {
    vi.spyOn(adminRepository, 'jobs').mockResolvedValue([job('a', 'in_progress', 10), job('0', 'success', 100)])
    const exports = vi.spyOn(adminRepository, 'exports').mockResolvedValueOnce([]).mockResolvedValue(['a.zip'])
    const get = vi
      .spyOn(adminRepository, 'job')
      .mockResolvedValueOnce(job('a', 'in_progress', 60))
      .mockResolvedValueOnce(job('a', 'success', 100, 'export_process', { export_file: 'a.zip' }))
    const store = useAdminJobsStore()
    await store.open()
    expect(store.running).toBe(true)
    expect(get).not.toHaveBeenCalled()

    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(get).toHaveBeenCalledTimes(1)
    expect(get).toHaveBeenLastCalledWith('a')
    expect(store.jobs[0]?.progress).toBe(60)

    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(get).toHaveBeenCalledTimes(2)
    expect(store.jobs[0]?.status).toBe('success')
    expect(store.running).toBe(false)
    expect(exports).toHaveBeenCalledTimes(2)
    expect(store.exports).toEqual(['a.zip'])
    // Nothing left to follow: no timer stays behind.
    expect(vi.getTimerCount()).toBe(0)

    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 5)
    expect(get).toHaveBeenCalledTimes(2)
  })

  it('does not poll when nothing runs, and stops when the page closes', async () => {
    vi.spyOn(adminRepository, 'jobs').mockResolvedValue([job('a', 'success', 100)])
    vi.spyOn(adminRepository, 'exports').mockResolvedValue([])
    const get = vi.spyOn(adminRepository, 'job').mockResolvedValue(job('b', 'in_progress', 5))
    vi.spyOn(adminRepository, 'startJob').mockResolvedValue(job('b', 'pending'))
    const store = useAdminJobsStore()
    await store.open()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 3)
    expect(get).not.toHaveBeenCalled()

    await store.startExport()
    expect(store.jobs.map((j) => j.id)).toEqual(['b', 'a'])
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(get).toHaveBeenCalledTimes(1)
    store.close()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 3)
    expect(get).toHaveBeenCalledTimes(1)
  })

  it('keeps polling after a failed poll', async () => {
    vi.spyOn(adminRepository, 'jobs').mockResolvedValue([job('a', 'pending')])
    vi.spyOn(adminRepository, 'exports').mockResolvedValue([])
    const get = vi
      .spyOn(adminRepository, 'job')
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(job('a', 'error', 0, 'import_process', { error: 'bad file' }))
    const store = useAdminJobsStore()
    await store.open()
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(store.error).toBe('offline')
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS)
    expect(get).toHaveBeenCalledTimes(2)
    expect(store.jobs[0]?.data.error).toBe('bad file')
    expect(store.running).toBe(false)
  })

  it('uploads a bulk file with its progress, then starts its import by the stored name', async () => {
    vi.spyOn(adminRepository, 'jobs').mockResolvedValue([])
    vi.spyOn(adminRepository, 'exports').mockResolvedValue([])
    let report: (share: number) => void = () => {}
    let finish: (name: string) => void = () => {}
    vi.spyOn(adminRepository, 'uploadImport').mockImplementation((_file, _name, onProgress) => {
      report = onProgress
      return new Promise((resolve) => (finish = resolve))
    })
    const start = vi.spyOn(adminRepository, 'startJob').mockResolvedValue(job('i', 'pending', 0, 'import_process'))
    const store = useAdminJobsStore()
    await store.open()
    const file = new File(['{"type":"version","version":1}\n'], 'bulk.jsonl')
    const done = store.importFile(file)
    expect(store.upload).toEqual({ filename: 'bulk.jsonl', progress: 0 })
    report(0.5)
    expect(store.upload?.progress).toBe(0.5)
    finish('up1_bulk.jsonl')
    await done
    expect(start).toHaveBeenCalledWith('import_process', { import_file: 'up1_bulk.jsonl' })
    expect(store.upload).toBeNull()
    expect(store.jobs[0]?.id).toBe('i')
    expect(store.running).toBe(true)
    await settle()
  })

  it('cancels a job and shows its new status', async () => {
    vi.spyOn(adminRepository, 'jobs').mockResolvedValue([job('a', 'in_progress', 30)])
    vi.spyOn(adminRepository, 'exports').mockResolvedValue([])
    const cancel = vi.spyOn(adminRepository, 'cancelJob').mockResolvedValue({} as never)
    vi.spyOn(adminRepository, 'job').mockResolvedValue(job('a', 'cancel_requested', 30))
    const store = useAdminJobsStore()
    await store.open()
    await store.cancel('a')
    expect(cancel).toHaveBeenCalledWith('a')
    expect(store.jobs[0]?.status).toBe('cancel_requested')
  })
})
