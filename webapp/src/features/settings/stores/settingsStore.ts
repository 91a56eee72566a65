import { defineStore } from 'pinia'
import { ref } from 'vue'
import { channelsRepository } from '@/features/channels'
import { useAuthStore } from '@/features/auth'
import { applyTheme, storedTheme, type Theme } from '../services/theme'

const CATEGORY = 'display_settings'

export const useSettingsStore = defineStore('settings', () => {
  const theme = ref<Theme>(storedTheme())

  function setTheme(value: Theme, save = true): void {
    theme.value = value
    applyTheme(value)
    if (save) {
      const user_id = useAuthStore().myId
      void channelsRepository.savePreferences([{ user_id, category: CATEGORY, name: 'theme', value }]).catch(() => undefined)
    }
  }

  /** The account's theme, when set on another device. */
  async function loadFromAccount(): Promise<void> {
    const prefs = await channelsRepository.preferences()
    const saved = prefs.find((p) => p.category === CATEGORY && p.name === 'theme')?.value
    if (saved === 'light' || saved === 'dark' || saved === 'system') setTheme(saved, false)
  }

  return { theme, setTheme, loadFromAccount }
})
