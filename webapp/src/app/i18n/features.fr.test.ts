// The converted screens in French: what they show comes from the French
// catalogue (loaded as the app loads it), with French plurals and formats.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { ThreadView } from '@/api/types'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { useAuthStore } from '@/features/auth'
import { channelsRepository } from '@/features/channels'
import { levelName } from '@/features/channels/services/notifyProps'
import { humanSize } from '@/features/files'
import { checkElement, type DialogElement } from '@/features/integrations/services/dialog'
import CustomStatusDialog from '@/features/profiles/components/CustomStatusDialog.vue'
import ThreadItem from '@/features/threads/components/ThreadItem.vue'
import { expiryLabel } from '@/features/users'
import { locale, setLocale, t } from './i18n'

let pinia: Pinia
let mounted: Mounted | null = null

beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await setLocale('fr')
})
afterEach(async () => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
  await setLocale('en')
})

const q = (testid: string) => document.querySelector(`[data-testid="${testid}"]`)
const all = (testid: string) => [...document.querySelectorAll(`[data-testid="${testid}"]`)]

describe('the app in French', () => {
  it('loads the French catalogue', () => {
    expect(locale()).toBe('fr')
    expect(t('teams.create.title')).toBe('Créer ou rejoindre une équipe')
    expect(t('threads.item.replies', { count: 0 })).toBe('0 réponse')
    expect(t('threads.item.replies', { count: 3 })).toBe('3 réponses')
  })

  it('shows the custom status dialog in French, its suggestions and durations too', async () => {
    vi.spyOn(channelsRepository, 'preferences').mockResolvedValue([])
    useAuthStore().me = { id: 'u-me', username: 'me', props: { customStatus: '' } } as never
    mounted = mount(CustomStatusDialog, { onClose: vi.fn() }, pinia)
    await settle()
    const dialog = q('custom-status-dialog')
    expect(dialog?.textContent).toContain('Définir un statut')
    expect(dialog?.textContent).toContain('Effacer après')
    expect(all('status-suggestion').map((b) => b.querySelector('.status-choice-text')?.textContent)).toEqual([
      'En réunion',
      'Pause déjeuner',
      'Malade',
      'En télétravail',
      'En vacances',
    ])
    const durations = [...((q('status-duration') as HTMLSelectElement | null)?.options ?? [])].map((o) => o.text)
    expect(durations[0]).toBe('Ne pas effacer')
    expect(durations).toContain('Aujourd’hui')
    expect((q('status-text') as HTMLInputElement).placeholder).toBe('Quel est votre statut\u00a0?')
  })

  it('counts a thread’s replies and mentions with French plurals', async () => {
    const view = {
      root: { id: 'r1', channel_id: 'c1', user_id: 'u1', message: '', create_at: 0, last_reply_at: Date.now(), delete_at: 0, reply_count: 1 },
      member: { post_id: 'r1', user_id: 'me', following: true, last_viewed: 0, last_updated: 0, unread_mentions: 2 },
      unread_replies: 1,
      participants: [],
    } as unknown as ThreadView
    mounted = mount(ThreadItem, { view }, pinia)
    await settle()
    expect(q('thread-reply-count')?.textContent).toBe('1 réponse')
    expect(q('thread-new-replies')?.textContent).toBe('1 nouvelle')
    expect(q('thread-mention-badge')?.textContent?.trim()).toBe('2 2 mentions')
    expect(q('thread-preview')?.textContent).toBe('(pas de texte)')
  })

  it('words sizes, checks, levels and expiries in French', () => {
    expect(humanSize(1536)).toBe('1,5 Ko')
    expect(humanSize(999)).toBe('999 o')
    const element = { name: 'n', display_name: 'N', type: 'text', subtype: '', default: '', placeholder: '', help_text: '', optional: false, min_length: 1, max_length: 0, data_source: '', options: [] } satisfies DialogElement
    expect(checkElement(element, '')).toBe('Ce champ est obligatoire.')
    expect(checkElement({ ...element, max_length: 2 }, 'abc')).toBe('La saisie ne doit pas dépasser 2 caractères.')
    expect(levelName('default', 'mention')).toBe('Par défaut (seulement pour les mentions)')
    const now = new Date(2025, 5, 4, 10, 0).getTime()
    expect(expiryLabel(new Date(2025, 5, 5, 9, 0).getTime(), now)).toMatch(/^Jusqu’à demain 0?9:00$/)
  })
})
