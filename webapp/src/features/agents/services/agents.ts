import type { Agent } from '../types'

/** The name an agent is shown by: its card's name, else its bot's username. */
export function agentName(agent: Pick<Agent, 'display_name' | 'username'>): string {
  return agent.display_name.trim() || agent.username
}

/** Agents by name, the same way on every page. */
export function sortAgents(agents: Agent[]): Agent[] {
  return [...agents].sort((a, b) => agentName(a).localeCompare(agentName(b)) || a.id.localeCompare(b.id))
}

/**
 * The picture of an agent: its card's icon when it is an https address (the
 * page's content policy lets no other remote image in), else its bot's avatar.
 */
export function agentIcon(agent: Pick<Agent, 'icon_url' | 'user_id' | 'update_at'>): string {
  if (/^https:\/\//i.test(agent.icon_url)) return agent.icon_url
  return `/api/v1/users/${agent.user_id}/image?v=${agent.update_at}`
}
