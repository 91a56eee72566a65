import type { ServerEvent } from '@/realtime/socket'
import type { Team } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { useTeamsStore } from '../stores/teamsStore'

export function handleTeamEvent(event: ServerEvent): void {
  const teams = useTeamsStore()
  const me = useAuthStore().myId
  switch (event.type) {
    case 'team_updated':
    case 'team_restored':
      teams.upsert(event.data.team as Team)
      break
    case 'team_deleted':
      teams.remove((event.data.team as Team).id)
      break
    case 'team_member_added':
      if (event.data.user_id === me) void teams.load()
      break
    case 'team_member_removed':
      if (event.data.user_id === me) teams.remove(event.data.team_id as string)
      break
    case 'resync':
      void teams.load()
      break
  }
}
