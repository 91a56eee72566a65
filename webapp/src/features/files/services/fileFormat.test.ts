import { describe, expect, it } from 'vitest'
import { filesFrom, humanSize, isInlineImage } from './fileFormat'

describe('humanSize', () => {
  it('keeps bytes below a kilobyte', () => expect(humanSize(999)).toBe('999 B'))
  it('uses one decimal under ten units', () => expect(humanSize(1536)).toBe('1.5 KB'))
  it('rounds larger values', () => expect(humanSize(200 * 1024 * 1024)).toBe('200 MB'))
})

describe('isInlineImage', () => {
  it('shows the formats every browser decodes', () => {
    expect(isInlineImage('image/PNG')).toBe(true)
    expect(isInlineImage('image/webp')).toBe(true)
  })
  it('does not inline SVG (it can carry scripts) or other files', () => {
    expect(isInlineImage('image/svg+xml')).toBe(false)
    expect(isInlineImage('application/pdf')).toBe(false)
  })
})

describe('filesFrom', () => {
  it('keeps only files', () => {
    const file = new File(['x'], 'a.txt', { type: 'text/plain' })
    expect(filesFrom([file] as unknown as FileList)).toEqual([file])
    expect(filesFrom(null)).toEqual([])
  })
})
