import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, describeError } from '@/api/client'
import { agentsRepository } from '../repositories/agentsRepository'
import { sortAgents } from '../services/agents'
import type { Agent, AgentChange, NewAgent } from '../types'

// The server's A2A agents. The profile card asks for them once (`ensure`)
// and keeps the answer; the system console reloads them (`load`) and changes
// them, so both see the same list.
export const useAgentsStore = defineStore('agents', () => {
  const agents = ref<Agent[]>([])
  /** Whether the list is known (a refusal counts: there is nothing to show). */
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref('')
  let pending: Promise<void> | null = null
  /** Each load's number: an answer older than the latest is dropped. */
  let loads = 0

  const byUserId = computed(() => new Map(agents.value.map((a) => [a.user_id, a])))

  /** The agent whose bot is `userId`, if any. */
  function agentOf(userId: string): Agent | undefined {
    return byUserId.value.get(userId)
  }

  /** Asks the server for the list; `error` holds why it failed (never thrown). */
  async function load(): Promise<void> {
    const mine = ++loads
    loading.value = true
    error.value = ''
    try {
      const list = await agentsRepository.list()
      if (mine !== loads) return
      agents.value = sortAgents(list)
      loaded.value = true
    } catch (e) {
      if (mine !== loads) return
      error.value = describeError(e)
      // A refusal or a server without agents will answer the same next time;
      // a network failure may not, so only that one is asked again.
      if (e instanceof ApiError && e.status >= 400) loaded.value = true
    } finally {
      if (mine === loads) loading.value = false
    }
  }

  /** Loads the list once; concurrent calls share the request. */
  function ensure(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    pending ??= load().finally(() => (pending = null))
    return pending
  }

  function put(agent: Agent): Agent {
    agents.value = sortAgents([...agents.value.filter((a) => a.id !== agent.id), agent])
    return agent
  }

  const change = async (agent: Agent, body: AgentChange) => put(await agentsRepository.update(agent.id, body))

  return {
    agents,
    loaded,
    loading,
    error,
    agentOf,
    load,
    ensure,
    /** Adds an agent from its card's address; the server's refusal is thrown. */
    add: async (body: NewAgent) => put(await agentsRepository.create(body)),
    setEnabled: (agent: Agent, enabled: boolean) => change(agent, { enabled }),
    /** Reads the agent's card again (name, skills, streaming…). */
    refresh: (agent: Agent) => change(agent, { refresh: true }),
    setSecret: (agent: Agent, secret: string) => change(agent, { secret }),
    async remove(agent: Agent): Promise<void> {
      await agentsRepository.remove(agent.id)
      agents.value = agents.value.filter((a) => a.id !== agent.id)
    },
  }
})
