// Français: loaded only when chosen. One file per area under fr/, each
// checked against its English area for missing or extra keys.
import type { Catalogue } from '../i18n'
import auth from './fr/auth'
import channels from './fr/channels'
import common from './fr/common'
import files from './fr/files'
import integrations from './fr/integrations'
import presence from './fr/presence'
import profiles from './fr/profiles'
import search from './fr/search'
import settings from './fr/settings'
import teams from './fr/teams'
import threads from './fr/threads'
import users from './fr/users'

const fr: Catalogue = {
  ...common,
  ...auth,
  ...channels,
  ...files,
  ...integrations,
  ...presence,
  ...profiles,
  ...search,
  ...settings,
  ...teams,
  ...threads,
  ...users,
}

export default fr
