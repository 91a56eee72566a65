import { api, unwrap } from '@/api/client'

export const authRepository = {
  login: (login_id: string, password: string) =>
    unwrap(api.POST('/api/v1/auth/login', { body: { login_id, password } })),
  ssoExchange: (code: string) =>
    unwrap(api.POST('/api/v1/auth/sso/exchange', { body: { code } })),
  logout: () => unwrap(api.POST('/api/v1/auth/logout')),
  signup: (email: string, username: string, password: string) =>
    unwrap(api.POST('/api/v1/users', { body: { email, username, password } })),
  me: () => unwrap(api.GET('/api/v1/users/me')),
  publicConfig: () => unwrap(api.GET('/api/v1/system/config')),
  sendPasswordReset: (email: string) =>
    unwrap(api.POST('/api/v1/auth/password/reset/send', { body: { email } })),
  resetPassword: (token: string, new_password: string) =>
    unwrap(api.POST('/api/v1/auth/password/reset', { body: { token, new_password } })),
}
