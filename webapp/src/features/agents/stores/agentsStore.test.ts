import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ApiError } from '@/api/client'
import { deferred } from '@/app/__test__/mount'
import { agentsRepository } from '../repositories/agentsRepository'
import type { Agent } from '../types'
import { useAgentsStore } from './agentsStore'

const agent = (id: string, display_name = id, extra: Partial<Agent> = {}) =>
  ({ id, user_id: id, username: id, display_name, enabled: true, skills: [], ...extra }) as Agent

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.restoreAllMocks())

describe('the agents store', () => {
  it('loads once for the profile card, sharing the request, and finds agents by bot', async () => {
    const answer = deferred<Agent[]>()
    const list = vi.spyOn(agentsRepository, 'list').mockReturnValue(answer.promise)
    const store = useAgentsStore()
    const first = store.ensure()
    const second = store.ensure()
    answer.resolve([agent('b', 'Zed'), agent('a', 'Alpha')])
    await Promise.all([first, second])
    await store.ensure()
    expect(list).toHaveBeenCalledTimes(1)
    expect(store.agents.map((a) => a.id)).toEqual(['a', 'b'])
    expect(store.agentOf('b')?.display_name).toBe('Zed')
    expect(store.agentOf('nobody')).toBeUndefined()
  })

  it('takes a refusal as "no agents" and does not ask again', async () => {
    const list = vi.spyOn(agentsRepository, 'list').mockRejectedValue(new ApiError(403, 'forbidden', 'no'))
    const store = useAgentsStore()
    await store.ensure()
    await store.ensure()
    expect(list).toHaveBeenCalledTimes(1)
    expect(store.agents).toEqual([])
    expect(store.agentOf('a')).toBeUndefined()
  })

  it('asks again after a network failure', async () => {
    const list = vi
      .spyOn(agentsRepository, 'list')
      .mockRejectedValueOnce(new ApiError(0, 'network', 'offline'))
      .mockResolvedValueOnce([agent('a')])
    const store = useAgentsStore()
    await store.ensure()
    expect(store.loaded).toBe(false)
    expect(store.error).toBe('offline')
    await store.ensure()
    expect(list).toHaveBeenCalledTimes(2)
    expect(store.agentOf('a')).toBeDefined()
    expect(store.error).toBe('')
  })

  it('keeps the answer of the latest load only', async () => {
    const slow = deferred<Agent[]>()
    vi.spyOn(agentsRepository, 'list').mockReturnValueOnce(slow.promise).mockResolvedValueOnce([agent('new')])
    const store = useAgentsStore()
    const first = store.load()
    await store.load()
    slow.resolve([agent('old')])
    await first
    expect(store.agents.map((a) => a.id)).toEqual(['new'])
    expect(store.loading).toBe(false)
  })

  it('adds an agent in name order; a refusal is thrown and changes nothing', async () => {
    vi.spyOn(agentsRepository, 'list').mockResolvedValue([agent('a', 'Alpha'), agent('c', 'Gamma')])
    const create = vi
      .spyOn(agentsRepository, 'create')
      .mockResolvedValueOnce(agent('b', 'Beta'))
      .mockRejectedValueOnce(new ApiError(400, 'invalid', 'not an A2A agent card'))
    const store = useAgentsStore()
    await store.load()
    const body = { card_url: 'https://agents.example.com/card.json', username: 'beta' }
    expect((await store.add(body)).id).toBe('b')
    expect(create).toHaveBeenCalledWith(body)
    expect(store.agents.map((a) => a.id)).toEqual(['a', 'b', 'c'])
    await expect(store.add({ card_url: 'https://example.com/' })).rejects.toThrow('not an A2A agent card')
    expect(store.agents.map((a) => a.id)).toEqual(['a', 'b', 'c'])
  })

  it('enables, disables, refreshes and sets a secret with the right change, replacing the agent', async () => {
    vi.spyOn(agentsRepository, 'list').mockResolvedValue([agent('a')])
    const update = vi
      .spyOn(agentsRepository, 'update')
      .mockImplementation(async (id, body) => agent(id, body.refresh ? 'Renamed' : id, { enabled: body.enabled ?? true }))
    const store = useAgentsStore()
    await store.load()
    await store.setEnabled(store.agents[0]!, false)
    expect(update).toHaveBeenLastCalledWith('a', { enabled: false })
    expect(store.agents[0]?.enabled).toBe(false)
    await store.refresh(store.agents[0]!)
    expect(update).toHaveBeenLastCalledWith('a', { refresh: true })
    expect(store.agents[0]?.display_name).toBe('Renamed')
    await store.setSecret(store.agents[0]!, 'hunter2')
    expect(update).toHaveBeenLastCalledWith('a', { secret: 'hunter2' })
    expect(store.agents).toHaveLength(1)
  })

  it('removes an agent only when the server agrees', async () => {
    vi.spyOn(agentsRepository, 'list').mockResolvedValue([agent('a'), agent('b')])
    const remove = vi.spyOn(agentsRepository, 'remove').mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(undefined)
    const store = useAgentsStore()
    await store.load()
    await expect(store.remove(store.agents[0]!)).rejects.toThrow('boom')
    expect(store.agents.map((a) => a.id)).toEqual(['a', 'b'])
    await store.remove(store.agents[0]!)
    expect(remove).toHaveBeenLastCalledWith('a')
    expect(store.agents.map((a) => a.id)).toEqual(['b'])
  })
})
