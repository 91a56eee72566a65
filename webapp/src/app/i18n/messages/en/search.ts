// The search box and the results panel (also used for saved and pinned messages).
export default {
  'search.box.label': 'Search messages',
  'search.box.placeholder': 'Search messages (from:user in:channel "phrase")',
  'search.mentions': 'Recent mentions',
  'search.saved': 'Saved messages',
  'search.results.label': 'Search results',
  'search.results.for': 'Results for “{terms}”',
  'search.results.close': 'Close search',
  'search.results.searching': 'Searching…',
  'search.results.none': 'Nothing found.',
} as const
