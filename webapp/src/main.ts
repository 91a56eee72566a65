import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { startDesktopIntegration } from './app/desktop/desktopIntegration'
import { router } from './app/router'
import { applyTheme, storedTheme } from './features/settings/services/theme'
import './styles.css'

// Before the first paint, so a dark theme does not flash white.
applyTheme(storedTheme())

createApp(App).use(createPinia()).use(router).mount('#app')
startDesktopIntegration(router)
