import type { User } from '@/api/types'
import { t } from '@/app/i18n/i18n'
import type { UsersQuery } from '../repositories/adminRepository'
import { isSystemAdmin } from './roles'

export type StatusFilter = 'all' | 'active' | 'deactivated'
export type RoleFilter = 'all' | 'system_admin'

/** What the users list shows: the search box, the two filters and the page. */
export interface UserFilter {
  term: string
  status: StatusFilter
  role: RoleFilter
  page: number
}

export const USERS_PER_PAGE = 50

export function emptyFilter(): UserFilter {
  return { term: '', status: 'all', role: 'all', page: 0 }
}

/** The query of `GET /api/v1/admin/users` for a filter; left-out keys mean "any". */
export function usersQuery(filter: UserFilter, perPage = USERS_PER_PAGE): UsersQuery {
  const query: UsersQuery = { offset: filter.page * perPage, limit: perPage }
  const term = filter.term.trim()
  if (term) query.term = term
  if (filter.status !== 'all') query.active = filter.status === 'active'
  if (filter.role !== 'all') query.role = filter.role
  return query
}

export function isDeactivated(user: Pick<User, 'delete_at'>): boolean {
  return user.delete_at > 0
}

const SERVICES: Record<string, string> = {
  gitlab: 'GitLab',
  google: 'Google',
  office365: 'Entra ID',
  openid: 'OpenID Connect',
  saml: 'SAML',
  ldap: 'AD/LDAP',
}

/** How the account signs in: "Email and password", or the SSO service's name. */
export function authMethod(user: Pick<User, 'auth_service'>): string {
  const service = user.auth_service.trim()
  if (!service) return t('admin.auth.password')
  return SERVICES[service.toLowerCase()] ?? service
}

/** The roles column: the console's words for the system roles. */
export function roleLabel(user: Pick<User, 'roles' | 'is_bot'>): string {
  if (isSystemAdmin(user)) return t('admin.role.systemAdmin')
  return t(user.is_bot ? 'admin.role.bot' : 'admin.role.member')
}
