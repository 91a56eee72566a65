import { afterEach, describe, expect, it, vi } from 'vitest'
import { adminRepository } from '../repositories/adminRepository'
import { loadMembers } from './members'
import { collectPages } from './pages'

afterEach(() => vi.restoreAllMocks())

const member = (user_id: string, roles: string, delete_at = 0) => ({ user_id, roles, delete_at, team_id: 't', create_at: 0, update_at: 0 })
const user = (id: string, username: string) => ({ id, username, first_name: '', last_name: '', nickname: '', delete_at: 0 })

describe('listing members', () => {
  it('follows cursors to the end, or stops at the cap and says so', async () => {
    const fetch = vi.fn(async (cursor?: string) => {
      const n = Number(cursor ?? 0)
      return { items: [n * 2, n * 2 + 1], next_cursor: n < 4 ? String(n + 1) : null }
    })
    expect(await collectPages(fetch)).toEqual({ items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], truncated: false })
    expect(fetch).toHaveBeenNthCalledWith(2, '1')
    expect(await collectPages(fetch, 4)).toEqual({ items: [0, 1, 2, 3], truncated: true })
  })

  it('resolves a team’s current members to accounts, admins marked, by username', async () => {
    vi.spyOn(adminRepository, 'teamMembers').mockResolvedValue({
      items: [member('u1', 'team_user'), member('u2', 'team_user team_admin'), member('u3', 'team_user', 5)],
    } as never)
    const byIds = vi.spyOn(adminRepository, 'usersByIds').mockResolvedValue([user('u1', 'zoe'), user('u2', 'adam')] as never)
    const { members, truncated } = await loadMembers('team', 't')
    expect(byIds).toHaveBeenCalledWith(['u1', 'u2'])
    expect(members.map((m) => [m.user.username, m.admin])).toEqual([
      ['adam', true],
      ['zoe', false],
    ])
    expect(truncated).toBe(false)
  })

  it('asks for a channel’s members and marks its admins', async () => {
    const list = vi.spyOn(adminRepository, 'channelMembers').mockResolvedValue({
      items: [{ user_id: 'u1', roles: 'channel_user channel_admin', channel_id: 'c' }],
    } as never)
    vi.spyOn(adminRepository, 'usersByIds').mockResolvedValue([user('u1', 'bob')] as never)
    const { members } = await loadMembers('channel', 'c')
    expect(list).toHaveBeenCalledWith('c', undefined)
    expect(members[0]?.admin).toBe(true)
  })
})
