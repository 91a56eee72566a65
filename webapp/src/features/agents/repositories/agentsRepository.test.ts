import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, setToken } from '@/api/client'
import type { Agent } from '../types'

// The client keeps the fetch it finds when it is made, so the stand-in must
// be in place before the repository is imported.
const { fetchMock, realFetch } = vi.hoisted(() => {
  const realFetch = globalThis.fetch
  const fetchMock = vi.fn<(request: Request) => Promise<Response>>()
  globalThis.fetch = fetchMock as unknown as typeof fetch
  return { fetchMock, realFetch }
})
const { agentsRepository } = await import('./agentsRepository')

const agent = { id: 'bot1', user_id: 'bot1', username: 'planner', skills: [] } as unknown as Agent
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

/** The one request sent, with its body read. */
async function sent(): Promise<{ method: string; path: string; auth: string | null; body: unknown }> {
  expect(fetchMock).toHaveBeenCalledTimes(1)
  const request = fetchMock.mock.calls[0]![0]
  const text = await request.text()
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    auth: request.headers.get('Authorization'),
    body: text ? JSON.parse(text) : undefined,
  }
}

beforeEach(() => fetchMock.mockReset())
afterEach(() => setToken(null))
afterAll(() => {
  globalThis.fetch = realFetch
})

describe('the agents’ calls', () => {
  it('lists the agents with the session token', async () => {
    setToken('tok-9')
    fetchMock.mockResolvedValueOnce(json(200, [agent]))
    expect(await agentsRepository.list()).toEqual([agent])
    expect(await sent()).toEqual({ method: 'GET', path: '/api/v1/agents', auth: 'Bearer tok-9', body: undefined })
  })

  it('adds one from its card address, with the optional name and secret', async () => {
    fetchMock.mockResolvedValueOnce(json(201, agent))
    const body = { card_url: 'https://agents.example.com/.well-known/agent-card.json', username: 'planner', secret: 's3' }
    expect(await agentsRepository.create(body)).toEqual(agent)
    expect(await sent()).toMatchObject({ method: 'POST', path: '/api/v1/agents', body })
  })

  it('changes one by its id', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ...agent, enabled: false }))
    expect(await agentsRepository.update('bot/1', { enabled: false })).toMatchObject({ enabled: false })
    expect(await sent()).toMatchObject({ method: 'PATCH', path: '/api/v1/agents/bot%2F1', body: { enabled: false } })
  })

  it('removes one: 204 and no body', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }))
    await expect(agentsRepository.remove('bot1')).resolves.toBeUndefined()
    expect(await sent()).toMatchObject({ method: 'DELETE', path: '/api/v1/agents/bot1' })
  })

  it('turns a refusal into an ApiError with the server’s message', async () => {
    fetchMock.mockResolvedValueOnce(json(400, { code: 'invalid', message: 'not an A2A agent card: no "url"', field: 'card_url' }))
    const error = await agentsRepository.create({ card_url: 'https://example.com/' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'invalid', field: 'card_url', message: 'not an A2A agent card: no "url"' })
  })

  it('reports 403 as such', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { code: 'forbidden', message: 'system admins only' }))
    await expect(agentsRepository.get('bot1')).rejects.toMatchObject({ status: 403, message: 'system admins only' })
  })
})
