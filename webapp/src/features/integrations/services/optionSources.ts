// The choices of menus filled from the server (`data_source: "users"` or
// `"channels"`), found through the native API's user search and the team's
// channel list.
import type { Channel } from '@/api/types'
import { channelsRepository, useChannelsStore } from '@/features/channels'
import { useTeamsStore } from '@/features/teams'
import { displayName, useUsersStore, usersRepository } from '@/features/users'

export type DataSource = 'users' | 'channels'

/** One entry of a menu: what is sent (`value`) and what is shown. */
export interface Choice {
  value: string
  text: string
  detail?: string
}

export const MAX_CHOICES = 20
/** The team's channel list is read once a minute at most. */
const CHANNELS_FRESH_MS = 60_000

let channelCache: { teamId: string; at: number; list: Promise<Channel[]> } | null = null

function currentTeamId(): string {
  return useTeamsStore().current?.id ?? useChannelsStore().teamId
}

async function teamChannels(teamId: string): Promise<Channel[]> {
  const now = Date.now()
  if (!channelCache || channelCache.teamId !== teamId || now - channelCache.at > CHANNELS_FRESH_MS) {
    const list = channelsRepository.teamChannels(teamId)
    channelCache = { teamId, at: now, list }
    list.catch(() => (channelCache = null))
  }
  return channelCache.list
}

async function userChoices(term: string, teamId: string): Promise<Choice[]> {
  const found = await usersRepository.search(term.replace(/^@/, ''), teamId || undefined)
  useUsersStore().put(found)
  return found
    .filter((u) => !u.delete_at)
    .slice(0, MAX_CHOICES)
    .map((u) => {
      const name = displayName(u)
      return { value: u.id, text: u.username, detail: name !== u.username ? name : undefined }
    })
}

async function channelChoices(term: string, teamId: string): Promise<Choice[]> {
  if (!teamId) return []
  const needle = term.trim().replace(/^~/, '').toLowerCase()
  return (await teamChannels(teamId))
    .filter((c) => !c.delete_at && (c.type === 'O' || c.type === 'P'))
    .filter((c) => !needle || c.name.toLowerCase().includes(needle) || c.display_name.toLowerCase().includes(needle))
    .sort((a, b) => a.display_name.localeCompare(b.display_name))
    .slice(0, MAX_CHOICES)
    .map((c) => ({ value: c.id, text: c.display_name || c.name, detail: `~${c.name}` }))
}

/** Up to MAX_CHOICES users or channels of the current team matching what was typed. */
export function searchChoices(source: DataSource, term: string): Promise<Choice[]> {
  const teamId = currentTeamId()
  return source === 'users' ? userChoices(term, teamId) : channelChoices(term, teamId)
}

/** The label of a value chosen before (a default), when the client knows it. */
export function knownLabel(source: DataSource, value: string): string {
  if (!value) return ''
  if (source === 'users') return useUsersStore().byId.get(value)?.username ?? ''
  const channel = useChannelsStore().byId.get(value)
  return channel ? channel.display_name || channel.name : ''
}
