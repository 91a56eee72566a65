import { t } from '@/app/i18n/i18n'
import type { Agent, AgentAuth } from '../types'

/** The name an agent is shown by: its card's name, else its bot's username. */
export function agentName(agent: Pick<Agent, 'display_name' | 'username'>): string {
  return agent.display_name.trim() || agent.username
}

/** Agents by name, the same way on every page. */
export function sortAgents(agents: Agent[]): Agent[] {
  return [...agents].sort((a, b) => agentName(a).localeCompare(agentName(b)) || a.id.localeCompare(b.id))
}

/**
 * The picture of an agent: its bot's avatar, which the server made from the
 * card's icon. The icon's own address is never loaded, so viewers' browsers
 * do not call the agent's host.
 */
export function agentIcon(agent: Pick<Agent, 'user_id' | 'update_at'>): string {
  return `/api/v1/users/${agent.user_id}/image?v=${agent.update_at}`
}

/** How the server signs in to the agent, for admins: scheme, header, whether a secret is set. */
export function authSummary(auth: AgentAuth | null): string {
  if (!auth) return ''
  if (auth.scheme === 'none') return t('agents.auth.none')
  const scheme = auth.scheme === 'api_key' ? t('agents.auth.apiKey', { header: auth.header }) : t('agents.auth.bearer')
  return `${scheme} · ${t(auth.has_secret ? 'agents.auth.secretSet' : 'agents.auth.secretMissing')}`
}
