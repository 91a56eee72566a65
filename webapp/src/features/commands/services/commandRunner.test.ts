import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { commandsRepository } from '../repositories/commandsRepository'
import { runCommand } from './commandRunner'

vi.mock('@/app/router', () => ({ router: { push: vi.fn() } }))

afterEach(() => vi.restoreAllMocks())

describe('running a command', () => {
  const nav = () => ({ push: vi.fn(), open: vi.fn() })

  it('sends the channel, thread and team with the text', async () => {
    const execute = vi.spyOn(commandsRepository, 'execute').mockResolvedValue({ response_type: 'ephemeral', goto_location: '' })
    const n = nav()
    await runCommand({ channelId: 'c1', command: '/echo hi', rootId: 'r1', teamId: 't1' }, n)
    expect(execute).toHaveBeenCalledWith({ channel_id: 'c1', command: '/echo hi', root_id: 'r1', team_id: 't1' })
    expect(n.push).not.toHaveBeenCalled()
    expect(n.open).not.toHaveBeenCalled()
  })

  it('goes where the command says: this site in the app, another in a new tab', async () => {
    const execute = vi.spyOn(commandsRepository, 'execute')
    const n = nav()
    execute.mockResolvedValueOnce({ response_type: '', goto_location: `${window.location.origin}/e2e/channels/planning` })
    await runCommand({ channelId: 'c1', command: '/join ~planning' }, n)
    expect(n.push).toHaveBeenCalledWith('/e2e/channels/planning')
    execute.mockResolvedValueOnce({ response_type: '', goto_location: 'https://example.com/help' })
    await runCommand({ channelId: 'c1', command: '/help' }, n)
    expect(n.open).toHaveBeenCalledWith('https://example.com/help')
  })

  it('passes the server’s refusal on', async () => {
    vi.spyOn(commandsRepository, 'execute').mockRejectedValue(new ApiError(404, 'command_not_found', 'there is no /nope command'))
    await expect(runCommand({ channelId: 'c1', command: '/nope' }, nav())).rejects.toThrow('there is no /nope command')
  })
})
