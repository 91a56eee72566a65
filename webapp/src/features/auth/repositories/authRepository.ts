import { api, unwrap } from '@/api/client'

/** What lets a visitor sign up on an invitation-only server. */
export interface SignupInvitation {
  /** A team's invitation link (`?id=`). */
  invite_id?: string
  /** A mailed invitation's token (`?t=`). */
  invite_token?: string
}

export const authRepository = {
  login: (login_id: string, password: string) =>
    unwrap(api.POST('/api/v1/auth/login', { body: { login_id, password } })),
  ssoExchange: (code: string) =>
    unwrap(api.POST('/api/v1/auth/sso/exchange', { body: { code } })),
  logout: () => unwrap(api.POST('/api/v1/auth/logout')),
  signup: (email: string, username: string, password: string, invitation: SignupInvitation = {}) =>
    unwrap(api.POST('/api/v1/users', { body: { email, username, password, ...invitation } })),
  /** The team an invitation link is for (no session needed). */
  invite: (inviteId: string) =>
    unwrap(api.GET('/api/v1/invites/{invite_id}', { params: { path: { invite_id: inviteId } } })),
  joinByInvite: (inviteId: string) =>
    unwrap(api.POST('/api/v1/invites/{invite_id}/join', { params: { path: { invite_id: inviteId } } })),
  me: () => unwrap(api.GET('/api/v1/users/me')),
  publicConfig: () => unwrap(api.GET('/api/v1/system/config')),
  sendPasswordReset: (email: string) =>
    unwrap(api.POST('/api/v1/auth/password/reset/send', { body: { email } })),
  resetPassword: (token: string, new_password: string) =>
    unwrap(api.POST('/api/v1/auth/password/reset', { body: { token, new_password } })),
}
