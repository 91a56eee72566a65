export { useSettingsStore } from './stores/settingsStore'
export { applyTheme, storedTheme } from './services/theme'
export { default as SettingsDialog } from './components/SettingsDialog.vue'
