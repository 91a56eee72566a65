import { describe, expect, it } from 'vitest'
import type { Agent } from '../types'
import { agentIcon, agentName, sortAgents } from './agents'

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

  it('uses the card’s icon only over https', () => {
    const base = { user_id: 'u1', update_at: 42 }
    expect(agentIcon({ ...base, icon_url: 'https://agents.example.com/icon.png' })).toBe('https://agents.example.com/icon.png')
    expect(agentIcon({ ...base, icon_url: 'http://agents.example.com/icon.png' })).toBe('/api/v1/users/u1/image?v=42')
    expect(agentIcon({ ...base, icon_url: '' })).toBe('/api/v1/users/u1/image?v=42')
  })
})
