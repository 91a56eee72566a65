// Français.
import type { Catalogue } from '../i18n'

const fr: Catalogue = {
  'common.cancel': 'Annuler',
  'common.close': 'Fermer',
  'common.save': 'Enregistrer',
  'common.saved': 'Enregistré.',
  'common.loading': 'Chargement…',

  'auth.login.title': 'Connexion',
  'auth.login.loginId': 'E-mail ou nom d’utilisateur',
  'auth.login.password': 'Mot de passe',
  'auth.login.submit': 'Se connecter',
  'auth.login.submitting': 'Connexion…',
  'auth.login.forgot': 'Mot de passe oublié ?',
  'auth.login.createAccount': 'Créer un compte',
  'auth.login.withProvider': 'Se connecter avec {provider}',

  'settings.language': 'Langue',
}

export default fr
