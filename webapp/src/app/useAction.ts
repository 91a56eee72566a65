import { ref } from 'vue'
import { describeError } from '@/api/client'

/**
 * A form's submit state: `busy` while the action runs, `error` with the
 * server's message when it fails. `run` answers whether it succeeded.
 */
export function useAction() {
  const busy = ref(false)
  const error = ref('')

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    error.value = ''
    busy.value = true
    try {
      await action()
      return true
    } catch (e) {
      error.value = describeError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
