import type { User } from '@/api/types'
import { adminRepository } from '../repositories/adminRepository'
import { collectPages } from './pages'
import { roleList } from './roles'

export interface Member {
  user: User
  admin: boolean
}

/** Most accounts `POST /users/ids` answers at once. */
const IDS_PER_CALL = 200

/**
 * The members of a team or channel with their accounts, by username; those
 * who left a team are left out. `truncated` when there were too many to list.
 */
export async function loadMembers(kind: 'team' | 'channel', id: string): Promise<{ members: Member[]; truncated: boolean }> {
  const { items, truncated } =
    kind === 'team'
      ? await collectPages((cursor) => adminRepository.teamMembers(id, cursor))
      : await collectPages((cursor) => adminRepository.channelMembers(id, cursor))
  const current = items.filter((m) => !('delete_at' in m) || !m.delete_at)
  const roles = new Map(current.map((m) => [m.user_id, roleList(m.roles)]))
  const ids = [...roles.keys()]
  const users: User[] = []
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) users.push(...(await adminRepository.usersByIds(ids.slice(i, i + IDS_PER_CALL))))
  const members = users
    .map((user) => ({ user, admin: (roles.get(user.id) ?? []).some((r) => r === 'team_admin' || r === 'channel_admin') }))
    .sort((a, b) => a.user.username.localeCompare(b.user.username))
  return { members, truncated }
}
