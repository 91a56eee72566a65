import type { CatalogueOf } from '../../i18n'
import type en from '../en/files'

export default {
  'files.open': 'Ouvrir {name}',
  'files.noExtension': 'FICH',
  'files.size.bytes': '{size} o',
  'files.size.kb': '{size} Ko',
  'files.size.mb': '{size} Mo',
  'files.size.gb': '{size} Go',
  'files.upload.failed': 'L’envoi a échoué ({status}).',
  'files.upload.interrupted': 'L’envoi a été interrompu.',
  'files.upload.cancelled': 'Envoi annulé.',
} satisfies CatalogueOf<typeof en>
