// Which suggestion list the text before the caret asks for: @user, ~channel or :emoji.

export interface Trigger {
  kind: 'user' | 'channel' | 'emoji'
  /** What was typed after the trigger character. */
  query: string
  /** Where the trigger character is in the text. */
  start: number
}

export function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret)
  const match = /(^|[\s([{])([@~:])([\w.+-]*)$/u.exec(before)
  if (!match) return null
  const [, lead = '', sigil, query = ''] = match
  const start = match.index + lead.length
  if (sigil === '@') return { kind: 'user', query, start }
  if (sigil === '~') return { kind: 'channel', query, start }
  // Emoji only after two characters, so "a:b" or a lone colon stay quiet.
  return query.length >= 2 ? { kind: 'emoji', query, start } : null
}

/** The text with the trigger replaced by the chosen completion and a space. */
export function applyCompletion(text: string, caret: number, trigger: Trigger, completion: string): { text: string; caret: number } {
  const head = text.slice(0, trigger.start) + completion + ' '
  return { text: head + text.slice(caret), caret: head.length }
}
