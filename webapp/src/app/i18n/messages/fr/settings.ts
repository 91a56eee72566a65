import type { CatalogueOf } from '../../i18n'
import type en from '../en/settings'

export default {
  'settings.language': 'Langue',
} satisfies CatalogueOf<typeof en>
