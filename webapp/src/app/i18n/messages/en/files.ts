// Attached files: their cards and sizes.
export default {
  'files.open': 'Open {name}',
  'files.noExtension': 'FILE',
  'files.size.bytes': '{size} B',
  'files.size.kb': '{size} KB',
  'files.size.mb': '{size} MB',
  'files.size.gb': '{size} GB',
  'files.upload.failed': 'Upload failed ({status}).',
  'files.upload.interrupted': 'The upload was interrupted.',
  'files.upload.cancelled': 'Upload cancelled.',
} as const
