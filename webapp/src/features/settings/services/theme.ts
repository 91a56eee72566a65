// Light and dark themes: an attribute on <html> that the stylesheet keys on,
// remembered on this device and, through a preference, on the account. In
// the desktop app, "system" follows the desktop app's dark mode, and the
// app's frame is told the page's colours.

import { desktopDarkMode, onDarkModeChanged, updateTheme, type DesktopTheme } from '@/app/desktop/desktopApi'

export type Theme = 'light' | 'dark' | 'system'
const KEY = 'rustchat.theme'

/** The desktop app's dark mode, once it has said; else the browser's. */
let desktopDark: boolean | undefined
let current: Theme = 'system'

export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

export function resolveTheme(theme: Theme, prefersDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (prefersDark ? 'dark' : 'light') : theme
}

function systemPrefersDark(): boolean {
  return desktopDark ?? window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
}

/** The page's colours in the shape the desktop app reads. */
export function desktopTheme(css: (name: string) => string, usingSystem: boolean): DesktopTheme {
  return {
    sidebarBg: css('--sidebar'),
    sidebarText: css('--sidebar-text'),
    sidebarUnreadText: css('--sidebar-strong'),
    sidebarTextHoverBg: css('--sidebar-hover'),
    sidebarTextActiveBorder: css('--accent'),
    sidebarTextActiveColor: css('--sidebar-strong'),
    sidebarHeaderBg: css('--sidebar'),
    sidebarTeamBarBg: css('--teams'),
    sidebarHeaderTextColor: css('--sidebar-strong'),
    onlineIndicator: css('--online'),
    awayIndicator: css('--away'),
    dndIndicator: css('--dnd'),
    mentionBg: css('--mention'),
    mentionColor: css('--accent-text'),
    centerChannelBg: css('--bg'),
    centerChannelColor: css('--text'),
    newMessageSeparator: css('--mention'),
    linkColor: css('--accent'),
    buttonBg: css('--accent'),
    buttonColor: css('--accent-text'),
    errorTextColor: css('--mention'),
    mentionHighlightBg: css('--mention-bg'),
    mentionHighlightLink: css('--accent'),
    codeTheme: document.documentElement.dataset.theme === 'dark' ? 'monokai' : 'github',
    isUsingSystemTheme: usingSystem,
  }
}

export function applyTheme(theme: Theme): void {
  current = theme
  document.documentElement.dataset.theme = resolveTheme(theme, systemPrefersDark())
  try {
    if (theme === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, theme)
  } catch {
    // Without storage the theme lasts for this page.
  }
  const style = getComputedStyle(document.documentElement)
  updateTheme(desktopTheme((name) => style.getPropertyValue(name).trim(), theme === 'system'))
}

/** In the desktop app, "system" follows its dark mode from now on. */
export function followDesktopDarkMode(): void {
  void desktopDarkMode().then((dark) => {
    if (dark === undefined) return
    desktopDark = dark
    if (current === 'system') applyTheme(current)
  })
  onDarkModeChanged((dark) => {
    desktopDark = dark
    if (current === 'system') applyTheme(current)
  })
}
