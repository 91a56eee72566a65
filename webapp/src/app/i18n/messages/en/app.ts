// The app's frame: skip links, the connection's state, the drawer's button,
// and the errors of a call that got no answer from the server.
export default {
  'app.skipLinks': 'Skip links',
  'app.skipToMessages': 'Skip to messages',
  'app.connecting': 'Connecting…',
  'app.offline': 'Offline: reconnecting…',
  'app.drawer': 'Channels and teams',
  'app.error.network': 'The server cannot be reached. Check your connection.',
  'app.error.status': 'The server answered {status}.',
} as const
