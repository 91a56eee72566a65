import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError } from '@/api/client'
import type { Post } from '@/api/types'
import { t } from '@/app/i18n/i18n'
import { postsRepository } from '@/features/messages/repositories/postsRepository'
import { useMessagesStore } from '@/features/messages/stores/messagesStore'
import { useThreadsStore } from '@/features/threads'

export const useSearchStore = defineStore('search', () => {
  const terms = ref('')
  /** What the results are called when not a typed search ("Recent mentions"). */
  const heading = ref('')
  const results = ref<Post[]>([])
  const open = ref(false)
  const loading = ref(false)
  const error = ref('')

  /** Fills the results panel (which takes the side panel's place) with what `load` finds. */
  async function present(called: string, searched: string, load: () => Promise<Post[]>): Promise<void> {
    heading.value = called
    terms.value = searched
    useThreadsStore().close()
    open.value = true
    loading.value = true
    error.value = ''
    try {
      results.value = await load()
      void useMessagesStore().loadMetadataOf(results.value)
    } catch (e) {
      results.value = []
      error.value = describeError(e)
    } finally {
      loading.value = false
    }
  }

  function run(teamId: string, query: string, called = ''): Promise<void> {
    const searched = query.trim()
    if (!searched) return Promise.resolve()
    return present(called, searched, async () => {
      const answer = await postsRepository.search(teamId, searched)
      useMessagesStore().put(answer.posts)
      return answer.posts
    })
  }

  /** Posts that mention the user, newest first, as Mattermost's recent mentions. */
  function mentions(teamId: string, username: string): Promise<void> {
    return run(teamId, `@${username}`, t('search.mentions'))
  }

  /** Shows a list that is not a search (pinned or saved posts) in the results panel. */
  function show(called: string, load: () => Promise<Post[]>): Promise<void> {
    return present(called, '', load)
  }

  function close(): void {
    open.value = false
  }

  return { terms, heading, results, open, loading, error, run, mentions, show, close }
})
