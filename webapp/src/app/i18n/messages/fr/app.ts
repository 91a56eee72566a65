import type { CatalogueOf } from '../../i18n'
import type en from '../en/app'

export default {
  'app.skipLinks': 'Liens d’évitement',
  'app.skipToMessages': 'Aller aux messages',
  'app.connecting': 'Connexion…',
  'app.offline': 'Hors ligne : reconnexion…',
  'app.drawer': 'Canaux et équipes',
  'app.error.network': 'Le serveur est injoignable. Vérifiez votre connexion.',
  'app.error.status': 'Le serveur a répondu {status}.',
} satisfies CatalogueOf<typeof en>
