import { ref } from 'vue'
import { describeError } from '@/api/client'
import type { PostActionRequest } from '../types'
import { router } from '@/app/router'
import { integrationsRepository } from '../repositories/integrationsRepository'
import type { PostAction } from '../services/attachments'
import { followLocation, openInNewTab } from '../services/location'

/**
 * Runs the buttons and menus of one attachment: `pending` is the id of the
 * action whose request is under way, `error` the server's message when the
 * last one failed.
 */
export function usePostAction(postId: () => string) {
  const pending = ref('')
  const error = ref('')

  async function run(action: PostAction, selectedOption?: string): Promise<void> {
    if (pending.value) return
    pending.value = action.id
    error.value = ''
    const body: PostActionRequest = { selected_option: selectedOption ?? null, cookie: action.cookie || null }
    try {
      const answer = await integrationsRepository.doPostAction(postId(), action.id, body)
      if (answer?.goto_location) {
        followLocation(answer.goto_location, { push: (path) => router.push(path), open: openInNewTab })
      }
    } catch (e) {
      error.value = describeError(e)
    } finally {
      pending.value = ''
    }
  }

  return { pending, error, run }
}
