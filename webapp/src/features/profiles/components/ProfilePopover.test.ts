import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { User } from '@/api/types'
import { ApiError } from '@/api/client'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { agentsRepository, type Agent } from '@/features/agents'
import { presenceRepository } from '@/features/presence'
import { useProfileCardStore, useUsersStore } from '@/features/users'
import ProfilePopover from './ProfilePopover.vue'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))
vi.mock('vue-router', async (original) => ({ ...(await original<object>()), useRouter: () => ({ push: vi.fn() }) }))

let pinia: Pinia
let mounted: Mounted | null = null

const person = (id: string, is_bot: boolean) =>
  ({ id, username: id, first_name: '', last_name: '', nickname: '', position: '', is_bot, last_picture_update: 0, props: {} }) as unknown as User

const planner = {
  id: 'bot-1',
  user_id: 'bot-1',
  username: 'bot-1',
  display_name: 'Planner',
  description: 'Plans trips',
  enabled: true,
  skills: [
    { id: 'flights', name: 'Find flights', description: 'Searches fares', tags: ['travel', 'air'], examples: [] },
    { id: 'hotels', name: 'Book hotels', description: '', tags: [], examples: [] },
  ],
} as unknown as Agent

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  vi.spyOn(presenceRepository, 'statuses').mockResolvedValue([])
  useUsersStore().put([person('bot-1', true), person('bot-2', true), person('ann', false)])
  mounted = mount(ProfilePopover, {}, pinia)
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

const q = (testid: string) => document.querySelector(`[data-testid="${testid}"]`)
const all = (testid: string) => [...document.querySelectorAll(`[data-testid="${testid}"]`)]

async function open(userId: string): Promise<void> {
  useProfileCardStore().show(userId, null)
  await settle()
}

describe('the profile card of a bot that is an agent', () => {
  it('shows the Bot and Agent badges and the skills, asking for the agents once', async () => {
    const list = vi.spyOn(agentsRepository, 'list').mockResolvedValue([planner])
    await open('bot-1')
    expect(q('profile-bot-badge')?.textContent).toBe('Bot')
    expect(q('profile-agent-badge')?.textContent).toBe('Agent')
    expect(q('profile-agent-description')?.textContent).toBe('Plans trips')
    expect(all('profile-agent-skill').map((s) => s.getAttribute('data-skill-id'))).toEqual(['flights', 'hotels'])
    expect(all('profile-agent-skill')[0]?.textContent).toContain('Searches fares')
    expect(all('profile-agent-tag').map((c) => c.textContent)).toEqual(['travel', 'air'])

    // Another bot, not an agent: the Bot badge only, and no second request.
    useProfileCardStore().close()
    await open('bot-2')
    expect(q('profile-bot-badge')).not.toBeNull()
    expect(q('profile-agent-badge')).toBeNull()
    expect(q('profile-agent')).toBeNull()
    expect(list).toHaveBeenCalledTimes(1)
  })

  it('asks nothing for a person, and shows no badge', async () => {
    const list = vi.spyOn(agentsRepository, 'list').mockResolvedValue([planner])
    await open('ann')
    expect(q('profile-username')?.textContent).toBe('@ann')
    expect(q('profile-bot-badge')).toBeNull()
    expect(q('profile-agent-badge')).toBeNull()
    expect(list).not.toHaveBeenCalled()
  })

  it('shows a plain bot when the agents may not be listed', async () => {
    vi.spyOn(agentsRepository, 'list').mockRejectedValue(new ApiError(403, 'forbidden', 'no'))
    await open('bot-1')
    expect(q('profile-bot-badge')).not.toBeNull()
    expect(q('profile-agent-badge')).toBeNull()
    expect(document.querySelector('[data-testid="profile-popover"] [role="alert"]')).toBeNull()
  })
})
