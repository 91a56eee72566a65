import { describe, expect, it } from 'vitest'
import { isSystemAdmin, roleList, rolesWithAdmin } from './roles'

describe('system roles', () => {
  it('reads the space-separated list, whatever the spacing', () => {
    expect(roleList('  system_user   system_admin ')).toEqual(['system_user', 'system_admin'])
    expect(roleList('')).toEqual([])
    expect(roleList(undefined)).toEqual([])
  })

  it('knows a system admin by the whole role name only', () => {
    expect(isSystemAdmin({ roles: 'system_user system_admin' })).toBe(true)
    expect(isSystemAdmin({ roles: 'system_user' })).toBe(false)
    expect(isSystemAdmin({ roles: 'system_user system_admin_viewer' })).toBe(false)
    expect(isSystemAdmin(null)).toBe(false)
  })

  it('promotes and demotes with system_user first, other roles kept', () => {
    expect(rolesWithAdmin('system_user', true)).toBe('system_user system_admin')
    expect(rolesWithAdmin('system_user system_admin', false)).toBe('system_user')
    expect(rolesWithAdmin('system_admin system_user', true)).toBe('system_user system_admin')
    expect(rolesWithAdmin('', false)).toBe('system_user')
    expect(rolesWithAdmin('system_user system_admin system_admin', true)).toBe('system_user system_admin')
    expect(rolesWithAdmin('system_user custom_role', true)).toBe('system_user system_admin custom_role')
  })
})
