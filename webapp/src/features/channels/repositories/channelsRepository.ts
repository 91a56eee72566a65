import { api, unwrap } from '@/api/client'
import type { Preference } from '@/api/types'
import type { components } from '@/api/v1'

const ME = { user_id: 'me' }

export const channelsRepository = {
  mine: (teamId: string) =>
    unwrap(api.GET('/api/v1/users/{user_id}/channels', { params: { path: { user_id: 'me' }, query: { team_id: teamId } } })),
  myMembers: (teamId: string) =>
    unwrap(api.GET('/api/v1/users/me/channel_members', { params: { query: { team_id: teamId } } })),
  teamChannels: (teamId: string) =>
    unwrap(api.GET('/api/v1/teams/{team_id}/channels', { params: { path: { team_id: teamId } } })),
  get: (channelId: string) =>
    unwrap(api.GET('/api/v1/channels/{channel_id}', { params: { path: { channel_id: channelId } } })),
  create: (teamId: string, name: string, display_name: string, priv: boolean, purpose = '') =>
    unwrap(
      api.POST('/api/v1/teams/{team_id}/channels', {
        params: { path: { team_id: teamId } },
        body: { name, display_name, type: priv ? 'P' : 'O', purpose, header: '' },
      }),
    ),
  join: (channelId: string, userId: string) =>
    unwrap(
      api.POST('/api/v1/channels/{channel_id}/members', {
        params: { path: { channel_id: channelId } },
        body: { user_id: userId },
      }),
    ),
  patch: (channelId: string, changes: components['schemas']['ChannelPatch']) =>
    unwrap(api.PATCH('/api/v1/channels/{channel_id}', { params: { path: { channel_id: channelId } }, body: changes })),
  archive: (channelId: string) =>
    unwrap(api.DELETE('/api/v1/channels/{channel_id}', { params: { path: { channel_id: channelId } } })),
  restore: (channelId: string) =>
    unwrap(api.POST('/api/v1/channels/{channel_id}/restore', { params: { path: { channel_id: channelId } } })),
  leave: (channelId: string) =>
    unwrap(api.DELETE('/api/v1/channels/{channel_id}/members/{user_id}', { params: { path: { channel_id: channelId, ...ME } } })),
  myMember: (channelId: string) =>
    unwrap(api.GET('/api/v1/channels/{channel_id}/members/{user_id}', { params: { path: { channel_id: channelId, ...ME } } })),
  setNotifyProps: (channelId: string, changes: Record<string, string>) =>
    unwrap(
      api.PATCH('/api/v1/channels/{channel_id}/members/{user_id}/notify_props', {
        params: { path: { channel_id: channelId, ...ME } },
        body: changes,
      }),
    ),
  direct: (userId: string) => unwrap(api.POST('/api/v1/channels/direct', { body: { user_id: userId } })),
  group: (userIds: string[]) => unwrap(api.POST('/api/v1/channels/group', { body: { user_ids: userIds } })),
  view: (channelId: string) =>
    unwrap(api.POST('/api/v1/channels/{channel_id}/read', { params: { path: { channel_id: channelId } } })),
  /** Marks a post's channel unread from that post on; the caller's new read state. */
  markUnread: (postId: string) =>
    unwrap(api.POST('/api/v1/posts/{post_id}/unread', { params: { path: { post_id: postId } } })),
  preferences: () =>
    unwrap(api.GET('/api/v1/users/{user_id}/preferences', { params: { path: { user_id: 'me' } } })),
  savePreferences: (prefs: Preference[]) =>
    unwrap(api.PUT('/api/v1/users/{user_id}/preferences', { params: { path: { user_id: 'me' } }, body: prefs })),
  deletePreferences: (prefs: Preference[]) =>
    unwrap(api.POST('/api/v1/users/{user_id}/preferences/delete', { params: { path: { user_id: 'me' } }, body: prefs })),
}
