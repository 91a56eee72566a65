import { api, unwrap } from '@/api/client'

export const threadsRepository = {
  /** Followed threads of a team, most recently replied first; `before` (ms of a last reply) and `beforeId` (its root) page older. */
  list: (teamId: string, query: { unreadOnly?: boolean; before?: number; beforeId?: string; limit?: number } = {}) =>
    unwrap(
      api.GET('/api/v1/teams/{team_id}/threads', {
        params: {
          path: { team_id: teamId },
          query: { unread_only: query.unreadOnly || undefined, before: query.before, before_id: query.beforeId, limit: query.limit },
        },
      }),
    ),
  markAllRead: (teamId: string) =>
    unwrap(api.POST('/api/v1/teams/{team_id}/threads/read', { params: { path: { team_id: teamId } } })),
  /** Read up to `timestamp` (ms), now when left out. */
  markRead: (rootId: string, timestamp?: number) =>
    unwrap(
      api.POST('/api/v1/posts/{post_id}/thread/read', {
        params: { path: { post_id: rootId } },
        body: timestamp === undefined ? {} : { timestamp },
      }),
    ),
  setFollowing: (rootId: string, following: boolean) =>
    unwrap(api.PUT('/api/v1/posts/{post_id}/following', { params: { path: { post_id: rootId } }, body: { following } })),
}
