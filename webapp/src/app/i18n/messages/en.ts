// English: every key of the UI, and the text other catalogues translate.
// One file per area under en/ ("area.what" keys), so areas change apart.
// Placeholders are {name}; counts use {count, plural, one {…} other {…}}.
import admin from './en/admin'
import agents from './en/agents'
import app from './en/app'
import auth from './en/auth'
import channels from './en/channels'
import common from './en/common'
import emoji from './en/emoji'
import files from './en/files'
import integrations from './en/integrations'
import messages from './en/messages'
import presence from './en/presence'
import profiles from './en/profiles'
import search from './en/search'
import settings from './en/settings'
import teams from './en/teams'
import threads from './en/threads'
import users from './en/users'

const en = {
  ...common,
  ...admin,
  ...agents,
  ...app,
  ...auth,
  ...channels,
  ...emoji,
  ...files,
  ...integrations,
  ...messages,
  ...presence,
  ...profiles,
  ...search,
  ...settings,
  ...teams,
  ...threads,
  ...users,
} as const

export type MessageKey = keyof typeof en
export default en as Record<MessageKey, string>
