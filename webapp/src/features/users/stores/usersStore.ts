import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { User } from '@/api/types'
import { usersRepository } from '../repositories/usersRepository'

/** Everyone the client has seen, loaded in batches on demand. */
export const useUsersStore = defineStore('users', () => {
  const byId = reactive(new Map<string, User>())
  const pending = new Set<string>()
  let flush: Promise<void> | null = null

  function put(users: User[]): void {
    for (const user of users) byId.set(user.id, user)
  }

  /** Loads the users not known yet; concurrent calls share one request. */
  async function ensure(ids: Iterable<string>): Promise<void> {
    for (const id of ids) if (id && !byId.has(id)) pending.add(id)
    if (pending.size === 0) return flush ?? undefined
    flush ??= Promise.resolve().then(async () => {
      const batch = [...pending].slice(0, 200)
      batch.forEach((id) => pending.delete(id))
      try {
        put(await usersRepository.byIds(batch))
      } finally {
        flush = null
      }
      if (pending.size) await ensure([])
    })
    return flush
  }

  function byUsername(username: string): User | undefined {
    for (const user of byId.values()) if (user.username === username) return user
    return undefined
  }

  return { byId, put, ensure, byUsername }
})
