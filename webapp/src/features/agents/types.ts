// The records of /api/v1/agents. Written here until the server's OpenAPI
// document describes them; then they become aliases of the generated
// schemas (src/api/types.ts) and AgentPaths goes away.

/** What an agent says it can do, from its agent card. */
export interface AgentSkill {
  id: string
  name: string
  description: string
  tags: string[]
  examples: string[]
}

/** How the server authenticates to the agent; only admins are shown it. */
export interface AgentAuth {
  scheme: 'none' | 'api_key' | 'bearer'
  /** The header the secret goes in (e.g. `X-API-Key`, `Authorization`). */
  header: string
  has_secret: boolean
}

/** An A2A agent; it takes part in the chat as its bot account (`user_id`). */
export interface Agent {
  /** The same as `user_id`. */
  id: string
  user_id: string
  username: string
  display_name: string
  description: string
  icon_url: string
  /** Empty for non-admins. */
  card_url: string
  /** Empty for non-admins. */
  endpoint_url: string
  protocol_version: '1.0' | '0.3'
  streaming: boolean
  skills: AgentSkill[]
  /** Null for non-admins. */
  auth: AgentAuth | null
  enabled: boolean
  creator_id: string
  create_at: number
  update_at: number
  /** The last failure talking to the agent; empty when none. */
  last_error: string
}

/** `POST /api/v1/agents`: the card to read, and optionally the bot's name and the secret. */
export interface NewAgent {
  card_url: string
  username?: string
  secret?: string
}

/** `PATCH /api/v1/agents/{id}`: each given field changes; `refresh` re-reads the card. */
export interface AgentChange {
  secret?: string
  enabled?: boolean
  refresh?: boolean
}

// The agents' paths in openapi-typescript's shape, so that the repository
// calls them through openapi-fetch exactly as the generated paths.
type NoParams = { query?: never; header?: never; path?: never; cookie?: never }
type ById = { query?: never; header?: never; path: { id: string }; cookie?: never }
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } }
type Empty = { headers: { [name: string]: unknown }; content?: never }
type Body<T> = { content: { 'application/json': T } }

export interface AgentPaths {
  '/api/v1/agents': {
    parameters: NoParams
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<Agent[]> } }
    post: { parameters: NoParams; requestBody: Body<NewAgent>; responses: { 201: Json<Agent> } }
  }
  '/api/v1/agents/{id}': {
    parameters: NoParams
    get: { parameters: ById; requestBody?: never; responses: { 200: Json<Agent> } }
    patch: { parameters: ById; requestBody: Body<AgentChange>; responses: { 200: Json<Agent> } }
    delete: { parameters: ById; requestBody?: never; responses: { 204: Empty } }
  }
}
