import { api, unwrap } from '@/api/client'
import type { components } from '@/api/v1'
import type { DialogSubmission, DialogSubmitResponse, PostActionRequest, PostActionResponse } from '../types'

export const integrationsRepository = {
  /** Runs a button or menu of a post's attachment; the server calls the integration. */
  doPostAction: (postId: string, actionId: string, body: PostActionRequest): Promise<PostActionResponse> =>
    unwrap(
      api.POST('/api/v1/posts/{post_id}/actions/{action_id}', {
        params: { path: { post_id: postId, action_id: actionId } },
        body,
      }),
    ),
  /** Sends a dialog's values (or its cancellation) to the integration. */
  submitDialog: (body: DialogSubmission): Promise<DialogSubmitResponse> =>
    unwrap(
      api.POST('/api/v1/actions/dialogs/submit', {
        // Only the type of `submission` differs (see DialogSubmission).
        body: body as components['schemas']['DialogSubmission'],
      }),
    ),
}
