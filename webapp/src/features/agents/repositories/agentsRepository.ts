import createClient from 'openapi-fetch'
import { authMiddleware, unwrap } from '@/api/client'
import type { AgentChange, AgentPaths, NewAgent } from '../types'

// The agents' calls. Their paths are not in the generated document yet, so
// they go through a client of their own, with the same session middleware;
// once they are, `agentsApi` becomes the shared `api`.
const agentsApi = createClient<AgentPaths>({ baseUrl: '' })
agentsApi.use(authMiddleware)

const byId = (id: string) => ({ params: { path: { id } } })

export const agentsRepository = {
  list: () => unwrap(agentsApi.GET('/api/v1/agents')),
  get: (id: string) => unwrap(agentsApi.GET('/api/v1/agents/{id}', byId(id))),
  create: (body: NewAgent) => unwrap(agentsApi.POST('/api/v1/agents', { body })),
  update: (id: string, body: AgentChange) => unwrap(agentsApi.PATCH('/api/v1/agents/{id}', { ...byId(id), body })),
  remove: (id: string) => unwrap(agentsApi.DELETE('/api/v1/agents/{id}', byId(id))),
}
