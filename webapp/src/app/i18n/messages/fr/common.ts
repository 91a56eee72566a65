import type { CatalogueOf } from '../../i18n'
import type en from '../en/common'

export default {
  'common.cancel': 'Annuler',
  'common.close': 'Fermer',
  'common.save': 'Enregistrer',
  'common.saved': 'Enregistré.',
  'common.loading': 'Chargement…',
} satisfies CatalogueOf<typeof en>
