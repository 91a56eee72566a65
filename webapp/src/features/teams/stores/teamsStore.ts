import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Team } from '@/api/types'
import { useAuthStore } from '@/features/auth'
import { slugify } from '@/app/slug'
import { teamsRepository } from '../repositories/teamsRepository'

export const useTeamsStore = defineStore('teams', () => {
  const teams = ref<Team[]>([])
  const loaded = ref(false)
  const currentName = ref('')

  const sorted = computed(() => [...teams.value].sort((a, b) => a.display_name.localeCompare(b.display_name)))
  const current = computed(() => teams.value.find((t) => t.name === currentName.value) ?? null)

  async function load(): Promise<void> {
    teams.value = await teamsRepository.mine()
    loaded.value = true
  }

  async function create(displayName: string, open = true): Promise<Team> {
    const name = slugify(displayName) || `team-${Date.now().toString(36)}`
    const team = await teamsRepository.create(name, displayName.trim(), open)
    upsert(team)
    return team
  }

  async function join(team: Team): Promise<void> {
    await teamsRepository.join(team.id, useAuthStore().myId)
    upsert(team)
  }

  function upsert(team: Team): void {
    const i = teams.value.findIndex((t) => t.id === team.id)
    if (team.delete_at) {
      if (i >= 0) teams.value.splice(i, 1)
    } else if (i >= 0) teams.value[i] = team
    else teams.value.push(team)
  }

  function remove(teamId: string): void {
    teams.value = teams.value.filter((t) => t.id !== teamId)
  }

  return { teams, sorted, loaded, current, currentName, load, create, join, upsert, remove }
})
