// Presentation of files: sizes, and which ones the browser can show inline.

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export function isInlineImage(mime: string): boolean {
  return INLINE_IMAGES.has(mime.toLowerCase())
}

/** Files dropped or pasted: only real files, never directory entries or strings. */
export function filesFrom(list: FileList | DataTransferItemList | null | undefined): File[] {
  if (!list) return []
  const out: File[] = []
  for (let i = 0; i < list.length; i++) {
    const item = list[i]
    if (item instanceof File) out.push(item)
    else if (item && 'kind' in item && item.kind === 'file') {
      const file = item.getAsFile()
      if (file) out.push(file)
    }
  }
  return out
}
