import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useMessagesStore } from '@/features/messages/stores/messagesStore'
import { useThreadListStore } from './threadListStore'

/** Which thread is open beside the channel. */
export const useThreadsStore = defineStore('threads', () => {
  const openRootId = ref('')
  const loading = ref(false)

  async function open(rootId: string): Promise<void> {
    openRootId.value = rootId
    loading.value = true
    try {
      await useMessagesStore().loadThread(rootId)
    } finally {
      loading.value = false
    }
    // Opening a followed thread reads it, as on Mattermost.
    void useThreadListStore().viewed(rootId).catch(() => undefined)
  }

  function close(): void {
    openRootId.value = ''
  }

  return { openRootId, loading, open, close }
})
