import { describe, expect, it } from 'vitest'
import { readInvitationLink } from './invitationLink'

describe('readInvitationLink', () => {
  it('reads a team link', () => {
    expect(readInvitationLink({ id: 'abc123' })).toEqual({ kind: 'team', inviteId: 'abc123' })
  })

  it('reads a mailed invitation, token first', () => {
    const d = JSON.stringify({ display_name: 'Ops & Co', email: 'a+b@x.io', name: 'ops' })
    expect(readInvitationLink({ d, t: 'TOKEN', id: 'ignored' })).toEqual({
      kind: 'email',
      token: 'TOKEN',
      email: 'a+b@x.io',
      teamName: 'ops',
      teamDisplayName: 'Ops & Co',
    })
  })

  it('keeps the token when the data is unreadable', () => {
    expect(readInvitationLink({ d: '{not json', t: 'T' })).toEqual({
      kind: 'email',
      token: 'T',
      email: '',
      teamName: '',
      teamDisplayName: '',
    })
  })

  it('is null for a plain sign-up page', () => {
    expect(readInvitationLink({})).toBeNull()
    expect(readInvitationLink({ id: '  ' })).toBeNull()
  })
})
