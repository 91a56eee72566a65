import type { CatalogueOf } from '../../i18n'
import type en from '../en/users'

export default {
  'users.someone': 'Quelqu’un',
  'users.duration.dontClear': 'Ne pas effacer',
  'users.duration.thirtyMinutes': '30 minutes',
  'users.duration.oneHour': '1 heure',
  'users.duration.fourHours': '4 heures',
  'users.duration.today': 'Aujourd’hui',
  'users.duration.thisWeek': 'Cette semaine',
  'users.duration.dateAndTime': 'Choisir la date et l’heure',
  'users.suggested.meeting': 'En réunion',
  'users.suggested.lunch': 'Pause déjeuner',
  'users.suggested.sick': 'Malade',
  'users.suggested.home': 'En télétravail',
  'users.suggested.vacation': 'En vacances',
  'users.until.time': 'Jusqu’à {time}',
  'users.until.tomorrow': 'Jusqu’à demain {time}',
  'users.until.weekday': 'Jusqu’à {day} {time}',
  'users.until.date': 'Jusqu’au {date} {time}',
} satisfies CatalogueOf<typeof en>
