import { describe, expect, it } from 'vitest'
import type { Agent } from '../types'
import { agentIcon, agentName, authSummary, sortAgents } from './agents'

const agent = (id: string, display_name: string, username = id) => ({ id, user_id: id, display_name, username }) as Agent

describe('agents as shown', () => {
  it('names an agent by its card, else by its bot', () => {
    expect(agentName({ display_name: 'Travel planner', username: 'travel' })).toBe('Travel planner')
    expect(agentName({ display_name: '  ', username: 'travel' })).toBe('travel')
  })

  it('sorts by name, then id', () => {
    const list = [agent('c', 'beta'), agent('b', 'Alpha'), agent('a', 'beta'), agent('d', '', 'aardvark')]
    expect(sortAgents(list).map((a) => a.id)).toEqual(['d', 'b', 'a', 'c'])
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'a', 'd'])
  })

  it('shows the bot’s avatar, which changes with the agent', () => {
    expect(agentIcon({ user_id: 'u1', update_at: 42 })).toBe('/api/v1/users/u1/image?v=42')
    expect(agentIcon({ user_id: 'u1', update_at: 43 })).toBe('/api/v1/users/u1/image?v=43')
  })
})

describe('an agent’s authentication, for admins', () => {
  it('says the scheme, its header and whether a secret is set', () => {
    expect(authSummary(null)).toBe('')
    expect(authSummary({ scheme: 'none', header: '', has_secret: false })).toBe('None')
    expect(authSummary({ scheme: 'api_key', header: 'X-API-Key', has_secret: true })).toBe('API key in X-API-Key · secret set')
    expect(authSummary({ scheme: 'bearer', header: 'Authorization', has_secret: false })).toBe('Bearer token · no secret')
  })
})
