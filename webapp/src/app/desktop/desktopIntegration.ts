// What the page tells the desktop app, and what it takes from it, beyond
// single calls: readiness, navigation both ways, notification clicks and the
// system's dark mode. Started once, after the app is mounted; in a browser
// it does nothing.

import type { Router } from 'vue-router'
import { followDesktopDarkMode } from '@/features/settings/services/theme'
import { appInitialized, inDesktopApp, onBrowserHistoryPush, onNotificationClicked, sendBrowserHistoryPush } from './desktopApi'

export function startDesktopIntegration(router: Router): void {
  if (!inDesktopApp()) return
  followDesktopDarkMode()

  // The desktop app asks for a path (a deep link, a click in another tab):
  // show it, without telling the app back about the move it asked for.
  let asked = ''
  onBrowserHistoryPush((path) => {
    asked = path
    void router.push(path)
  })
  onNotificationClicked((url) => void router.push(url))
  // Moves made in the page, for the desktop app's back and forward buttons.
  router.afterEach((to, from, failure) => {
    if (failure || !from.matched.length) return
    if (to.fullPath === asked) {
      asked = ''
      return
    }
    sendBrowserHistoryPush(to.fullPath)
  })

  void router.isReady().then(appInitialized)
}
