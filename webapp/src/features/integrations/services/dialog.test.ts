import { describe, expect, it } from 'vitest'
import { checkAll, checkElement, fieldErrors, initialValues, parseOpenDialog, submissionOf, type DialogElement } from './dialog'

function element(fields: Partial<DialogElement>): DialogElement {
  return {
    name: 'x', display_name: 'X', type: 'text', subtype: '', default: '', placeholder: '', help_text: '',
    optional: false, min_length: 0, max_length: 0, data_source: '', options: [], ...fields,
  }
}

describe('parseOpenDialog', () => {
  it('reads the event, leaving out elements of unknown kinds', () => {
    const open = parseOpenDialog({
      trigger_id: 't1',
      url: 'http://hook.test/dialog',
      dialog: {
        callback_id: 'cb', title: 'Deploy', introduction_text: 'Pick', icon_url: '', submit_label: 'Go', notify_on_cancel: true, state: 's',
        elements: [
          { name: 'env', display_name: 'Environment', type: 'select', options: [{ text: 'Prod', value: 'prod' }] },
          { name: 'when', display_name: 'When', type: 'datetime' },
          { name: 'n', display_name: 'N', type: 'text', subtype: 'number', min_length: 1, max_length: 3, optional: true },
          { display_name: 'nameless', type: 'text' },
        ],
      },
    })
    expect(open?.trigger_id).toBe('t1')
    expect(open?.dialog.notify_on_cancel).toBe(true)
    expect(open?.dialog.elements.map((e) => e.name)).toEqual(['env', 'n'])
    expect(open?.dialog.elements[1]).toMatchObject({ subtype: 'number', min_length: 1, max_length: 3, optional: true })
  })

  it('refuses an event without a dialog or a URL', () => {
    expect(parseOpenDialog({ url: 'http://x' })).toBeNull()
    expect(parseOpenDialog({ dialog: {} })).toBeNull()
    expect(parseOpenDialog(null)).toBeNull()
  })
})

describe('checks', () => {
  it('requires what is not optional, a ticked box included', () => {
    expect(checkElement(element({}), '')).toBe('This field is required.')
    expect(checkElement(element({ optional: true }), '')).toBeNull()
    expect(checkElement(element({ type: 'bool' }), false)).toBe('This field is required.')
    expect(checkElement(element({ type: 'bool' }), true)).toBeNull()
  })

  it('checks lengths and subtypes', () => {
    expect(checkElement(element({ min_length: 3 }), 'ab')).toBe('Minimum input length is 3.')
    expect(checkElement(element({ max_length: 3 }), 'abcd')).toBe('Maximum input length is 3.')
    expect(checkElement(element({ type: 'textarea' }), 'x'.repeat(3001))).toBe('Maximum input length is 3000.')
    expect(checkElement(element({ subtype: 'email' }), 'nobody')).toBe('Must be a valid email address.')
    expect(checkElement(element({ subtype: 'number' }), '12a')).toBe('Must be a number.')
    expect(checkElement(element({ subtype: 'number' }), '-1.5')).toBeNull()
    expect(checkElement(element({ subtype: 'url' }), 'example.com')).toBe('URL must include http:// or https://.')
    expect(checkElement(element({ type: 'radio', options: [{ text: 'A', value: 'a' }] }), 'b')).toBe('Must be a valid option.')
  })

  it('collects every problem by element name', () => {
    const els = [element({ name: 'a' }), element({ name: 'b', optional: true }), element({ name: 'c', min_length: 2 })]
    expect(checkAll(els, { a: '', b: '', c: 'x' })).toEqual({ a: 'This field is required.', c: 'Minimum input length is 2.' })
  })
})

describe('values', () => {
  it('starts from the defaults, booleans for checkboxes', () => {
    const els = [element({ name: 'a', default: 'hi' }), element({ name: 'b', type: 'bool', default: 'True' }), element({ name: 'c', type: 'bool' })]
    expect(initialValues(els)).toEqual({ a: 'hi', b: true, c: false })
  })

  it('sends numbers for number fields and null for empty ones', () => {
    const els = [
      element({ name: 'n', subtype: 'number' }),
      element({ name: 't' }),
      element({ name: 'e' }),
      element({ name: 'b', type: 'bool' }),
      element({ name: 's', type: 'select' }),
    ]
    expect(submissionOf(els, { n: '42', t: 'hello', e: '', b: false, s: 'x' })).toEqual({ n: 42, t: 'hello', e: null, b: false, s: 'x' })
  })

  it('keeps only the server errors that name a field', () => {
    const els = [element({ name: 'a' })]
    expect(fieldErrors({ a: 'taken', zzz: 'ignored' }, els)).toEqual({ a: 'taken' })
    expect(fieldErrors({ zzz: 'ignored' }, els)).toEqual({})
    expect(fieldErrors(undefined, els)).toEqual({})
  })
})
