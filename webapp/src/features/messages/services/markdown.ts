// Message markdown → safe HTML.
//
// Pipeline: marked (GFM, raw HTML disabled) → DOMPurify and our own allowlist
// pass (which also fixes up links) → a walk over the sanitised DOM that
// rewrites text nodes only (emoji shortcodes, custom emoji images, @mentions,
// ~channels). Doing the chat substitutions last, on text nodes outside
// code/pre/a, means code and URLs are never rewritten and nothing we insert
// can be re-read as markup.

import { Marked, type Token, type Tokens } from 'marked'
import DOMPurify from 'dompurify'
import { emojiFor } from './emoji'

export interface MarkdownContext {
  /** Username of the signed-in user: their mentions get `mention--me`. */
  me?: string
  /** Whether a username exists; when absent every @word is treated as a mention. */
  knownUsers?: (username: string) => boolean
  /** Whether a channel name exists; ~name is only linked when this says so. */
  knownChannels?: (name: string) => boolean
  /** The image URL of a custom emoji name; `:name:` stays text when this gives none. */
  customEmoji?: (name: string) => string | undefined
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const md = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  // Chat messages never contain trusted HTML: stop marked from recognising
  // tags at all, so `<b>` or `<script>` is lexed as ordinary (escaped) text.
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
    // Only `~~text~~` is strikethrough: a single `~` starts a ~channel link.
    del: (src) => (/^~(?!~)/.test(src) ? undefined : false),
  },
  renderer: {
    // Belt and braces: should an HTML token ever appear, show it as text.
    html: ({ text }) => escapeHtml(text),
    // No remote image loading (tracking pixels, huge files): show a link.
    image({ href, title, text, tokens }) {
      const label = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text
      const t = title ? ` title="${escapeHtml(title)}"` : ''
      return `<a href="${escapeHtml(href)}"${t}>${escapeHtml(label || href)}</a>`
    },
    // Task list items: a glyph instead of a form control.
    checkbox: ({ checked }) => (checked ? '☑ ' : '☐ '),
  },
})

// Only what marked produces for chat markdown. No images, forms, media,
// style or frames; attributes limited to what those tags need.
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
]
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align']
const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  // http(s), mailto, or no scheme at all (relative URLs, #fragments).
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  RETURN_DOM_FRAGMENT: true,
} as const
const TAG_SET = new Set(ALLOWED_TAGS.map((t) => t.toUpperCase()))
const ATTR_SET = new Set(ALLOWED_ATTR)
const LANG_CLASS_RE = /^language-[\w+#.-]+$/

/** Whether a link target is http(s), mailto or relative (no scheme). */
export function isSafeHref(href: string): boolean {
  // Browsers ignore whitespace and control characters inside a scheme.
  const h = href.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g, '')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h)
  return !scheme || ['http', 'https', 'mailto'].includes((scheme[1] ?? '').toLowerCase())
}

// A second, independent allowlist pass over DOMPurify's output. It is cheap,
// keeps the guarantees even where DOMPurify is weakened (it is not supported
// on DOM emulations such as happy-dom, used by the tests), and adds what
// DOMPurify does not: link targets and the code-block class rule.
function enforceAllowlist(node: Node): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) continue
    if (child.nodeType !== 1) {
      child.parentNode?.removeChild(child) // comments, processing instructions
      continue
    }
    const el = child as Element
    if (!TAG_SET.has(el.tagName)) {
      // Whatever it was, only its text survives, and text cannot execute.
      el.replaceWith(el.ownerDocument.createTextNode(el.textContent ?? ''))
      continue
    }
    for (const { name } of Array.from(el.attributes)) {
      if (!ATTR_SET.has(name)) el.removeAttribute(name)
    }
    const cls = el.getAttribute('class')
    if (cls !== null && !(el.tagName === 'CODE' && LANG_CLASS_RE.test(cls))) el.removeAttribute('class')
    if (el.tagName === 'A') {
      const href = el.getAttribute('href')
      if (href !== null && !isSafeHref(href)) el.removeAttribute('href')
      if (el.hasAttribute('href')) {
        el.setAttribute('target', '_blank')
        el.setAttribute('rel', 'noopener noreferrer')
      }
    }
    enforceAllowlist(el)
  }
}

function sanitizeToFragment(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, PURIFY_CONFIG)
  enforceAllowlist(fragment)
  return fragment
}

function serialize(fragment: DocumentFragment): string {
  const box = fragment.ownerDocument.createElement('div')
  box.appendChild(fragment)
  return box.innerHTML
}

/**
 * Sanitises HTML to the same small allowlist messages use (no scripts,
 * styles, images, forms, frames or event handlers; links only to http(s),
 * mailto or relative URLs, opened in a new tab).
 */
export function sanitizeHtml(html: string): string {
  return serialize(sanitizeToFragment(html))
}

const SPECIAL_MENTIONS = new Set(['channel', 'all', 'here'])
// `:name:` where name is an emoji name such as `+1`, `white_check_mark`, `star-struck`.
const EMOJI_RE = /:([a-z0-9_+-]+):/gi
// @user (Mattermost usernames: letters, digits, . _ -) or ~channel (letters,
// digits, _ -), not glued to a preceding word (so `me@example.com` is no mention).
const MENTION_RE = /(^|[^\p{L}\p{N}_@~])(?:@([a-z0-9][a-z0-9._-]*)|~([a-z0-9][a-z0-9_-]*))/giu
const SKIP_TAGS = new Set(['CODE', 'PRE', 'A'])

function replaceEmoji(text: string): string {
  return text.replace(EMOJI_RE, (whole, name: string) => emojiFor(name) ?? whole)
}

function mentionSpan(doc: Document, typed: string, name: string, highlight: boolean): HTMLElement {
  const span = doc.createElement('span')
  span.className = highlight ? 'mention mention--me' : 'mention'
  span.setAttribute('data-mention', name)
  span.textContent = '@' + typed
  return span
}

function channelLink(doc: Document, typed: string, name: string): HTMLElement {
  const a = doc.createElement('a')
  a.className = 'channel-link'
  a.setAttribute('href', '#channel:' + name)
  a.textContent = '~' + typed
  return a
}

function customEmojiImage(doc: Document, name: string, src: string): HTMLElement {
  const img = doc.createElement('img')
  img.className = 'custom-emoji'
  img.setAttribute('src', src)
  img.setAttribute('alt', `:${name}:`)
  img.setAttribute('title', `:${name}:`)
  img.setAttribute('data-emoji', name)
  return img
}

/**
 * Appends `text` to `out` with its mentions and channel links as elements;
 * returns whether there was any.
 */
function appendMentions(doc: Document, text: string, ctx: MarkdownContext, out: Node[]): boolean {
  let last = 0
  let changed = false
  for (const m of text.matchAll(MENTION_RE)) {
    const prefix = m[1] ?? ''
    const start = (m.index ?? 0) + prefix.length
    let node: HTMLElement | null = null
    let typed: string

    if (m[2] !== undefined) {
      // Dots may end a sentence ("thanks @bob."); they are never part of the name.
      typed = m[2].replace(/\.+$/, '')
      const name = typed.toLowerCase()
      const me = ctx.me?.toLowerCase()
      if (SPECIAL_MENTIONS.has(name)) {
        node = mentionSpan(doc, typed, name, true)
      } else if (!ctx.knownUsers || ctx.knownUsers(name)) {
        node = mentionSpan(doc, typed, name, name === me)
      }
    } else {
      typed = m[3] ?? ''
      const name = typed.toLowerCase()
      if (ctx.knownChannels?.(name)) node = channelLink(doc, typed, name)
    }
    if (!node) continue

    if (start > last) out.push(doc.createTextNode(text.slice(last, start)))
    out.push(node)
    last = start + 1 + typed.length
    changed = true
  }
  if (last < text.length) out.push(doc.createTextNode(text.slice(last)))
  return changed
}

/**
 * Rewrites one text node: built-in emoji first (they win over custom emoji
 * of the same name), then custom emoji, then mentions and channel links.
 * Returns the replacement nodes, or null when nothing changed.
 */
function transformText(doc: Document, text: string, ctx: MarkdownContext): Node[] | null {
  const withEmoji = replaceEmoji(text)
  const out: Node[] = []
  let changed = withEmoji !== text
  let last = 0
  if (ctx.customEmoji) {
    for (const m of withEmoji.matchAll(EMOJI_RE)) {
      const name = (m[1] ?? '').toLowerCase()
      const src = ctx.customEmoji(name)
      if (!src) continue
      const start = m.index ?? 0
      if (appendMentions(doc, withEmoji.slice(last, start), ctx, out)) changed = true
      out.push(customEmojiImage(doc, name, src))
      last = start + m[0].length
      changed = true
    }
  }
  if (appendMentions(doc, withEmoji.slice(last), ctx, out)) changed = true
  return changed ? out : null
}

// Collects text nodes outside code, pre and links.
function collectTextNodes(node: Node, into: Text[]): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) into.push(child as Text)
    else if (child.nodeType === 1 && !SKIP_TAGS.has((child as Element).tagName)) collectTextNodes(child, into)
  }
}

/** Renders a chat message's markdown to sanitised HTML, ready for v-html. */
export function renderMarkdown(text: string, ctx: MarkdownContext = {}): string {
  if (!text) return ''
  const fragment = sanitizeToFragment(md.parse(text, { async: false }))
  const doc = fragment.ownerDocument
  const texts: Text[] = []
  collectTextNodes(fragment, texts)
  for (const node of texts) {
    const replacement = transformText(doc, node.data, ctx)
    if (replacement) node.replaceWith(...replacement)
  }
  // marked ends blocks with newlines; they only add space around v-html.
  return serialize(fragment).trim()
}

const BLOCK_TOKENS = new Set(['paragraph', 'heading', 'code', 'blockquote', 'list_item', 'table', 'hr', 'space', 'br'])
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' }

// Plain text of a token tree; block tokens are separated by spaces.
function tokensToText(tokens: Token[], parts: string[]): void {
  for (const t of tokens) {
    if (t.type === 'list') {
      tokensToText((t as Tokens.List).items, parts)
    } else if (t.type === 'table') {
      const table = t as Tokens.Table
      for (const cell of [...table.header, ...table.rows.flat()]) {
        tokensToText(cell.tokens, parts)
        parts.push(' ')
      }
    } else if (t.type === 'image') {
      parts.push((t as Tokens.Image).text)
    } else if (t.type !== 'checkbox' && 'tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0) {
      tokensToText(t.tokens as Token[], parts)
    } else if ('text' in t && typeof t.text === 'string') {
      parts.push(t.text)
    }
    if (BLOCK_TOKENS.has(t.type)) parts.push(' ')
  }
}

/**
 * One line of plain text for notifications and search snippets: markdown
 * syntax removed, emoji shortcodes resolved, whitespace collapsed, and cut to
 * at most `max` characters (ending with an ellipsis when shortened).
 */
export function plainPreview(text: string, max = 80): string {
  if (!text || max <= 0) return ''
  const parts: string[] = []
  tokensToText(md.lexer(text), parts)
  const plain = replaceEmoji(parts.join(''))
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  // Count code points so an emoji is never cut in half.
  const chars = Array.from(plain)
  if (chars.length <= max) return plain
  return chars.slice(0, max - 1).join('').trimEnd() + '…'
}
