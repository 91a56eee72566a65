export default {
  'auth.login.title': 'Log in',
  'auth.login.loginId': 'Email or username',
  'auth.login.password': 'Password',
  'auth.login.submit': 'Log in',
  'auth.login.submitting': 'Logging in…',
  'auth.login.forgot': 'Forgot your password?',
  'auth.login.createAccount': 'Create an account',
  'auth.login.withProvider': 'Sign in with {provider}',
} as const
