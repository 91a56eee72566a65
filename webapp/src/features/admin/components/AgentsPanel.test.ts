import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { mount, settle, type Mounted } from '@/app/__test__/mount'
import { agentsRepository, type Agent } from '@/features/agents'
import AgentsPanel from './AgentsPanel.vue'

let pinia: Pinia
let mounted: Mounted | null = null

const agent = (username: string, extra: Partial<Agent> = {}) =>
  ({
    id: `id-${username}`,
    user_id: `id-${username}`,
    username,
    display_name: username.toUpperCase(),
    description: '',
    icon_url: '',
    card_url: `https://agents.example.com/${username}.json`,
    endpoint_url: '',
    protocol_version: '1.0',
    streaming: false,
    skills: [],
    auth: { scheme: 'none', header: '', has_secret: false },
    enabled: true,
    creator_id: 'root',
    create_at: 1,
    update_at: 1,
    last_error: '',
    ...extra,
  }) as Agent

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

const rows = () => [...document.querySelectorAll('[data-testid="agent-row"]')] as HTMLElement[]
const cell = (row: Element | undefined, testid: string) => row?.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim()

describe('the console’s agents page', () => {
  it('lists each agent with its protocol, streaming, skills, authentication, state and last error', async () => {
    vi.spyOn(agentsRepository, 'list').mockResolvedValue([
      agent('travel', {
        protocol_version: '0.3',
        streaming: true,
        skills: [{ id: 's', name: 'Flights', description: '', tags: [], examples: [] }],
        auth: { scheme: 'api_key', header: 'X-API-Key', has_secret: true },
        enabled: false,
        last_error: 'connection refused',
      }),
      agent('alpha'),
    ])
    mounted = mount(AgentsPanel, {}, pinia)
    await settle()
    const [alpha, travel] = rows()
    expect(rows().map((r) => r.dataset.username)).toEqual(['alpha', 'travel'])
    expect(cell(travel, 'agent-protocol')).toBe('A2A 0.3')
    expect(cell(travel, 'agent-streaming')).toBe('Yes')
    expect(cell(travel, 'agent-skills')).toBe('1 skill')
    expect(cell(travel, 'agent-auth')).toBe('API key in X-API-Key · secret set')
    expect(cell(travel, 'agent-status')).toBe('Disabled')
    expect(cell(travel, 'agent-last-error')).toBe('Last error: connection refused')
    expect(cell(alpha, 'agent-streaming')).toBe('No')
    expect(cell(alpha, 'agent-skills')).toBe('0 skills')
    expect(cell(alpha, 'agent-status')).toBe('Enabled')
    expect(alpha?.querySelector('[data-testid="agent-last-error"]')).toBeNull()
  })

  it('removes an agent only once confirmed', async () => {
    vi.spyOn(agentsRepository, 'list').mockResolvedValue([agent('alpha')])
    const remove = vi.spyOn(agentsRepository, 'remove').mockResolvedValue(undefined)
    mounted = mount(AgentsPanel, {}, pinia)
    await settle()
    const click = (selector: string) => (document.querySelector(selector) as HTMLElement).click()
    click('[data-testid="agent-actions"]')
    await settle()
    click('[data-testid="agent-action-remove"]')
    await settle()
    expect(document.querySelector('[data-testid="confirm-remove-agent"]')?.textContent).toContain('@alpha is deactivated')
    expect(remove).not.toHaveBeenCalled()
    click('[data-testid="confirm-ok"]')
    await settle()
    expect(remove).toHaveBeenCalledWith('id-alpha')
    expect(rows()).toHaveLength(0)
    expect(document.querySelector('[data-testid="agents-none"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="admin-notice"]')?.textContent).toBe('ALPHA is removed.')
  })
})
