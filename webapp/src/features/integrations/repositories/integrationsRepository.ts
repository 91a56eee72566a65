import { unwrap } from '@/api/client'
import { integrationsApi, type DialogSubmission, type PostActionRequest } from '@/api/integrations'

export const integrationsRepository = {
  /** Runs a button or menu of a post's attachment; the server calls the integration. */
  doPostAction: (postId: string, actionId: string, body: PostActionRequest) =>
    unwrap(
      integrationsApi.POST('/api/v1/posts/{post_id}/actions/{action_id}', {
        params: { path: { post_id: postId, action_id: actionId } },
        body,
      }),
    ),
  /** Sends a dialog's values (or its cancellation) to the integration. */
  submitDialog: (body: DialogSubmission) => unwrap(integrationsApi.POST('/api/v1/actions/dialogs/submit', { body })),
}
