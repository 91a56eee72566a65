import type { CatalogueOf } from '../../i18n'
import type en from '../en/auth'

export default {
  'auth.login.title': 'Connexion',
  'auth.login.loginId': 'E-mail ou nom d’utilisateur',
  'auth.login.password': 'Mot de passe',
  'auth.login.submit': 'Se connecter',
  'auth.login.submitting': 'Connexion…',
  'auth.login.forgot': 'Mot de passe oublié ?',
  'auth.login.createAccount': 'Créer un compte',
  'auth.login.withProvider': 'Se connecter avec {provider}',
  'auth.login.missingFields': 'Saisissez votre e-mail ou nom d’utilisateur, et votre mot de passe.',
  'auth.login.ssoFailed': 'L’authentification unique a échoué : {reason}',
  'auth.login.methodChanged': 'Votre méthode de connexion a changé : connectez-vous ci-dessous avec votre fournisseur d’identité.',
  'auth.reset.title': 'Réinitialiser votre mot de passe',
  'auth.reset.email': 'E-mail',
  'auth.reset.send': 'Envoyer le lien de réinitialisation',
  'auth.reset.sent': 'Si un compte utilise cette adresse, un lien de réinitialisation vous a été envoyé.',
  'auth.reset.newPassword': 'Nouveau mot de passe',
  'auth.reset.change': 'Changer le mot de passe',
  'auth.reset.changed': 'Votre mot de passe a été changé. Vous pouvez maintenant vous connecter avec.',
  'auth.reset.backToLogin': 'Retour à la connexion',
  'auth.signup.title': 'Créer votre compte',
  'auth.signup.joinTeam': 'Rejoindre {team}',
  'auth.signup.creationOff': 'Ce serveur ne permet pas de créer de compte ; demandez-en un à un administrateur.',
  'auth.signup.invitationOnly':
    'Ce serveur fonctionne sur invitation : ouvrez le lien d’invitation qu’un membre d’une équipe vous a envoyé, ou demandez un compte à un administrateur.',
  'auth.signup.inviteInvalid': 'Ce lien d’invitation n’est plus valide : demandez-en un nouveau.',
  'auth.signup.invitedTo': 'Une invitation vous ouvre {team} : votre compte en fera partie.',
  'auth.signup.email': 'E-mail',
  'auth.signup.username': 'Nom d’utilisateur',
  'auth.signup.password': 'Mot de passe',
  'auth.signup.passwordHint': '{count, plural, one {Au moins # caractère.} other {Au moins # caractères.}}',
  'auth.signup.invalidEmail': 'Saisissez une adresse e-mail valide.',
  'auth.signup.invalidUsername':
    'Un nom d’utilisateur compte de 3 à 22 caractères : lettres, chiffres, points, tirets ou tirets bas.',
  'auth.signup.passwordTooShort':
    '{count, plural, one {Le mot de passe doit compter au moins # caractère.} other {Le mot de passe doit compter au moins # caractères.}}',
  'auth.signup.submit': 'Créer le compte',
  'auth.signup.submitting': 'Création…',
  'auth.signup.haveAccount': 'J’ai déjà un compte',
} satisfies CatalogueOf<typeof en>
