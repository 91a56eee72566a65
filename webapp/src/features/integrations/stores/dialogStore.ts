import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { useChannelsStore } from '@/features/channels'
import { useTeamsStore } from '@/features/teams'
import { parseOpenDialog, type OpenDialog } from '../services/dialog'

/**
 * The interactive dialog an integration asked to show (at most one, as on
 * Mattermost: a new one replaces it), with the channel and team it was
 * opened in, which the submission names.
 */
export const useDialogStore = defineStore('integrationDialog', () => {
  const current = shallowRef<OpenDialog | null>(null)
  const channelId = ref('')
  const teamId = ref('')
  /** Changes with every dialog opened, so a replacing dialog starts afresh. */
  const serial = ref(0)

  /** From an `open_dialog` event; an unusable one is ignored. */
  function open(data: unknown): void {
    const dialog = parseOpenDialog(data)
    if (!dialog) return
    const channels = useChannelsStore()
    channelId.value = channels.activeId
    teamId.value = useTeamsStore().current?.id ?? channels.teamId
    serial.value += 1
    current.value = dialog
  }

  function close(): void {
    current.value = null
  }

  return { current, channelId, teamId, serial, open, close }
})
