export default {
  'settings.language': 'Language',
} as const
