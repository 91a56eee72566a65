import { describe, expect, it } from 'vitest'
import { attachmentsOf, barColor, buttonLook, fieldRows, footerText, httpUrl, MAX_FOOTER_LENGTH, type AttachmentField } from './attachments'

const field = (title: string, short: boolean): AttachmentField => ({ title, value: title, short })

describe('attachmentsOf', () => {
  it('reads the attachments of a post, skipping what is malformed', () => {
    const list = attachmentsOf({
      attachments: [
        { fallback: 'plain', color: '#ff0000', title: 'Build', fields: [{ title: 'Branch', value: 'main', short: true }, 'junk', { short: true }], actions: [
          { id: 'go', name: 'Go', style: 'danger' },
          { id: 'pick', name: 'Pick', type: 'select', options: [{ text: 'A', value: 'a' }, 7] },
          { name: 'no id' },
          { id: 'no-name' },
        ] },
        'not an attachment',
        null,
        { text: 42 },
      ],
    })
    expect(list).toHaveLength(2)
    const [a, b] = list
    expect(a?.title).toBe('Build')
    expect(a?.fields).toEqual([{ title: 'Branch', value: 'main', short: true }])
    expect(a?.actions.map((x) => [x.id, x.type])).toEqual([['go', 'button'], ['pick', 'select']])
    expect(a?.actions[1]?.options).toEqual([{ text: 'A', value: 'a' }])
    expect(a).not.toHaveProperty('fallback')
    expect(b?.text).toBe('42')
  })

  it('answers nothing for props without attachments', () => {
    expect(attachmentsOf({})).toEqual([])
    expect(attachmentsOf({ attachments: 'x' })).toEqual([])
    expect(attachmentsOf(null)).toEqual([])
  })
})

describe('fieldRows', () => {
  it('puts short fields two to a row and long ones alone', () => {
    const rows = fieldRows([field('a', true), field('b', true), field('c', true), field('d', false), field('e', true), field('f', true)])
    expect(rows.map((r) => r.map((f) => f.title).join(''))).toEqual(['ab', 'c', 'd', 'ef'])
  })

  it('never pairs a short field with a long one', () => {
    const rows = fieldRows([field('a', false), field('b', true), field('c', false)])
    expect(rows.map((r) => r.map((f) => f.title).join(''))).toEqual(['a', 'b', 'c'])
  })
})

describe('colours', () => {
  it('takes hex colours and the named ones, and nothing else', () => {
    expect(barColor('#AbC')).toBe('#AbC')
    expect(barColor('#00ff00')).toBe('#00ff00')
    expect(barColor('good')).toBe('#00c100')
    expect(barColor('warning')).toBe('#dede01')
    expect(barColor('danger')).toBe('#e40303')
    expect(barColor('red; background: url(x)')).toBe('')
    expect(barColor('#12345')).toBe('')
  })

  it('paints buttons by style name or hex colour, primary by default', () => {
    expect(buttonLook('danger')).toEqual({ name: 'danger' })
    expect(buttonLook('SUCCESS')).toEqual({ name: 'success' })
    expect(buttonLook('')).toEqual({ name: 'primary' })
    expect(buttonLook('sparkly')).toEqual({ name: 'primary' })
    expect(buttonLook('#ffffff')).toEqual({ background: '#ffffff', color: '#000000' })
    expect(buttonLook('#123')).toEqual({ background: '#123', color: '#ffffff' })
  })
})

describe('httpUrl', () => {
  it('keeps absolute http(s) URLs only', () => {
    expect(httpUrl('https://ci.example.com/build/1')).toBe('https://ci.example.com/build/1')
    expect(httpUrl(' http://x.test ')).toBe('http://x.test/')
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,hi', '//evil.test', '/relative', 'vbscript:x', '']) {
      expect(httpUrl(bad), bad).toBe('')
    }
  })
})

describe('footerText', () => {
  it('cuts long footers with an ellipsis', () => {
    expect(footerText('short')).toBe('short')
    const cut = footerText('x'.repeat(400))
    expect(Array.from(cut)).toHaveLength(MAX_FOOTER_LENGTH)
    expect(cut.endsWith('…')).toBe(true)
  })
})
