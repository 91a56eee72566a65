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

/** Switches the UI's language; its catalogue is loaded first. */
export async function setLocale(next: Locale): Promise<void> {
  const words = next === 'en' ? en : (await loaders[next]()).default
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

const PLURAL = /\{(\w+), plural,((?:\s*[\w=]+\s*\{[^{}]*\})+)\s*\}/g
const BRANCH = /([\w=]+)\s*\{([^{}]*)\}/g
const PLACEHOLDER = /\{(\w+)\}/g

export function format(template: string, params: Params, lang: Locale): string {
  const withPlurals = template.replace(PLURAL, (_, name: string, branches: string) => {
    const count = Number(params[name] ?? 0)
    const options = new Map<string, string>()
    for (const [, selector, text] of branches.matchAll(BRANCH)) options.set(selector ?? '', text ?? '')
    const rule = new Intl.PluralRules(lang).select(count)
    const chosen = options.get(`=${count}`) ?? options.get(rule) ?? options.get('other') ?? ''
    return chosen.replace(/#/g, new Intl.NumberFormat(lang).format(count))
  })
  return withPlurals.replace(PLACEHOLDER, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}
