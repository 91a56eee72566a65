// The Mattermost desktop app's API, which its preload script puts on
// `window.desktopAPI` when it shows this web app. Every call goes through
// here, and each is a no-op in a browser (and for a desktop app too old to
// have that call), so the rest of the app never checks which it runs in.

import type { DesktopAPI, Theme as DesktopTheme } from '@mattermost/desktop-api'

export type { DesktopTheme }

type Api = Partial<DesktopAPI>

declare global {
  interface Window {
    desktopAPI?: Api
  }
}

function api(): Api | undefined {
  return typeof window === 'undefined' ? undefined : window.desktopAPI
}

/** Whether this page is shown by the desktop app. */
export function inDesktopApp(): boolean {
  return api() !== undefined
}

/** The page is up: the desktop app drops its loading screen. */
export function appInitialized(): void {
  api()?.reactAppInitialized?.()
}

export function loggedIn(): void {
  api()?.setSessionExpired?.(false)
  api()?.onLogin?.()
}

export function loggedOut(): void {
  api()?.onLogout?.()
}

/** The server ended the session: the desktop app shows it on the server's tab. */
export function sessionExpired(): void {
  api()?.setSessionExpired?.(true)
}

/** The dock or taskbar badge. */
export function setUnreadsAndMentions(isUnread: boolean, mentionCount: number): void {
  api()?.setUnreadsAndMentions?.(isUnread, mentionCount)
}

export interface DesktopNotification {
  title: string
  body: string
  channelId: string
  teamId: string
  /** The path that opens the channel, given back when it is clicked. */
  url: string
  silent: boolean
  soundName: string
}

/** Shows a notification through the desktop app; false in a browser. */
export function sendNotification(n: DesktopNotification): boolean {
  const send = api()?.sendNotification
  if (!send) return false
  void send(n.title, n.body, n.channelId, n.teamId, n.url, n.silent, n.soundName).catch(() => undefined)
  return true
}

/** Runs `open(url)` when one of our notifications is clicked; returns the unsubscribe. */
export function onNotificationClicked(open: (url: string, channelId: string, teamId: string) => void): () => void {
  return api()?.onNotificationClicked?.((channelId, teamId, url) => open(url, channelId, teamId)) ?? (() => undefined)
}

/** The desktop app asks the page to show a path (a deep link, another tab's link). */
export function onBrowserHistoryPush(go: (path: string) => void): () => void {
  return api()?.onBrowserHistoryPush?.(go) ?? (() => undefined)
}

/** Tells the desktop app where the page went, for its back and forward buttons. */
export function sendBrowserHistoryPush(path: string): void {
  api()?.sendBrowserHistoryPush?.(path)
}

/** The colours of the page, for the desktop app's own frame. */
export function updateTheme(theme: DesktopTheme): void {
  api()?.updateTheme?.(theme)
}

/** The system's dark mode as the desktop app sees it; undefined in a browser. */
export async function desktopDarkMode(): Promise<boolean | undefined> {
  const get = api()?.getDarkMode
  if (!get) return undefined
  try {
    return await get()
  } catch {
    return undefined
  }
}

export function onDarkModeChanged(changed: (dark: boolean) => void): () => void {
  return api()?.onDarkModeChanged?.(changed) ?? (() => undefined)
}
