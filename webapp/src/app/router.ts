import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { currentToken } from '@/api/client'
import { adminRoutes } from '@/features/admin'
import { authRepository, LoginView, ResetPasswordView, SignupView, useAuthStore } from '@/features/auth'
import ChannelView from '@/features/messages/components/ChannelView.vue'
import { CreateTeamView, useTeamsStore } from '@/features/teams'
import AppShell from './AppShell.vue'

const PUBLIC = new Set(['login', 'signup', 'reset'])

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView },
    // Mattermost's invitation links open /signup_user_complete/?id=… (a
    // team's link) or ?d=…&t=… (a mailed invitation).
    { path: '/signup', alias: '/signup_user_complete', name: 'signup', component: SignupView },
    // The e-mailed reset link points at /reset_password_complete?token=…
    { path: '/reset', alias: '/reset_password_complete', name: 'reset', component: ResetPasswordView },
    { path: '/teams/new', name: 'new-team', component: CreateTeamView },
    { path: '/', name: 'home', component: { render: () => null } },
    // Before /:team, so that the console's address is not taken for a team's.
    adminRoutes,
    {
      path: '/:team',
      component: AppShell,
      children: [
        { path: '', name: 'team', component: { render: () => null } },
        { path: 'channels/:channel', name: 'channel', component: ChannelView },
        { path: 'messages/:channel', name: 'direct', component: ChannelView },
        { path: 'threads', name: 'threads', component: () => import('@/features/threads/components/ThreadsView.vue') },
      ],
    },
  ],
})

/** Where "/" or "/team" lead: the last team used, its town square. */
async function landing(to: RouteLocationNormalized): Promise<string> {
  const teams = useTeamsStore()
  if (!teams.loaded) await teams.load()
  if (!teams.teams.length) return '/teams/new'
  const wanted = to.name === 'team' ? String(to.params.team) : localStorage.getItem('rustchat.lastTeam')
  const team = teams.teams.find((t) => t.name === wanted) ?? teams.sorted[0]
  return team ? `/${team.name}/channels/town-square` : '/teams/new'
}

/** Someone signed in who opens a team's invitation link joins that team. */
async function joinByInvite(inviteId: string): Promise<string> {
  try {
    const team = await authRepository.invite(inviteId)
    await authRepository.joinByInvite(inviteId)
    await useTeamsStore().load()
    return `/${team.name}/channels/town-square`
  } catch {
    return '/'
  }
}

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  const teams = useTeamsStore()
  // With a stored session, the teams load alongside the session check: one
  // round trip less before the first channel shows.
  const early = auth.state === 'unknown' && currentToken() && !teams.loaded ? teams.load().catch(() => undefined) : undefined
  await auth.restore()
  await early
  const isPublic = PUBLIC.has(String(to.name))
  if (auth.state !== 'signed-in') {
    return isPublic ? true : { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (to.name === 'signup' && typeof to.query.id === 'string' && to.query.id) return joinByInvite(to.query.id)
  if (to.name === 'login' || to.name === 'signup') return '/'
  if (to.name === 'home' || to.name === 'team') return landing(to)
  return true
})
