// A2A agents: AI agents that take part in the chat as bot accounts.
export { useAgentsStore } from './stores/agentsStore'
export { agentsRepository } from './repositories/agentsRepository'
export { agentIcon, agentName } from './services/agents'
export type { Agent, AgentAuth, AgentSkill, NewAgent } from './types'
