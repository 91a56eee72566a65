// Slash commands in the composer: which text is a command, and the
// suggestion list shown while one is typed.
import type { CommandSuggestion } from '@/api/types'

/** One row of the `/` list; a hint (what the command expects) cannot be taken. */
export interface CommandChoice {
  key: string
  /** The composer's text once the row is taken. */
  insert: string
  label: string
  detail: string
  hint: boolean
}

/**
 * Whether sending the text runs a command: it starts with `/` (a message
 * starting with a space and then `/` is posted as it is, as on Mattermost).
 */
export function isSlashCommand(text: string): boolean {
  return text.startsWith('/') && text.trim().length > 1
}

/** The server's suggestions as rows of the list. */
export function toChoices(found: CommandSuggestion[]): CommandChoice[] {
  return found.map((s, i) => {
    const complete = s.complete.startsWith('/') ? s.complete : `/${s.complete}`
    if (!s.suggestion) {
      return { key: `hint:${i}`, insert: complete, label: `${complete.trim()} ${s.hint}`.trim(), detail: s.description, hint: true }
    }
    const trigger = s.suggestion.startsWith('/') ? s.suggestion : `/${s.suggestion}`
    return { key: `cmd:${trigger}`, insert: complete, label: s.hint ? `${trigger} ${s.hint}` : trigger, detail: s.description, hint: false }
  })
}

/**
 * The rows still right for `text` while its own suggestions are on their
 * way: commands it still begins, none once arguments are typed (Enter must
 * not take a command typed further than the list knows).
 */
export function keepMatching<T extends Pick<CommandChoice, 'insert'> & { hint?: boolean }>(choices: T[], text: string): T[] {
  if (/\s/.test(text)) return []
  const typed = text.toLowerCase()
  return choices.filter((c) => !c.hint && c.insert.toLowerCase().startsWith(typed))
}
