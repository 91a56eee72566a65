// Presentation of files: sizes, and which ones the browser can show inline.
import { locale, t, type MessageKey } from '@/app/i18n/i18n'

const UNITS: readonly MessageKey[] = ['files.size.kb', 'files.size.mb', 'files.size.gb']

/** A size in the language's units and number format: one decimal under ten, whole above. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return t('files.size.bytes', { size: new Intl.NumberFormat(locale()).format(bytes) })
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = value < 10 ? 1 : 0
  const size = new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)
  return t(UNITS[unit] ?? 'files.size.gb', { size })
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
