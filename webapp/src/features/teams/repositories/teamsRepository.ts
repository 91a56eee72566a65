import { api, unwrap } from '@/api/client'

export const teamsRepository = {
  mine: () => unwrap(api.GET('/api/v1/users/{user_id}/teams', { params: { path: { user_id: 'me' } } })),
  listed: () => unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 200 } } })),
  create: (name: string, display_name: string, open: boolean) =>
    unwrap(api.POST('/api/v1/teams', { body: { name, display_name, type: open ? 'O' : 'I' } })),
  member: (teamId: string, userId: string) =>
    unwrap(api.GET('/api/v1/teams/{team_id}/members/{user_id}', { params: { path: { team_id: teamId, user_id: userId } } })),
  regenerateInviteId: (teamId: string) =>
    unwrap(api.POST('/api/v1/teams/{team_id}/invite_id', { params: { path: { team_id: teamId } } })),
  join: (teamId: string, userId: string) =>
    unwrap(api.POST('/api/v1/teams/{team_id}/members', { params: { path: { team_id: teamId } }, body: { user_id: userId } })),
}
