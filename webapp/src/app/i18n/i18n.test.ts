import { afterEach, describe, expect, it } from 'vitest'
import en, { type MessageKey } from './messages/en'
import fr from './messages/fr'
import { format, locale, resolveLocale, setLocale, t, useCatalogueForTests } from './i18n'

describe('i18n', () => {
  afterEach(() => useCatalogueForTests('en', en))

  it('picks the first supported language among the wishes', () => {
    expect(resolveLocale(['de-DE', 'fr-CA', 'en'])).toBe('fr')
    expect(resolveLocale([undefined, '', 'EN_us'])).toBe('en')
    expect(resolveLocale(['ja'])).toBe('en')
  })

  it('fills placeholders and chooses plural forms by the language', () => {
    const template = '{count, plural, one {# reply} other {# replies}} from {name}'
    expect(format(template, { count: 1, name: 'bob' }, 'en')).toBe('1 reply from bob')
    expect(format(template, { count: 0, name: 'bob' }, 'en')).toBe('0 replies from bob')
    // French counts zero as singular.
    expect(format('{count, plural, one {# réponse} other {# réponses}}', { count: 0 }, 'fr')).toBe('0 réponse')
    expect(format('{count, plural, =0 {none} other {#}}', { count: 0 }, 'en')).toBe('none')
    expect(format('{missing} stays', {}, 'en')).toBe('{missing} stays')
    // Placeholders inside a branch, and a # that starts a word.
    expect(format('{count, plural, one {# reply from {name} in #town} other {# replies from {name}}}', { count: 1, name: 'ann' }, 'en'))
      .toBe('1 reply from ann in #town')
    expect(format('{count, plural, one {# reply from {name}} other {# replies from {name}}}', { count: 3, name: 'ann' }, 'en'))
      .toBe('3 replies from ann')
  })

  it('keeps the language asked for last, whichever catalogue arrives first', async () => {
    const french = setLocale('fr')
    await setLocale('en')
    await french
    expect(locale()).toBe('en')
    expect(t('auth.login.submit')).toBe('Log in')
  })

  it('switches language and falls back to English for a missing key', async () => {
    await setLocale('fr')
    expect(locale()).toBe('fr')
    expect(document.documentElement.lang).toBe('fr')
    expect(t('auth.login.submit')).toBe('Se connecter')
    useCatalogueForTests('fr', {})
    expect(t('auth.login.submit')).toBe('Log in')
    await setLocale('en')
    expect(t('auth.login.withProvider', { provider: 'GitLab' })).toBe('Sign in with GitLab')
  })

  it('has every English key in French, with the same placeholders', () => {
    for (const key of Object.keys(en) as MessageKey[]) {
      const translated = fr[key]
      expect(translated, key).toBeTypeOf('string')
      const names = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort()
      expect(names(translated as string), key).toEqual(names(en[key]))
    }
  })
})
