import type { CatalogueOf } from '../../i18n'
import type en from '../en/auth'

export default {
  'auth.login.title': 'Connexion',
  'auth.login.loginId': 'E-mail ou nom d’utilisateur',
  'auth.login.password': 'Mot de passe',
  'auth.login.submit': 'Se connecter',
  'auth.login.submitting': 'Connexion…',
  'auth.login.forgot': 'Mot de passe oublié ?',
  'auth.login.createAccount': 'Créer un compte',
  'auth.login.withProvider': 'Se connecter avec {provider}',
} satisfies CatalogueOf<typeof en>
