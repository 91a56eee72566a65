import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { Status } from '@/api/types'
import { presenceRepository } from '../repositories/presenceRepository'

/** How long a typing notice lasts without a new one. */
export const TYPING_TTL_MS = 6000

function typingKey(channelId: string, parentId: string): string {
  return `${channelId}:${parentId}`
}

export const usePresenceStore = defineStore('presence', () => {
  const statuses = reactive(new Map<string, string>())
  // channel:parent → user id → when the notice expires.
  const typing = reactive(new Map<string, Map<string, number>>())
  const now = ref(Date.now())
  let ticker: ReturnType<typeof setInterval> | undefined

  function statusOf(userId: string): string {
    return statuses.get(userId) ?? 'offline'
  }

  function setStatuses(list: Status[]): void {
    for (const s of list) statuses.set(s.user_id, s.status)
  }

  async function load(userIds: string[]): Promise<void> {
    const unknown = userIds.filter(Boolean)
    for (let i = 0; i < unknown.length; i += 200) setStatuses(await presenceRepository.statuses(unknown.slice(i, i + 200)))
  }

  function startTyping(channelId: string, parentId: string, userId: string): void {
    const key = typingKey(channelId, parentId)
    const users = typing.get(key) ?? new Map<string, number>()
    users.set(userId, Date.now() + TYPING_TTL_MS)
    typing.set(key, users)
    // A clock that ticks only while someone is typing, to expire notices.
    ticker ??= setInterval(tick, 1000)
  }

  function stopTyping(channelId: string, parentId: string, userId: string): void {
    typing.get(typingKey(channelId, parentId))?.delete(userId)
  }

  function tick(): void {
    now.value = Date.now()
    let any = false
    for (const [key, users] of typing) {
      for (const [user, until] of users) if (until <= now.value) users.delete(user)
      if (users.size === 0) typing.delete(key)
      else any = true
    }
    if (!any) {
      clearInterval(ticker)
      ticker = undefined
    }
  }

  function typers(channelId: string, parentId = ''): string[] {
    void now.value
    const users = typing.get(typingKey(channelId, parentId))
    if (!users) return []
    return [...users].filter(([, until]) => until > Date.now()).map(([id]) => id)
  }

  return { statuses, typing, statusOf, setStatuses, load, startTyping, stopTyping, typers }
})
