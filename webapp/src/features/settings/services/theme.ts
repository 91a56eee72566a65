// Light and dark themes: an attribute on <html> that the stylesheet keys on,
// remembered on this device and, through a preference, on the account.

export type Theme = 'light' | 'dark' | 'system'
const KEY = 'rustchat.theme'

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

export function applyTheme(theme: Theme): void {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
  document.documentElement.dataset.theme = resolveTheme(theme, dark)
  try {
    if (theme === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, theme)
  } catch {
    // Without storage the theme lasts for this page.
  }
}
