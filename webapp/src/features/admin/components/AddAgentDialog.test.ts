import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { ApiError } from '@/api/client'
import { mount, settle, type, type Mounted } from '@/app/__test__/mount'
import { agentsRepository, type Agent } from '@/features/agents'
import AddAgentDialog from './AddAgentDialog.vue'

let pinia: Pinia
let mounted: Mounted | null = null
const onClose = vi.fn()
const onAdded = vi.fn()

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  onClose.mockReset()
  onAdded.mockReset()
  mounted = mount(AddAgentDialog, { onClose, onAdded }, pinia)
})
afterEach(() => {
  mounted?.unmount()
  mounted = null
  vi.restoreAllMocks()
})

const field = (name: string) => document.querySelector(`[data-testid="add-agent-dialog"] input[name="${name}"]`) as HTMLInputElement
const q = (testid: string) => document.querySelector(`[data-testid="${testid}"]`)

async function submit(): Promise<void> {
  await settle()
  ;(q('add-agent-submit') as HTMLButtonElement).click()
  await settle()
}

describe('adding an agent', () => {
  it('sends the card address, and the name and secret only when given', async () => {
    const agent = { id: 'b1', user_id: 'b1', username: 'planner', display_name: 'Planner', skills: [] } as unknown as Agent
    const create = vi.spyOn(agentsRepository, 'create').mockResolvedValue(agent)
    expect(field('secret').type).toBe('password')
    expect((q('add-agent-submit') as HTMLButtonElement).disabled).toBe(true)
    type(field('card_url'), '  https://agents.example.com/.well-known/agent-card.json ')
    await settle()
    await submit()
    expect(create).toHaveBeenLastCalledWith({ card_url: 'https://agents.example.com/.well-known/agent-card.json' })
    expect(onAdded).toHaveBeenCalledWith(agent)

    type(field('username'), '@planner')
    type(field('secret'), 's3cret')
    await submit()
    expect(create).toHaveBeenLastCalledWith({ card_url: 'https://agents.example.com/.well-known/agent-card.json', username: 'planner', secret: 's3cret' })
  })

  it('shows the server’s refusal and keeps what was typed', async () => {
    vi.spyOn(agentsRepository, 'create')
      .mockRejectedValueOnce(new ApiError(400, 'invalid', 'not an A2A agent card: no skills'))
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'username taken', 'username'))
    type(field('card_url'), 'https://example.com/card.json')
    type(field('username'), 'taken')
    type(field('secret'), 'k')
    await submit()
    expect(q('add-agent-error')?.textContent).toBe('not an A2A agent card: no skills')
    expect([field('card_url').value, field('username').value, field('secret').value]).toEqual(['https://example.com/card.json', 'taken', 'k'])
    expect(onAdded).not.toHaveBeenCalled()
    expect(q('add-agent-dialog')).not.toBeNull()

    // A refusal naming a field shows by it instead.
    await submit()
    expect(q('field-error-username')?.textContent).toBe('username taken')
    expect(q('add-agent-error')).toBeNull()
  })
})
