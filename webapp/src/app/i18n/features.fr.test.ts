// The converted screens in French: what they show comes from the French
// catalogue (loaded as the app loads it), with French plurals and formats.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Channel, Post, ThreadView } from '@/api/types'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { statusLabel } from '@/features/admin/services/jobs'
import { statistics } from '@/features/admin/services/overview'
import { settingValue } from '@/features/admin/services/settings'
import { useAuthStore } from '@/features/auth'
import { channelsRepository, useChannelsStore } from '@/features/channels'
import { levelName } from '@/features/channels/services/notifyProps'
import { checkEmojiName } from '@/features/emoji/services/customEmoji'
import { humanSize } from '@/features/files'
import { checkElement, type DialogElement } from '@/features/integrations/services/dialog'
import PostItem from '@/features/messages/components/PostItem.vue'
import { buildTimeline, formatTime, type TimelinePost } from '@/features/messages/services/timeline'
import CustomStatusDialog from '@/features/profiles/components/CustomStatusDialog.vue'
import SettingsDialog from '@/features/settings/components/SettingsDialog.vue'
import ThreadItem from '@/features/threads/components/ThreadItem.vue'
import { expiryLabel, usersRepository, useUsersStore } from '@/features/users'
import { locale, setLocale, t } from './i18n'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

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

  it('labels days and times of the message list in French', () => {
    const post = (id: string, iso: string): TimelinePost =>
      ({ id, create_at: Date.parse(iso), update_at: 0, edit_at: 0, delete_at: 0, user_id: 'u', channel_id: 'c', root_id: '', message: '', type: '', props: {} })
    const now = Date.parse('2026-11-05T12:00:00Z')
    const items = buildTimeline([post('a', '2026-11-03T09:00:00Z'), post('b', '2026-11-04T09:00:00Z'), post('c', '2026-11-05T09:00:00Z')], { now, timeZone: 'UTC' })
    const days = items.flatMap((i) => (i.kind === 'day' ? [i.label] : []))
    expect(days[0]).toMatch(/^mar\. 3 nov\. 2026$/)
    expect(days.slice(1)).toEqual(['Hier', 'Aujourd’hui'])
    expect(formatTime(Date.parse('2026-11-05T14:05:00Z'), { timeZone: 'UTC' })).toBe('14:05')
  })

  it('shows a post and its actions in French', async () => {
    useAuthStore().me = { id: 'u-me', username: 'me' } as never
    useUsersStore().put([{ id: 'u-me', username: 'me', first_name: '', last_name: '', nickname: '', last_picture_update: 0 }] as never)
    const post = { id: 'p1', create_at: 5_000, update_at: 5_000, edit_at: 6_000, delete_at: 0, is_pinned: true, user_id: 'u-me', channel_id: 'c1', root_id: '', original_id: '', message: 'salut', type: '', props: {}, hashtags: '', file_ids: [], pending_post_id: '', reply_count: 3, last_reply_at: 0 } as Post
    mounted = mount(PostItem, { post }, pinia)
    await settle()
    expect(q('post-reply-count')?.textContent).toBe('3 réponses')
    expect(q('post-edited')?.textContent).toBe('(modifié)')
    expect(q('post-pinned')?.textContent).toBe('📌 Épinglé')
    expect(q('post-delete')?.getAttribute('aria-label')).toBe('Supprimer')
    expect(q('post-pin')?.getAttribute('title')).toBe('Désépingler du canal')
  })

  it('shows the settings in French, and their note once saved', async () => {
    const user = { id: 'u-me', username: 'me', first_name: '', last_name: '', nickname: '', locale: 'fr', notify_props: {}, last_picture_update: 0 }
    useAuthStore().me = user as never
    vi.spyOn(usersRepository, 'patch').mockResolvedValue(user as never)
    vi.spyOn(channelsRepository, 'savePreferences').mockResolvedValue(undefined as never)
    mounted = mount(SettingsDialog, { onClose: vi.fn() }, pinia)
    await settle()
    const dialog = q('settings-dialog')
    expect([...(dialog?.querySelectorAll('legend') ?? [])].map((l) => l.textContent)).toEqual(['Profil', 'Affichage', 'Notifications'])
    ;(q('settings-save') as HTMLButtonElement).click()
    await settle()
    expect(dialog?.querySelector('[role="status"]')?.textContent).toBe('Enregistré.')
  })

  it('words the console, emoji checks and conversation names in French', () => {
    expect(statusLabel('in_progress')).toBe('En cours')
    expect(statistics({ post_count: 12345 })).toEqual([{ key: 'post_count', label: 'Messages', value: '12\u202f345' }])
    expect(settingValue(null).text).toBe('non défini')
    expect(checkEmojiName('')).toBe('Saisissez un nom.')
    expect(checkEmojiName('smile', { builtIn: () => true })).toBe(':smile: est un emoji intégré\u00a0; choisissez un autre nom.')
    expect(useChannelsStore().label({ id: 'g', type: 'G', name: 'x', display_name: '' } as Channel)).toBe('Message de groupe')
  })
})
