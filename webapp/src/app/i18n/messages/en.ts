// English: every key of the UI, and the text other catalogues translate.
// One file per area under en/ ("area.what" keys), so areas change apart.
// Placeholders are {name}; counts use {count, plural, one {…} other {…}}.
import auth from './en/auth'
import common from './en/common'
import settings from './en/settings'

const en = {
  ...common,
  ...auth,
  ...settings,
} as const

export type MessageKey = keyof typeof en
export default en as Record<MessageKey, string>
