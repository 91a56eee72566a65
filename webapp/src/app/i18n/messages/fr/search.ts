import type { CatalogueOf } from '../../i18n'
import type en from '../en/search'

export default {
  'search.box.label': 'Rechercher des messages',
  'search.box.placeholder': 'Rechercher des messages (from:utilisateur in:canal "expression")',
  'search.mentions': 'Mentions récentes',
  'search.saved': 'Messages enregistrés',
  'search.results.label': 'Résultats de recherche',
  'search.results.for': 'Résultats pour « {terms} »',
  'search.results.close': 'Fermer la recherche',
  'search.results.searching': 'Recherche…',
  'search.results.none': 'Aucun résultat.',
} satisfies CatalogueOf<typeof en>
