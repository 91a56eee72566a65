import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { describeError } from '@/api/client'
import type { User } from '@/api/types'
import { adminRepository, type NewUser } from '../repositories/adminRepository'
import { rolesWithAdmin } from '../services/roles'
import { emptyFilter, USERS_PER_PAGE, usersQuery, type UserFilter } from '../services/userFilters'

// The console's list of accounts, its filters, and what an admin does to an
// account. Each action puts the server's answer into the list.
export const useAdminUsersStore = defineStore('adminUsers', () => {
  const filter = ref<UserFilter>(emptyFilter())
  const users = ref<User[]>([])
  const loading = ref(false)
  const error = ref('')
  // Only the latest search fills the list, whatever order answers come in.
  let serial = 0

  /** A full page suggests there is another one. */
  const hasNext = computed(() => users.value.length === USERS_PER_PAGE)

  async function load(): Promise<void> {
    const mine = ++serial
    loading.value = true
    error.value = ''
    try {
      const found = await adminRepository.users(usersQuery(filter.value))
      if (mine === serial) users.value = found
    } catch (e) {
      if (mine === serial) error.value = describeError(e)
    } finally {
      if (mine === serial) loading.value = false
    }
  }

  /** Changes the filters; any change but the page's goes back to the first page. */
  function setFilter(changes: Partial<UserFilter>): Promise<void> {
    filter.value = { ...filter.value, page: 0, ...changes }
    return load()
  }

  function replace(user: User): void {
    const at = users.value.findIndex((u) => u.id === user.id)
    if (at >= 0) users.value.splice(at, 1, user)
  }

  async function setActive(user: User, active: boolean): Promise<void> {
    replace(await adminRepository.setActive(user.id, active))
  }

  async function setSystemAdmin(user: User, admin: boolean): Promise<void> {
    replace(await adminRepository.setRoles(user.id, rolesWithAdmin(user.roles, admin)))
  }

  async function resetPassword(user: User, password: string): Promise<void> {
    await adminRepository.setPassword(user.id, password)
  }

  async function revokeSessions(user: User): Promise<void> {
    await adminRepository.revokeSessions(user.id)
  }

  /** Makes an account; it shows at the top of the list until the next search. */
  async function create(body: NewUser): Promise<User> {
    const user = await adminRepository.createUser(body)
    users.value = [user, ...users.value.filter((u) => u.id !== user.id)]
    return user
  }

  return { filter, users, loading, error, hasNext, load, setFilter, setActive, setSystemAdmin, resetPassword, revokeSessions, create }
})
