// The records of /api/v1/agents, as the server's OpenAPI document describes them.
import type { components } from '@/api/v1'

type Schemas = components['schemas']

/** What an agent says it can do, from its agent card. */
export type AgentSkill = Schemas['AgentSkill']
/** How the server authenticates to the agent; only admins are shown it. */
export type AgentAuth = Schemas['AgentAuthView']
/** An A2A agent; it takes part in the chat as its bot account (`user_id`). */
export type Agent = Schemas['AgentView']
/** `POST /api/v1/agents`: the card to read, and optionally the bot's name and the secret. */
export type NewAgent = Schemas['NewAgent']
/** `PATCH /api/v1/agents/{agent_id}`: each given field changes; `refresh` re-reads the card. */
export type AgentChange = Schemas['AgentPatch']
