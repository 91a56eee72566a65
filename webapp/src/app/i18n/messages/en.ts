// English: every key of the UI, and the text other catalogues translate.
// Keys are grouped by feature ("area.what"); placeholders are {name}, and
// counts use {count, plural, one {…} other {…}}.
const en = {
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.saved': 'Saved.',
  'common.loading': 'Loading…',

  'auth.login.title': 'Log in',
  'auth.login.loginId': 'Email or username',
  'auth.login.password': 'Password',
  'auth.login.submit': 'Log in',
  'auth.login.submitting': 'Logging in…',
  'auth.login.forgot': 'Forgot your password?',
  'auth.login.createAccount': 'Create an account',
  'auth.login.withProvider': 'Sign in with {provider}',

  'settings.language': 'Language',
} as const

export type MessageKey = keyof typeof en
export default en as Record<MessageKey, string>
