import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { User } from '@/api/types'
import { adminRepository } from '../repositories/adminRepository'
import { useAdminUsersStore } from './adminUsersStore'

const user = (id: string, roles = 'system_user', delete_at = 0) => ({ id, username: id, roles, delete_at }) as User

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.restoreAllMocks())

describe('the console’s users', () => {
  it('asks with the filters, back to the first page when one changes', async () => {
    const list = vi.spyOn(adminRepository, 'users').mockResolvedValue([user('a')])
    const store = useAdminUsersStore()
    await store.load()
    expect(list).toHaveBeenLastCalledWith({ offset: 0, limit: 50 })
    await store.setFilter({ page: 2 })
    expect(list).toHaveBeenLastCalledWith({ offset: 100, limit: 50 })
    await store.setFilter({ status: 'deactivated' })
    expect(list).toHaveBeenLastCalledWith({ active: false, offset: 0, limit: 50 })
    await store.setFilter({ role: 'system_admin', term: 'bo' })
    expect(list).toHaveBeenLastCalledWith({ term: 'bo', active: false, role: 'system_admin', offset: 0, limit: 50 })
    expect(store.users).toEqual([user('a')])
  })

  it('keeps the answer of the latest search only', async () => {
    let first: (users: User[]) => void = () => {}
    vi.spyOn(adminRepository, 'users')
      .mockImplementationOnce(() => new Promise((resolve) => (first = resolve)))
      .mockResolvedValueOnce([user('bob')])
    const store = useAdminUsersStore()
    const slow = store.setFilter({ term: 'b' })
    await store.setFilter({ term: 'bob' })
    first([user('ben'), user('bob')])
    await slow
    expect(store.users.map((u) => u.id)).toEqual(['bob'])
    expect(store.loading).toBe(false)
  })

  it('promotes and demotes with the right role strings, and shows the answer', async () => {
    vi.spyOn(adminRepository, 'users').mockResolvedValue([user('a'), user('b', 'system_user system_admin')])
    const setRoles = vi
      .spyOn(adminRepository, 'setRoles')
      .mockResolvedValueOnce(user('a', 'system_user system_admin'))
      .mockResolvedValueOnce(user('b', 'system_user'))
    const store = useAdminUsersStore()
    await store.load()
    await store.setSystemAdmin(store.users[0]!, true)
    expect(setRoles).toHaveBeenLastCalledWith('a', 'system_user system_admin')
    expect(store.users[0]?.roles).toBe('system_user system_admin')
    await store.setSystemAdmin(store.users[1]!, false)
    expect(setRoles).toHaveBeenLastCalledWith('b', 'system_user')
    expect(store.users[1]?.roles).toBe('system_user')
  })

  it('deactivates and activates in place', async () => {
    vi.spyOn(adminRepository, 'users').mockResolvedValue([user('a')])
    const setActive = vi.spyOn(adminRepository, 'setActive').mockResolvedValueOnce(user('a', 'system_user', 99)).mockResolvedValueOnce(user('a'))
    const store = useAdminUsersStore()
    await store.load()
    await store.setActive(store.users[0]!, false)
    expect(setActive).toHaveBeenLastCalledWith('a', false)
    expect(store.users[0]?.delete_at).toBe(99)
    await store.setActive(store.users[0]!, true)
    expect(setActive).toHaveBeenLastCalledWith('a', true)
    expect(store.users[0]?.delete_at).toBe(0)
  })

  it('puts a created account at the top; a refusal leaves the list alone', async () => {
    vi.spyOn(adminRepository, 'users').mockResolvedValue([user('a')])
    const create = vi.spyOn(adminRepository, 'createUser').mockResolvedValueOnce(user('new')).mockRejectedValueOnce(new Error('taken'))
    const store = useAdminUsersStore()
    await store.load()
    const body = { username: 'new', email: 'new@example.com', password: 'long-enough-pw' }
    await store.create(body)
    expect(create).toHaveBeenCalledWith(body)
    expect(store.users.map((u) => u.id)).toEqual(['new', 'a'])
    await expect(store.create(body)).rejects.toThrow('taken')
    expect(store.users.map((u) => u.id)).toEqual(['new', 'a'])
  })

  it('resets a password and signs out through their routes', async () => {
    const password = vi.spyOn(adminRepository, 'setPassword').mockResolvedValue({} as never)
    const revoke = vi.spyOn(adminRepository, 'revokeSessions').mockResolvedValue({} as never)
    const store = useAdminUsersStore()
    await store.resetPassword(user('a'), 'new-password-1')
    await store.revokeSessions(user('a'))
    expect(password).toHaveBeenCalledWith('a', 'new-password-1')
    expect(revoke).toHaveBeenCalledWith('a')
  })
})
