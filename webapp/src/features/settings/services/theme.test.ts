import { beforeEach, describe, expect, it } from 'vitest'
import { applyTheme, resolveTheme, storedTheme } from './theme'

describe('theme', () => {
  beforeEach(() => localStorage.clear())

  it('follows the system unless chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
  })

  it('remembers a choice and marks the document', () => {
    applyTheme('dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(storedTheme()).toBe('dark')
    applyTheme('system')
    expect(storedTheme()).toBe('system')
  })
})
