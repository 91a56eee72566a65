// Following an integration's `goto_location`: a page of this site opens in
// the app, anything else in a new tab, and only http(s) is followed at all.

export type Destination = { kind: 'route'; path: string } | { kind: 'external'; href: string }

/** Where a `goto_location` leads, seen from a page at `origin`; null when it is not to be followed. */
export function resolveLocation(location: string, origin: string): Destination | null {
  const raw = location.trim()
  if (!raw) return null
  let url: URL
  try {
    url = new URL(raw, origin)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.origin === origin) return { kind: 'route', path: `${url.pathname}${url.search}${url.hash}` }
  return { kind: 'external', href: url.href }
}

export interface Navigator {
  push(path: string): unknown
  open(href: string): unknown
}

/** Opens a URL in a new tab that gets no handle on this one (and no referrer). */
export function openInNewTab(href: string): void {
  window.open(href, '_blank', 'noopener,noreferrer')
}

/** Follows a `goto_location`; answers what it did. */
export function followLocation(location: string, nav: Navigator, origin = window.location.origin): Destination | null {
  const to = resolveLocation(location, origin)
  if (to?.kind === 'route') void nav.push(to.path)
  else if (to?.kind === 'external') nav.open(to.href)
  return to
}
