export default {
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.saved': 'Saved.',
  'common.loading': 'Loading…',
} as const
