// The frame around what integrations send (their own texts stay as sent).
export default {
  'integrations.attachment.image': 'Attached image',
  'integrations.dialog.title': 'Form',
  'integrations.dialog.optional': '(optional)',
  'integrations.dialog.selectOption': 'Select an option',
  'integrations.dialog.submit': 'Submit',
  'integrations.dialog.submitting': 'Submitting…',
  'integrations.dialog.required': 'This field is required.',
  'integrations.dialog.minLength': 'Minimum input length is {min}.',
  'integrations.dialog.maxLength': 'Maximum input length is {max}.',
  'integrations.dialog.invalidEmail': 'Must be a valid email address.',
  'integrations.dialog.invalidNumber': 'Must be a number.',
  'integrations.dialog.invalidUrl': 'URL must include http:// or https://.',
  'integrations.dialog.invalidOption': 'Must be a valid option.',
  'integrations.select.searching': 'Searching…',
  'integrations.select.noMatches': 'No matches',
} as const
