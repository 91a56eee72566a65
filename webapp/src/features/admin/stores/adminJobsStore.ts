import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { describeError } from '@/api/client'
import { adminRepository, type Job } from '../repositories/adminRepository'
import { isRunning, mergeJobs } from '../services/jobs'

/** How often running jobs are asked for their progress. */
export const JOB_POLL_MS = 1000

// Bulk import and export jobs: the list, starting them, an import's upload,
// and the progress of running jobs, polled while the jobs page is open and
// any job is still running.
export const useAdminJobsStore = defineStore('adminJobs', () => {
  const jobs = ref<Job[]>([])
  const exports = ref<string[]>([])
  const error = ref('')
  /** The bulk file being uploaded, and the share sent (0–1). */
  const upload = ref<{ filename: string; progress: number } | null>(null)
  const running = computed(() => jobs.value.some(isRunning))
  let watching = false
  let timer: ReturnType<typeof setTimeout> | undefined

  async function loadExports(): Promise<void> {
    exports.value = (await adminRepository.exports()).sort().reverse()
  }

  /** Loads the jobs and exports and follows running jobs until `close`. */
  async function open(): Promise<void> {
    watching = true
    error.value = ''
    try {
      const [list] = await Promise.all([adminRepository.jobs(), loadExports()])
      jobs.value = mergeJobs([], list)
    } catch (e) {
      error.value = describeError(e)
    }
    schedule()
  }

  function close(): void {
    watching = false
    clearTimeout(timer)
    timer = undefined
  }

  function schedule(): void {
    clearTimeout(timer)
    timer = undefined
    if (watching && running.value) timer = setTimeout(() => void poll(), JOB_POLL_MS)
  }

  /** Fetches each running job; an export that ends adds its file to the list. */
  async function poll(): Promise<void> {
    timer = undefined
    const pending = jobs.value.filter(isRunning)
    try {
      const fresh = await Promise.all(pending.map((j) => adminRepository.job(j.id)))
      jobs.value = mergeJobs(jobs.value, fresh)
      if (fresh.some((j) => j.type === 'export_process' && !isRunning(j))) await loadExports()
    } catch (e) {
      // A failed poll is tried again on the next tick.
      error.value = describeError(e)
    }
    schedule()
  }

  function add(job: Job): void {
    jobs.value = mergeJobs(jobs.value, [job])
    schedule()
  }

  async function startExport(): Promise<void> {
    add(await adminRepository.startJob('export_process'))
  }

  /** Uploads a bulk file, then starts its import. */
  async function importFile(file: File): Promise<void> {
    upload.value = { filename: file.name, progress: 0 }
    try {
      const name = await adminRepository.uploadImport(file, file.name, (progress) => {
        if (upload.value) upload.value.progress = progress
      })
      add(await adminRepository.startJob('import_process', { import_file: name }))
    } finally {
      upload.value = null
    }
  }

  async function cancel(id: string): Promise<void> {
    await adminRepository.cancelJob(id)
    add(await adminRepository.job(id))
  }

  return { jobs, exports, error, upload, running, open, close, startExport, importFile, cancel }
})
