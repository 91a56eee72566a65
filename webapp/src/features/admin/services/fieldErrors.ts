import { ApiError, describeError } from '@/api/client'

/**
 * Where a form shows a refusal: by the input the server named (`field` of
 * its 400 or 409), or, for any other error, above the buttons (`field` '').
 * `aliases` maps the server's field names onto the form's.
 */
export function errorByField(
  e: unknown,
  fields: readonly string[],
  aliases: Record<string, string> = {},
): { field: string; message: string } {
  const message = describeError(e)
  if (e instanceof ApiError && e.field) {
    const field = aliases[e.field] ?? e.field
    if (fields.includes(field)) return { field, message }
  }
  return { field: '', message }
}
