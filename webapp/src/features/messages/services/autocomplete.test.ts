import { describe, expect, it } from 'vitest'
import { applyCompletion, findTrigger } from './autocomplete'

describe('findTrigger', () => {
  it('finds a mention being typed', () => {
    expect(findTrigger('hello @al', 9)).toEqual({ kind: 'user', query: 'al', start: 6 })
  })
  it('finds a channel at the start', () => {
    expect(findTrigger('~tow', 4)).toEqual({ kind: 'channel', query: 'tow', start: 0 })
  })
  it('needs two letters for emoji', () => {
    expect(findTrigger('nice :t', 7)).toBeNull()
    expect(findTrigger('nice :ta', 8)).toEqual({ kind: 'emoji', query: 'ta', start: 5 })
  })
  it('ignores an @ inside a word, like an e-mail address', () => {
    expect(findTrigger('mail me@example', 15)).toBeNull()
  })
  it('looks only before the caret', () => {
    expect(findTrigger('@bob and more', 13)).toBeNull()
    expect(findTrigger('@bob and more', 4)).toEqual({ kind: 'user', query: 'bob', start: 0 })
  })
})

describe('applyCompletion', () => {
  it('replaces the typed part and keeps what follows', () => {
    const trigger = { kind: 'user' as const, query: 'al', start: 3 }
    expect(applyCompletion('hi @al there', 6, trigger, '@alice')).toEqual({ text: 'hi @alice  there', caret: 10 })
  })
})
