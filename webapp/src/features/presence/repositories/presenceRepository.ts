import { api, unwrap } from '@/api/client'

export const presenceRepository = {
  statuses: (userIds: string[]) => unwrap(api.POST('/api/v1/users/status/ids', { body: userIds })),
  setStatus: (status: 'online' | 'away' | 'dnd' | 'offline') =>
    unwrap(api.PUT('/api/v1/users/{user_id}/status', { params: { path: { user_id: 'me' } }, body: { status } })),
}
