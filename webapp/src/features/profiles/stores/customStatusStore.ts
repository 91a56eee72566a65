import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { User } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { channelsRepository } from '@/features/channels'
import {
  automaticTimezoneUpdate,
  parseRecentStatuses,
  statusRequest,
  useUsersStore,
  usersRepository,
  type CustomStatus,
} from '@/features/users'

const RECENT = { category: 'custom_status', name: 'recent_custom_statuses' }

/** One's own custom status and recent ones; one's time zone kept current. */
export const useCustomStatusStore = defineStore('customStatus', () => {
  const recent = ref<CustomStatus[]>([])
  const auth = useAuthStore()
  const users = useUsersStore()

  /** Shows a change to one's own profile at once (its user_updated event follows). */
  function replaceMe(user: User): void {
    auth.replaceMe(user)
    users.put([user])
  }

  function withStatus(raw: string): void {
    const me = auth.me
    if (me) replaceMe({ ...me, props: { ...me.props, customStatus: raw } })
  }

  /** The recent statuses (the server keeps them when one is set). */
  async function loadRecent(): Promise<void> {
    const prefs = await channelsRepository.preferences()
    const saved = prefs.find((p) => p.category === RECENT.category && p.name === RECENT.name)
    recent.value = parseRecentStatuses(saved?.value)
  }

  async function set(body: ReturnType<typeof statusRequest>): Promise<void> {
    const saved = await usersRepository.setCustomStatus(body)
    withStatus(JSON.stringify(saved))
  }

  async function clear(): Promise<void> {
    await usersRepository.clearCustomStatus()
    withStatus('')
  }

  /** Saves the browser's time zone for a user who follows it, as Mattermost does at start. */
  async function syncTimezone(browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone): Promise<void> {
    const me = auth.me
    const timezone = me && automaticTimezoneUpdate(me, browserZone)
    if (me && timezone) replaceMe(await usersRepository.patch(me.id, { timezone }))
  }

  return { recent, loadRecent, set, clear, syncTimezone }
})
