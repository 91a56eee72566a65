import { describe, expect, it } from 'vitest'
import { isSlashCommand, keepMatching, toChoices } from './slashCommands'

describe('slash commands', () => {
  it('run text that starts with a slash, not text that starts with a space', () => {
    expect(isSlashCommand('/away')).toBe(true)
    expect(isSlashCommand('/echo hi')).toBe(true)
    expect(isSlashCommand(' /echo hi')).toBe(false)
    expect(isSlashCommand('a/b')).toBe(false)
    expect(isSlashCommand('/')).toBe(false)
  })

  it('list commands with a slash, and hints as rows that cannot be taken', () => {
    const choices = toChoices([
      { complete: 'echo', suggestion: 'echo', hint: '[text]', description: 'Echo back text' },
      { complete: 'away', suggestion: 'away', hint: '', description: 'Set your status to away' },
    ])
    expect(choices).toEqual([
      { key: 'cmd:/echo', insert: '/echo', label: '/echo [text]', detail: 'Echo back text', hint: false },
      { key: 'cmd:/away', insert: '/away', label: '/away', detail: 'Set your status to away', hint: false },
    ])
    const [hint] = toChoices([{ complete: 'echo ', suggestion: '', hint: '[text]', description: 'Echo back text' }])
    expect(hint).toMatchObject({ insert: '/echo ', label: '/echo [text]', hint: true })
  })

  it('keep only the commands the text still begins while newer ones load, none once arguments are typed', () => {
    const choices = toChoices([
      { complete: 'echo', suggestion: 'echo', hint: '', description: '' },
      { complete: 'away', suggestion: 'away', hint: '', description: '' },
    ])
    expect(keepMatching(choices, '/EC').map((c) => c.insert)).toEqual(['/echo'])
    expect(keepMatching(choices, '/echo hi')).toEqual([])
  })
})
