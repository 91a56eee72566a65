import type { CatalogueOf } from '../../i18n'
import type en from '../en/integrations'

export default {
  'integrations.attachment.image': 'Image jointe',
  'integrations.dialog.title': 'Formulaire',
  'integrations.dialog.optional': '(facultatif)',
  'integrations.dialog.selectOption': 'Choisissez une option',
  'integrations.dialog.submit': 'Envoyer',
  'integrations.dialog.submitting': 'Envoi…',
  'integrations.dialog.required': 'Ce champ est obligatoire.',
  'integrations.dialog.minLength':
    '{min, plural, one {La saisie doit compter au moins # caractère.} other {La saisie doit compter au moins # caractères.}}',
  'integrations.dialog.maxLength':
    '{max, plural, one {La saisie ne doit pas dépasser # caractère.} other {La saisie ne doit pas dépasser # caractères.}}',
  'integrations.dialog.invalidEmail': 'Saisissez une adresse e-mail valide.',
  'integrations.dialog.invalidNumber': 'Saisissez un nombre.',
  'integrations.dialog.invalidUrl': 'L’URL doit commencer par http:// ou https://.',
  'integrations.dialog.invalidOption': 'Choisissez une option valide.',
  'integrations.select.searching': 'Recherche…',
  'integrations.select.noMatches': 'Aucun résultat',
} satisfies CatalogueOf<typeof en>
