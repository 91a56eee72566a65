// Remembers the id behind each channel route this browser opened, so that on
// the next visit the newest posts load while the sidebar is still loading
// (one round trip less before the first post shows).

const KEY = 'rustchat.channelIds'
const MAX = 50

function read(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string>
  } catch {
    return {}
  }
}

export function rememberChannel(route: string, channelId: string): void {
  const map = read()
  delete map[route]
  map[route] = channelId
  const keys = Object.keys(map)
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX))) delete map[old]
  try {
    localStorage.setItem(KEY, JSON.stringify(map))
  } catch {
    // Only a speed-up; nothing is lost without it.
  }
}

export function rememberedChannel(route: string): string | undefined {
  return read()[route]
}
