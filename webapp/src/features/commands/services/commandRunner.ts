// Running a slash command typed in a composer: its replies come as posts or
// ephemeral posts over the socket; what is left here is where it sends the user.
import { router } from '@/app/router'
import { followLocation, openInNewTab, type Navigator } from '@/features/integrations/services/location'
import { commandsRepository } from '../repositories/commandsRepository'

export interface CommandCall {
  channelId: string
  command: string
  rootId?: string
  /** The team the user is in, for commands typed in direct and group messages. */
  teamId?: string
}

const appNavigator: Navigator = { push: (path) => router.push(path), open: openInNewTab }

/** Runs the command; an unknown command or a refusal throws the server's message. */
export async function runCommand(call: CommandCall, nav: Navigator = appNavigator): Promise<void> {
  const outcome = await commandsRepository.execute({
    channel_id: call.channelId,
    command: call.command,
    root_id: call.rootId || undefined,
    team_id: call.teamId || undefined,
  })
  if (outcome.goto_location) followLocation(outcome.goto_location, nav)
}
