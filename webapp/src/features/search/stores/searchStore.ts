import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError } from '@/api/client'
import type { Post } from '@/api/types'
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

  async function run(teamId: string, query: string, called = ''): Promise<void> {
    heading.value = called
    terms.value = query.trim()
    if (!terms.value) return
    // The results take the side panel's place.
    useThreadsStore().close()
    open.value = true
    loading.value = true
    error.value = ''
    try {
      const answer = await postsRepository.search(teamId, terms.value)
      results.value = answer.posts
      useMessagesStore().put(answer.posts)
      void useMessagesStore().loadMetadataOf(answer.posts)
    } catch (e) {
      results.value = []
      error.value = describeError(e)
    } finally {
      loading.value = false
    }
  }

  /** Posts that mention the user, newest first, as Mattermost's recent mentions. */
  function mentions(teamId: string, username: string): Promise<void> {
    return run(teamId, `@${username}`, 'Recent mentions')
  }

  /** Shows a list that is not a search (pinned or saved posts) in the results panel. */
  async function show(called: string, load: () => Promise<Post[]>): Promise<void> {
    heading.value = called
    terms.value = ''
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

  function close(): void {
    open.value = false
  }

  return { terms, heading, results, open, loading, error, run, mentions, show, close }
})
