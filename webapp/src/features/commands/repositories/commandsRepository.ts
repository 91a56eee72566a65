import { api, unwrap } from '@/api/client'

export const commandsRepository = {
  /** The commands (or a command's argument hint) matching the composer's text. */
  suggestions: (teamId: string, text: string) =>
    unwrap(api.GET('/api/v1/teams/{team_id}/commands/suggestions', { params: { path: { team_id: teamId }, query: { text } } })),
  execute: (body: { channel_id: string; command: string; root_id?: string; team_id?: string }) =>
    unwrap(api.POST('/api/v1/commands/execute', { body })),
}
