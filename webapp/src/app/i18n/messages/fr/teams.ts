import type { CatalogueOf } from '../../i18n'
import type en from '../en/teams'

export default {
  'teams.create.title': 'Créer ou rejoindre une équipe',
  'teams.create.welcome': 'Bienvenue, {username}',
  'teams.create.intro': 'Une équipe réunit vos canaux et vos conversations. Créez-en une, ou rejoignez une équipe ouverte.',
  'teams.create.name': 'Nom de l’équipe',
  'teams.create.open': 'Tout le monde sur ce serveur peut la rejoindre',
  'teams.create.nameRequired': 'Donnez un nom à l’équipe.',
  'teams.create.submit': 'Créer l’équipe',
  'teams.create.openTeams': 'Équipes ouvertes',
  'teams.create.join': 'Rejoindre',
  'teams.create.back': 'Retour',
  'teams.create.logout': 'Se déconnecter',
  'teams.invite.title': 'Inviter des personnes dans {team}',
  'teams.invite.titleNoTeam': 'Inviter des personnes dans l’équipe',
  'teams.invite.link': 'Lien d’invitation',
  'teams.invite.linkHint':
    'Toute personne disposant de ce lien peut créer un compte et rejoindre cette équipe, même quand l’inscription est fermée.',
  'teams.invite.copy': 'Copier le lien',
  'teams.invite.copied': 'Copié',
  'teams.invite.regenerate': 'Nouveau lien (l’ancien cessera de fonctionner)',
  'teams.invite.notAllowed': 'Vous ne pouvez pas inviter de personnes dans cette équipe.',
  'teams.switcher.label': 'Équipes',
  'teams.switcher.add': 'Créer ou rejoindre une équipe',
} satisfies CatalogueOf<typeof en>
