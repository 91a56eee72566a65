// Attached files: their cards and sizes.
export default {
  'files.open': 'Open {name}',
  'files.noExtension': 'FILE',
  'files.size.bytes': '{size} B',
  'files.size.kb': '{size} KB',
  'files.size.mb': '{size} MB',
  'files.size.gb': '{size} GB',
} as const
