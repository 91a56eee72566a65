// Français: loaded only when chosen. One file per area under fr/, each
// checked against its English area for missing or extra keys.
import type { Catalogue } from '../i18n'
import admin from './fr/admin'
import agents from './fr/agents'
import app from './fr/app'
import auth from './fr/auth'
import channels from './fr/channels'
import common from './fr/common'
import emoji from './fr/emoji'
import files from './fr/files'
import integrations from './fr/integrations'
import messages from './fr/messages'
import presence from './fr/presence'
import profiles from './fr/profiles'
import search from './fr/search'
import settings from './fr/settings'
import teams from './fr/teams'
import threads from './fr/threads'
import users from './fr/users'

const fr: Catalogue = {
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
}

export default fr
