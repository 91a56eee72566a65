// A2A agents: AI agents that take part in the chat as bot accounts.
export { useAgentsStore } from './stores/agentsStore'
export { agentsRepository } from './repositories/agentsRepository'
export { agentIcon, agentName, authSummary } from './services/agents'
export type { Agent, AgentAuth, AgentSkill, NewAgent } from './types'
export { default as AgentSkills } from './components/AgentSkills.vue'
