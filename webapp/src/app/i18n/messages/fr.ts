// Français: loaded only when chosen. One file per area under fr/, each
// checked against its English area for missing or extra keys.
import type { Catalogue } from '../i18n'
import auth from './fr/auth'
import common from './fr/common'
import settings from './fr/settings'

const fr: Catalogue = {
  ...common,
  ...auth,
  ...settings,
}

export default fr
