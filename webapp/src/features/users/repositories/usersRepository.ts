import { api, unwrap } from '@/api/client'
import type { User } from '@/api/types'
import { t } from '@/app/i18n/i18n'
import type { components } from '@/api/v1'

type CustomStatusBody = components['schemas']['CustomStatus']

export const usersRepository = {
  byIds: (ids: string[]) => unwrap(api.POST('/api/v1/users/ids', { body: ids })),
  search: (term: string, teamId?: string) =>
    unwrap(api.GET('/api/v1/users/search', { params: { query: { term, team_id: teamId } } })),
  byUsername: (username: string) =>
    unwrap(api.GET('/api/v1/users/username/{username}', { params: { path: { username } } })),
  patch: (userId: string, patch: Partial<Pick<User, 'first_name' | 'last_name' | 'nickname' | 'notify_props' | 'timezone' | 'locale'>>) =>
    unwrap(api.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id: userId } }, body: patch })),
  setImage: (userId: string, image: Blob) =>
    unwrap(
      api.PUT('/api/v1/users/{user_id}/image', {
        params: { path: { user_id: userId } },
        body: image as unknown as number[],
        bodySerializer: (body: unknown) => body as Blob,
        headers: { 'Content-Type': image.type || 'application/octet-stream' },
      }),
    ),
  resetImage: (userId: string) =>
    unwrap(api.DELETE('/api/v1/users/{user_id}/image', { params: { path: { user_id: userId } } })),
  setCustomStatus: (status: CustomStatusBody) =>
    unwrap(api.PUT('/api/v1/users/{user_id}/custom_status', { params: { path: { user_id: 'me' } }, body: status })),
  clearCustomStatus: () =>
    unwrap(api.DELETE('/api/v1/users/{user_id}/custom_status', { params: { path: { user_id: 'me' } } })),
}

/** Picture URL; the session cookie authorises the image request. */
export function avatarUrl(user: Pick<User, 'id' | 'last_picture_update'>): string {
  return `/api/v1/users/${user.id}/image?v=${user.last_picture_update}`
}

export function displayName(user: Pick<User, 'username' | 'first_name' | 'last_name' | 'nickname'> | undefined): string {
  if (!user) return t('users.someone')
  const full = `${user.first_name} ${user.last_name}`.trim()
  return full || user.nickname || user.username
}
