/** A page of a cursor listing (`{items, next_cursor}`). */
export interface CursorPage<T> {
  items: T[]
  next_cursor?: string | null
}

/**
 * Follows a cursor listing until its end or `max` records; `truncated` says
 * whether more were left.
 */
export async function collectPages<T>(
  fetchPage: (cursor?: string) => Promise<CursorPage<T>>,
  max = 1000,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await fetchPage(cursor)
    items.push(...page.items)
    cursor = page.next_cursor ?? undefined
    if (!cursor) return { items, truncated: false }
    if (items.length >= max) return { items, truncated: true }
  }
}
