import { describe, expect, it } from 'vitest'
import { authMethod, emptyFilter, isDeactivated, roleLabel, usersQuery } from './userFilters'

describe('the users list filters', () => {
  it('asks for the first page of everyone by default', () => {
    expect(usersQuery(emptyFilter())).toEqual({ offset: 0, limit: 50 })
  })

  it('turns each filter into its query parameter', () => {
    expect(usersQuery({ term: '  ali ', status: 'active', role: 'system_admin', page: 2 })).toEqual({
      term: 'ali',
      active: true,
      role: 'system_admin',
      offset: 100,
      limit: 50,
    })
    expect(usersQuery({ term: '', status: 'deactivated', role: 'all', page: 0 }, 20)).toEqual({ active: false, offset: 0, limit: 20 })
  })

  it('leaves out a blank search', () => {
    expect(usersQuery({ ...emptyFilter(), term: '   ' })).not.toHaveProperty('term')
  })

  it('tells deactivated accounts by delete_at', () => {
    expect(isDeactivated({ delete_at: 0 })).toBe(false)
    expect(isDeactivated({ delete_at: 1700000000000 })).toBe(true)
  })

  it('names the sign-in method, a password when there is no service', () => {
    expect(authMethod({ auth_service: '' })).toBe('Email and password')
    expect(authMethod({ auth_service: 'gitlab' })).toBe('GitLab')
    expect(authMethod({ auth_service: 'openid' })).toBe('OpenID Connect')
    expect(authMethod({ auth_service: 'keycloak' })).toBe('keycloak')
  })

  it('labels the role column', () => {
    expect(roleLabel({ roles: 'system_user system_admin', is_bot: false })).toBe('System Admin')
    expect(roleLabel({ roles: 'system_user', is_bot: false })).toBe('Member')
    expect(roleLabel({ roles: 'system_user', is_bot: true })).toBe('Bot')
  })
})
