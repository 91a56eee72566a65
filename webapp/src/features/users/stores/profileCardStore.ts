import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'

/**
 * Which user's profile card is open and what opened it: any name or avatar
 * asks here, the one card the shell shows answers.
 */
export const useProfileCardStore = defineStore('profileCard', () => {
  const userId = ref('')
  const anchor = shallowRef<HTMLElement | null>(null)

  function show(id: string, from: HTMLElement | null): void {
    // A second click on what opened the card closes it.
    if (userId.value === id && anchor.value === from) {
      close()
      return
    }
    userId.value = id
    anchor.value = from
  }

  function close(): void {
    userId.value = ''
    anchor.value = null
  }

  return { userId, anchor, show, close }
})
