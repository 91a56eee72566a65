import type { CatalogueOf } from '../../i18n'
import type en from '../en/presence'

export default {
  'presence.status.online': 'En ligne',
  'presence.status.away': 'Absent',
  'presence.status.dnd': 'Ne pas déranger',
  'presence.status.offline': 'Hors ligne',
  'presence.typing.one': '{name} est en train d’écrire…',
  'presence.typing.two': '{first} et {second} sont en train d’écrire…',
  'presence.typing.several': 'Plusieurs personnes sont en train d’écrire…',
  'presence.typing.someone': 'Quelqu’un',
} satisfies CatalogueOf<typeof en>
