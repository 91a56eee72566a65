import { api, unwrap } from '@/api/client'

export const postsRepository = {
  /** Newest first; `cursor` is the oldest post id already shown. */
  page: (channelId: string, cursor?: string, limit = 60) =>
    unwrap(
      api.GET('/api/v1/channels/{channel_id}/posts', {
        params: { path: { channel_id: channelId }, query: { cursor, limit } },
      }),
    ),
  since: (channelId: string, since: number) =>
    unwrap(api.GET('/api/v1/channels/{channel_id}/posts/since', { params: { path: { channel_id: channelId }, query: { since } } })),
  thread: (postId: string) =>
    unwrap(api.GET('/api/v1/posts/{post_id}/thread', { params: { path: { post_id: postId } } })),
  create: (channelId: string, body: { message: string; root_id?: string; file_ids?: string[]; pending_post_id?: string }) =>
    unwrap(api.POST('/api/v1/channels/{channel_id}/posts', { params: { path: { channel_id: channelId } }, body })),
  edit: (postId: string, message: string) =>
    unwrap(api.PATCH('/api/v1/posts/{post_id}', { params: { path: { post_id: postId } }, body: { message } })),
  pin: (postId: string, pinned: boolean) =>
    unwrap(api.PATCH('/api/v1/posts/{post_id}', { params: { path: { post_id: postId } }, body: { is_pinned: pinned } })),
  pinned: (channelId: string) =>
    unwrap(api.GET('/api/v1/channels/{channel_id}/pinned', { params: { path: { channel_id: channelId } } })),
  saved: () => unwrap(api.GET('/api/v1/users/{user_id}/saved_posts', { params: { path: { user_id: 'me' } } })),
  /** Saving is a `flagged_post` preference per post, as on Mattermost. */
  setSaved: (userId: string, postId: string, saved: boolean) => {
    const body = [{ user_id: userId, category: 'flagged_post', name: postId, value: 'true' }]
    const params = { path: { user_id: 'me' } }
    return saved
      ? unwrap(api.PUT('/api/v1/users/{user_id}/preferences', { params, body }))
      : unwrap(api.POST('/api/v1/users/{user_id}/preferences/delete', { params, body }))
  },
  remove: (postId: string) => unwrap(api.DELETE('/api/v1/posts/{post_id}', { params: { path: { post_id: postId } } })),
  metadata: (postIds: string[]) => unwrap(api.POST('/api/v1/posts/metadata', { body: { post_ids: postIds } })),
  react: (postId: string, emojiName: string) =>
    unwrap(
      api.PUT('/api/v1/posts/{post_id}/reactions/{emoji_name}', {
        params: { path: { post_id: postId, emoji_name: emojiName } },
      }),
    ),
  unreact: (postId: string, emojiName: string) =>
    unwrap(
      api.DELETE('/api/v1/posts/{post_id}/reactions/{emoji_name}', {
        params: { path: { post_id: postId, emoji_name: emojiName } },
      }),
    ),
  search: (teamId: string, terms: string) =>
    unwrap(api.GET('/api/v1/teams/{team_id}/posts/search', { params: { path: { team_id: teamId }, query: { terms, limit: 60 } } })),
}
