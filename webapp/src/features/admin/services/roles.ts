// System roles as the server spells them: a space-separated list on the user.

export const SYSTEM_USER = 'system_user'
export const SYSTEM_ADMIN = 'system_admin'

export function roleList(roles: string | undefined): string[] {
  return (roles ?? '').split(/\s+/).filter(Boolean)
}

/** Whether the account may open the system console. */
export function isSystemAdmin(user: { roles?: string } | null | undefined): boolean {
  return roleList(user?.roles).includes(SYSTEM_ADMIN)
}

/**
 * The roles to send to promote (`admin` true) or demote: `system_user` always
 * first, `system_admin` added or removed, any other role kept in its place.
 */
export function rolesWithAdmin(roles: string, admin: boolean): string {
  const others = roleList(roles).filter((r) => r !== SYSTEM_USER && r !== SYSTEM_ADMIN)
  return [SYSTEM_USER, ...(admin ? [SYSTEM_ADMIN] : []), ...others].join(' ')
}
