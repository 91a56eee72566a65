import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { ApiError } from '@/api/client'
import { deferred, mount, settle, type, type Mounted } from '@/app/__test__/mount'
import { useAuthStore } from '@/features/auth'
import { useChannelsStore } from '@/features/channels'
import { commandsRepository } from '@/features/commands'
import { emojiRepository, useCustomEmojiStore } from '@/features/emoji'
import { useUsersStore } from '@/features/users'
import { postsRepository } from '../repositories/postsRepository'
import MessageComposer from './MessageComposer.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

const ECHO = { complete: 'echo', suggestion: 'echo', hint: '[text]', description: 'Echo back text' }
const AWAY = { complete: 'away', suggestion: 'away', hint: '', description: 'Set your status to away' }

let pinia: Pinia
let mounted: Mounted | null = null

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().me = { id: 'u-me', username: 'me' } as never
  useChannelsStore().teamId = 't1'
  useUsersStore().put([{ id: 'u-me', username: 'me' }] as never)
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

const q = (testid: string) => mounted?.el.querySelector(`[data-testid="${testid}"]`) ?? null
const all = (testid: string) => [...(mounted?.el.querySelectorAll(`[data-testid="${testid}"]`) ?? [])]
const input = () => q('composer-input') as HTMLTextAreaElement
const press = (key: string) => input().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))

async function open(props: Record<string, unknown> = {}): Promise<void> {
  mounted = mount(MessageComposer, { channelId: 'c1', label: 'Write to Town Square', ...props }, pinia)
  await settle()
}

describe('slash commands in the composer', () => {
  it('suggests the commands matching what is typed; Tab takes one with a space', async () => {
    const suggestions = vi.spyOn(commandsRepository, 'suggestions').mockResolvedValue([ECHO])
    await open()
    type(input(), '/ec')
    await settle()
    expect(suggestions).toHaveBeenLastCalledWith('t1', '/ec')
    expect(all('autocomplete-item').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['/echo [text] Echo back text'])
    press('Tab')
    await settle()
    expect(input().value).toBe('/echo ')
  })

  it('moves through the list with the arrows and closes it with Escape', async () => {
    vi.spyOn(commandsRepository, 'suggestions').mockResolvedValue([AWAY, ECHO])
    await open()
    type(input(), '/')
    await settle()
    expect(all('autocomplete-item').map((li) => li.getAttribute('aria-selected'))).toEqual(['true', 'false'])
    press('ArrowDown')
    await settle()
    expect(all('autocomplete-item').map((li) => li.getAttribute('aria-selected'))).toEqual(['false', 'true'])
    press('Escape')
    await settle()
    expect(q('autocomplete')).toBeNull()
  })

  it('runs the text as a command on Enter instead of posting it, and empties the composer', async () => {
    vi.spyOn(commandsRepository, 'suggestions').mockResolvedValue([{ ...ECHO, complete: 'shrug hi', suggestion: '', hint: '[message]' }])
    const execute = vi.spyOn(commandsRepository, 'execute').mockResolvedValue({ response_type: 'in_channel', goto_location: '' })
    const create = vi.spyOn(postsRepository, 'create')
    await open({ rootId: 'r1' })
    type(input(), '/shrug hi')
    await settle()
    // A hint is shown but cannot be taken: Enter sends.
    expect(all('autocomplete-hint')).toHaveLength(1)
    press('Enter')
    await settle()
    expect(execute).toHaveBeenCalledWith({ channel_id: 'c1', command: '/shrug hi', root_id: 'r1', team_id: 't1' })
    expect(create).not.toHaveBeenCalled()
    expect(input().value).toBe('')
  })

  it('sends the typed command, not a suggestion that has not caught up with the text', async () => {
    const later = deferred<never[]>()
    vi.spyOn(commandsRepository, 'suggestions').mockResolvedValueOnce([AWAY]).mockReturnValueOnce(later.promise)
    const execute = vi.spyOn(commandsRepository, 'execute').mockResolvedValue({ response_type: '', goto_location: '' })
    await open()
    type(input(), '/away')
    await settle()
    type(input(), '/away now')
    press('Enter')
    await settle()
    expect(execute).toHaveBeenCalledWith(expect.objectContaining({ command: '/away now' }))
    later.resolve([])
  })

  it('shows the server’s error by the composer and keeps the text', async () => {
    vi.spyOn(commandsRepository, 'suggestions').mockResolvedValue([])
    vi.spyOn(commandsRepository, 'execute').mockRejectedValue(
      new ApiError(404, 'command_not_found', 'there is no /nope command; to send a message that starts with /, begin it with a space'),
    )
    await open()
    type(input(), '/nope now')
    press('Enter')
    await settle()
    expect(q('composer-error')?.textContent).toContain('there is no /nope command')
    expect(input().value).toBe('/nope now')
  })

  it('posts a message that starts with a space and a slash', async () => {
    const create = vi.spyOn(postsRepository, 'create').mockImplementation(async (channelId, body) => ({ id: 'p1', channel_id: channelId, ...body }) as never)
    const execute = vi.spyOn(commandsRepository, 'execute')
    await open()
    type(input(), ' /etc/hosts is wrong')
    press('Enter')
    await settle()
    expect(execute).not.toHaveBeenCalled()
    expect(create).toHaveBeenCalledWith('c1', expect.objectContaining({ message: '/etc/hosts is wrong' }))
  })
})

describe('emoji in the composer', () => {
  it('suggests custom emoji among the built-in ones after `:`, and Tab inserts one', async () => {
    useCustomEmojiStore().put({ id: 'em1', name: 'parrot', creator_id: 'u-me', create_at: 1, update_at: 1, delete_at: 0 })
    await open()
    type(input(), 'nice :par')
    await settle()
    const rows = all('autocomplete-item')
    expect(rows.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      ':parrot: custom',
      '🥳 :partying_face:',
      '✨ :sparkles:',
      '💖 :sparkling_heart:',
    ])
    expect(rows[0]?.querySelector('img')?.getAttribute('src')).toBe('/api/v1/emoji/em1/image')
    press('Tab')
    await settle()
    expect(input().value).toBe('nice :parrot: ')
  })

  it('inserts the emoji chosen in the picker at the caret', async () => {
    useCustomEmojiStore().put({ id: 'em1', name: 'parrot', creator_id: 'u-me', create_at: 1, update_at: 1, delete_at: 0 })
    vi.spyOn(emojiRepository, 'list').mockResolvedValue([{ id: 'em1', name: 'parrot', creator_id: 'u-me', create_at: 1, update_at: 1, delete_at: 0 }])
    await open()
    type(input(), 'great')
    ;(q('composer-emoji') as HTMLButtonElement).click()
    await settle()
    ;(q('emoji-parrot') as HTMLButtonElement).click()
    await settle()
    expect(input().value).toBe('great :parrot: ')
    expect(q('emoji-picker')).toBeNull()
  })
})
