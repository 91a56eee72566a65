// The UI's words, in the user's language. English is the catalogue every
// key is written in; other languages are loaded when chosen, so they cost
// nothing to those who do not use them.
import { ref, shallowRef } from 'vue'
import en, { type MessageKey } from './messages/en'

export type { MessageKey }
export type Locale = 'en' | 'fr'
export type Catalogue = Partial<Record<MessageKey, string>>
export type Params = Record<string, string | number>
/** A translation of one English area: exactly its keys. */
export type CatalogueOf<Area> = { [K in keyof Area]: string }

/** The languages offered, each named in itself. */
export const LOCALES: readonly { code: Locale; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
]

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Catalogue }>> = {
  fr: () => import('./messages/fr'),
}

const current = ref<Locale>('en')
const catalogue = shallowRef<Catalogue>(en)

/** The language shown now (for Intl formatting too). */
export function locale(): Locale {
  return current.value
}

/** The first supported language among the wishes (a user's setting, the browser's list). */
export function resolveLocale(wishes: readonly (string | null | undefined)[]): Locale {
  for (const wish of wishes) {
    const primary = wish?.toLowerCase().split(/[-_]/)[0]
    const found = LOCALES.find((l) => l.code === primary)
    if (found) return found.code
  }
  return 'en'
}

/** Each switch's number: a catalogue that arrives after a later switch is dropped. */
let switches = 0

/** Switches the UI's language; its catalogue is loaded first. */
export async function setLocale(next: Locale): Promise<void> {
  const mine = ++switches
  const words = next === 'en' ? en : (await loaders[next]()).default
  if (mine !== switches) return
  catalogue.value = words
  current.value = next
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/** For tests: a catalogue given directly. */
export function useCatalogueForTests(next: Locale, words: Catalogue): void {
  catalogue.value = words
  current.value = next
}

/**
 * The text of `key` in the current language (English when the language
 * lacks it), with `{name}` replaced by `params.name` and
 * `{count, plural, one {…} other {…}}` choosing by the language's rules
 * (`#` inside is the number).
 */
export function t(key: MessageKey, params?: Params): string {
  const template = catalogue.value[key] ?? en[key] ?? key
  return params ? format(template, params, current.value) : template
}

const PLACEHOLDER = /\{(\w+)\}/g

/** The text from `open` (just after a `{`) to its matching `}`, and where that `}` is. */
function balanced(text: string, open: number): { inner: string; end: number } | null {
  let depth = 1
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return { inner: text.slice(open, i), end: i }
  }
  return null
}

/** The branches of a plural's body (`one {…} other {…}`), each with its own text. */
function branches(body: string): Map<string, string> {
  const found = new Map<string, string>()
  let rest = body
  for (;;) {
    const head = rest.match(/^\s*([\w=]+)\s*\{/)
    if (!head) return found
    const block = balanced(rest, head[0].length)
    if (!block) return found
    found.set(head[1] ?? '', block.inner)
    rest = rest.slice(block.end + 1)
  }
}

/** Replaces `{name}` placeholders and `{name, plural, …}` choices, nested ones too. */
export function format(template: string, params: Params, lang: Locale): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const plural = template.slice(i).match(/^\{(\w+), plural,/)
    const block = plural ? balanced(template, i + 1) : null
    if (plural && block) {
      const name = plural[1] ?? ''
      const count = Number(params[name] ?? 0)
      const options = branches(template.slice(i + plural[0].length, block.end))
      const rule = new Intl.PluralRules(lang).select(count)
      const chosen = options.get(`=${count}`) ?? options.get(rule) ?? options.get('other') ?? ''
      // `#` is the number, unless it starts a word (`#channel`).
      const numbered = chosen.replace(/#(?!\w)/g, new Intl.NumberFormat(lang).format(count))
      out += format(numbered, params, lang)
      i = block.end + 1
      continue
    }
    out += template[i]
    i++
  }
  return out.replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole))
}
