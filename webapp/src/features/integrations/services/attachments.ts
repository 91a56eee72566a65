// Message attachments (Mattermost's `props.attachments`, as integrations send
// them): read defensively out of untyped props, and the small decisions the
// view needs (field rows, colours, which URLs may be used).

export interface ActionOption {
  text: string
  value: string
}

/** A button or menu on an attachment. */
export interface PostAction {
  id: string
  name: string
  type: 'button' | 'select'
  style: string
  disabled: boolean
  /** `users` or `channels` for menus filled from the server; '' for static options. */
  data_source: string
  options: ActionOption[]
  default_option: string
  /** Present on ephemeral posts: sent back with the action, since the server did not store the post. */
  cookie: string
}

export interface AttachmentField {
  title: string
  value: string
  short: boolean
}

export interface MessageAttachment {
  color: string
  pretext: string
  author_name: string
  author_link: string
  author_icon: string
  title: string
  title_link: string
  text: string
  fields: AttachmentField[]
  image_url: string
  thumb_url: string
  footer: string
  footer_icon: string
  actions: PostAction[]
}

/** Mattermost's limit on the footer text shown. */
export const MAX_FOOTER_LENGTH = 300

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function str(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return ''
}

function readOption(raw: unknown): ActionOption | null {
  if (!isObject(raw)) return null
  const text = str(raw.text)
  const value = str(raw.value)
  return text || value ? { text: text || value, value } : null
}

function readAction(raw: unknown): PostAction | null {
  if (!isObject(raw)) return null
  const id = str(raw.id)
  const name = str(raw.name)
  // As Mattermost: an action without an id or a name is not shown.
  if (!id || !name) return null
  return {
    id,
    name,
    type: raw.type === 'select' ? 'select' : 'button',
    style: str(raw.style),
    disabled: raw.disabled === true,
    data_source: str(raw.data_source),
    options: Array.isArray(raw.options) ? raw.options.map(readOption).filter((o): o is ActionOption => !!o) : [],
    default_option: str(raw.default_option),
    cookie: str(raw.cookie),
  }
}

function readField(raw: unknown): AttachmentField | null {
  if (!isObject(raw)) return null
  const title = str(raw.title)
  const value = str(raw.value)
  return title || value ? { title, value, short: raw.short === true } : null
}

function readAttachment(raw: unknown): MessageAttachment | null {
  if (!isObject(raw)) return null
  return {
    color: str(raw.color),
    pretext: str(raw.pretext),
    author_name: str(raw.author_name),
    author_link: str(raw.author_link),
    author_icon: str(raw.author_icon),
    title: str(raw.title),
    title_link: str(raw.title_link),
    text: str(raw.text),
    fields: Array.isArray(raw.fields) ? raw.fields.map(readField).filter((f): f is AttachmentField => !!f) : [],
    image_url: str(raw.image_url),
    thumb_url: str(raw.thumb_url),
    footer: str(raw.footer),
    footer_icon: str(raw.footer_icon),
    actions: Array.isArray(raw.actions) ? raw.actions.map(readAction).filter((a): a is PostAction => !!a) : [],
    // `fallback` is the plain-text version for clients that cannot show
    // attachments: this one can, so it is never read.
  }
}

/** The attachments of a post's props; anything malformed is skipped. */
export function attachmentsOf(props: unknown): MessageAttachment[] {
  if (!isObject(props) || !Array.isArray(props.attachments)) return []
  return props.attachments.map(readAttachment).filter((a): a is MessageAttachment => !!a)
}

/**
 * Fields laid out as Mattermost does: short fields share a row two by two,
 * a field that is not short has a row of its own.
 */
export function fieldRows(fields: AttachmentField[]): AttachmentField[][] {
  const rows: AttachmentField[][] = []
  let row: AttachmentField[] = []
  for (const field of fields) {
    if (!field.short || row.length === 2) {
      if (row.length) rows.push(row)
      row = []
    }
    row.push(field)
    if (!field.short) {
      rows.push(row)
      row = []
    }
  }
  if (row.length) rows.push(row)
  return rows
}

const HEX_RE = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i
const NAMED_BAR_COLORS: Record<string, string> = { good: '#00c100', warning: '#dede01', danger: '#e40303' }

/** The colour of an attachment's bar: a hex colour or good/warning/danger; '' for the default. */
export function barColor(color: string): string {
  const c = color.trim()
  if (HEX_RE.test(c)) return c
  return NAMED_BAR_COLORS[c.toLowerCase()] ?? ''
}

/** The button styles with a look of their own (see styles.css `.action-button--*`). */
export const BUTTON_STYLES = new Set(['default', 'primary', 'danger', 'good', 'success', 'warning'])

/**
 * How to paint a button: a named style (a class), or a hex colour (inline,
 * with black or white text, whichever reads better on it).
 */
export function buttonLook(style: string): { name: string } | { background: string; color: string } {
  const s = style.trim()
  if (HEX_RE.test(s)) return { background: s, color: readableTextOn(s) }
  const name = s.toLowerCase()
  // As Mattermost: a button without a known style is a primary one.
  return { name: BUTTON_STYLES.has(name) ? name : 'primary' }
}

function readableTextOn(hex: string): string {
  let h = hex.slice(1)
  if (h.length <= 4) h = [...h].map((c) => c + c).join('')
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255)
  // Relative luminance (sRGB weights, without the gamma step: close enough to choose black or white).
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
  return luminance > 0.55 ? '#000000' : '#ffffff'
}

/**
 * The URL if it is an absolute http(s) one, else ''. Integration links and
 * images may point anywhere, but never at `javascript:`, `data:` and the like.
 */
export function httpUrl(raw: string): string {
  const trimmed = raw.trim()
  if (!/^https?:\/\//i.test(trimmed)) return ''
  try {
    const url = new URL(trimmed)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : ''
  } catch {
    return ''
  }
}

/** The footer as shown: at most MAX_FOOTER_LENGTH characters, with an ellipsis when cut. */
export function footerText(footer: string): string {
  const chars = Array.from(footer)
  return chars.length <= MAX_FOOTER_LENGTH ? footer : chars.slice(0, MAX_FOOTER_LENGTH - 1).join('') + '…'
}
