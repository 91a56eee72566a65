import { api, unwrap } from '@/api/client'
import type { AgentChange, NewAgent } from '../types'

const byId = (agent_id: string) => ({ params: { path: { agent_id } } })

export const agentsRepository = {
  list: () => unwrap(api.GET('/api/v1/agents')),
  get: (id: string) => unwrap(api.GET('/api/v1/agents/{agent_id}', byId(id))),
  create: (body: NewAgent) => unwrap(api.POST('/api/v1/agents', { body })),
  update: (id: string, body: AgentChange) => unwrap(api.PATCH('/api/v1/agents/{agent_id}', { ...byId(id), body })),
  remove: (id: string) => unwrap(api.DELETE('/api/v1/agents/{agent_id}', byId(id))),
}
