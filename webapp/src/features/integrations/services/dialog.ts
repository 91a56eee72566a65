// Interactive dialogs (Mattermost's `open_dialog`): reading the event, the
// form's starting values, the checks made before submitting, and the
// submission sent to the integration.
import { t } from '@/app/i18n/i18n'
import type { DialogSubmission } from '../types'
import type { ActionOption } from './attachments'

export type ElementType = 'text' | 'textarea' | 'select' | 'bool' | 'radio'
const ELEMENT_TYPES = new Set<string>(['text', 'textarea', 'select', 'bool', 'radio'])

export interface DialogElement {
  name: string
  display_name: string
  type: ElementType
  /** For `text`: email, number, password, tel, url or '' (plain text). */
  subtype: string
  default: string
  placeholder: string
  help_text: string
  optional: boolean
  min_length: number
  max_length: number
  /** For `select`: `users`, `channels` or '' (static options). */
  data_source: string
  options: ActionOption[]
}

export interface Dialog {
  callback_id: string
  title: string
  introduction_text: string
  icon_url: string
  elements: DialogElement[]
  submit_label: string
  notify_on_cancel: boolean
  state: string
}

/** The data of an `open_dialog` event. */
export interface OpenDialog {
  trigger_id: string
  url: string
  dialog: Dialog
}

/** What the form holds: text for every element but `bool`. */
export type DialogValue = string | boolean
export type DialogValues = Record<string, DialogValue>

/** Mattermost's input limits when an element sets none. */
export const TEXT_MAX_LENGTH = 150
export const TEXTAREA_MAX_LENGTH = 3000
export const TEXT_SUBTYPES = new Set(['email', 'number', 'password', 'tel', 'url'])

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '')
const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0)

function readElement(raw: unknown): DialogElement | null {
  if (!isObject(raw)) return null
  const type = str(raw.type)
  const name = str(raw.name)
  // Elements of kinds this client does not know are left out rather than shown wrong.
  if (!name || !ELEMENT_TYPES.has(type)) return null
  const options = Array.isArray(raw.options)
    ? raw.options.filter(isObject).map((o) => ({ text: str(o.text) || str(o.value), value: str(o.value) }))
    : []
  return {
    name,
    display_name: str(raw.display_name) || name,
    type: type as ElementType,
    subtype: TEXT_SUBTYPES.has(str(raw.subtype)) ? str(raw.subtype) : '',
    default: str(raw.default),
    placeholder: str(raw.placeholder),
    help_text: str(raw.help_text),
    optional: raw.optional === true,
    min_length: int(raw.min_length),
    max_length: int(raw.max_length),
    data_source: ['users', 'channels'].includes(str(raw.data_source)) ? str(raw.data_source) : '',
    options,
  }
}

/** The dialog an `open_dialog` event asks for, or null when the event is unusable. */
export function parseOpenDialog(data: unknown): OpenDialog | null {
  if (!isObject(data) || !isObject(data.dialog)) return null
  const d = data.dialog
  const url = str(data.url)
  if (!url) return null
  return {
    trigger_id: str(data.trigger_id),
    url,
    dialog: {
      callback_id: str(d.callback_id),
      title: str(d.title),
      introduction_text: str(d.introduction_text),
      icon_url: str(d.icon_url),
      elements: Array.isArray(d.elements) ? d.elements.map(readElement).filter((e): e is DialogElement => !!e) : [],
      submit_label: str(d.submit_label),
      notify_on_cancel: d.notify_on_cancel === true,
      state: str(d.state),
    },
  }
}

/** The form's values before the user changes anything: each element's default. */
export function initialValues(elements: DialogElement[]): DialogValues {
  const values: DialogValues = {}
  for (const el of elements) values[el.name] = el.type === 'bool' ? el.default.toLowerCase() === 'true' : el.default
  return values
}

/** The most an element accepts (the input's own limit). */
export function maxLengthOf(el: DialogElement): number {
  return el.max_length || (el.type === 'textarea' ? TEXTAREA_MAX_LENGTH : TEXT_MAX_LENGTH)
}

/** What is wrong with one value, as Mattermost's dialog says it (in the UI's language); null when it may be sent. */
export function checkElement(el: DialogElement, value: DialogValue | undefined): string | null {
  const empty = value === undefined || value === false || value === ''
  // A required checkbox must be ticked, as on Mattermost.
  if (empty) return el.optional ? null : t('integrations.dialog.required')
  if (typeof value === 'boolean') return null
  if (el.type === 'text' || el.type === 'textarea') {
    const length = Array.from(value).length
    if (el.min_length && length < el.min_length) return t('integrations.dialog.minLength', { min: el.min_length })
    if (length > maxLengthOf(el)) return t('integrations.dialog.maxLength', { max: maxLengthOf(el) })
    if (el.type === 'text') {
      if (el.subtype === 'email' && !value.includes('@')) return t('integrations.dialog.invalidEmail')
      if (el.subtype === 'number' && !Number.isFinite(Number(value))) return t('integrations.dialog.invalidNumber')
      if (el.subtype === 'url' && !/^https?:\/\//i.test(value.trim())) return t('integrations.dialog.invalidUrl')
    }
  }
  if (el.type === 'radio' && !el.options.some((o) => o.value === value)) return t('integrations.dialog.invalidOption')
  return null
}

/** Every element's problem, by element name (empty when the form may be sent). */
export function checkAll(elements: DialogElement[], values: DialogValues): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const el of elements) {
    const error = checkElement(el, values[el.name])
    if (error) errors[el.name] = error
  }
  return errors
}

/**
 * The submission's values: booleans for checkboxes, numbers for number
 * fields (as Mattermost's client sends them), null for what was left empty.
 */
export function submissionOf(elements: DialogElement[], values: DialogValues): DialogSubmission['submission'] {
  const out: DialogSubmission['submission'] = {}
  for (const el of elements) {
    const value = values[el.name]
    if (el.type === 'bool') out[el.name] = value === true
    else if (typeof value !== 'string' || value === '') out[el.name] = null
    else if (el.type === 'text' && el.subtype === 'number') out[el.name] = Number(value)
    else out[el.name] = value
  }
  return out
}

/**
 * The integration's field errors that name an element of the form. As on
 * Mattermost, errors naming no element do not keep the dialog open.
 */
export function fieldErrors(errors: unknown, elements: DialogElement[]): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isObject(errors)) return out
  for (const el of elements) {
    const message = str(errors[el.name])
    if (message) out[el.name] = message
  }
  return out
}
