import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { currentToken, setToken } from '@/api/client'
import type { PublicConfig, User } from '@/api/types'
import { loggedIn, loggedOut } from '@/app/desktop/desktopApi'
import { authRepository, type SignupInvitation } from '../repositories/authRepository'

export type SessionState = 'unknown' | 'signed-in' | 'signed-out'

export const useAuthStore = defineStore('auth', () => {
  const me = ref<User | null>(null)
  const state = ref<SessionState>(currentToken() ? 'unknown' : 'signed-out')
  const config = ref<PublicConfig | null>(null)

  const myId = computed(() => me.value?.id ?? '')

  async function loadConfig(): Promise<PublicConfig> {
    config.value ??= await authRepository.publicConfig()
    return config.value
  }

  /** Settles whether the stored token (if any) is still a valid session. */
  async function restore(): Promise<void> {
    if (state.value !== 'unknown') return
    try {
      me.value = await authRepository.me()
      state.value = 'signed-in'
    } catch {
      setToken(null)
      state.value = 'signed-out'
    }
  }

  async function login(loginId: string, password: string): Promise<void> {
    const answer = await authRepository.login(loginId.trim(), password)
    setToken(answer.token)
    me.value = answer.user
    state.value = 'signed-in'
    loggedIn()
  }

  /** Finishes a sign-in at an identity provider: redeems its one-time code. */
  async function ssoLogin(code: string): Promise<void> {
    const answer = await authRepository.ssoExchange(code)
    setToken(answer.token)
    me.value = answer.user
    state.value = 'signed-in'
    loggedIn()
  }

  async function signup(email: string, username: string, password: string, invitation: SignupInvitation = {}): Promise<void> {
    await authRepository.signup(email.trim(), username.trim(), password, invitation)
    await login(username, password)
  }

  async function logout(): Promise<void> {
    try {
      await authRepository.logout()
    } finally {
      forget()
      loggedOut()
    }
  }

  /** Drops the local session (after logout, or when the server revoked it). */
  function forget(): void {
    setToken(null)
    me.value = null
    state.value = 'signed-out'
  }

  function replaceMe(user: User): void {
    if (user.id === me.value?.id) me.value = user
  }

  return { me, myId, state, config, loadConfig, restore, login, ssoLogin, signup, logout, forget, replaceMe }
})
