import type { LocationQuery } from 'vue-router'

/**
 * An invitation read from a sign-up link, in Mattermost's shapes:
 * `/signup_user_complete/?id={invite_id}` (a team's link that members share)
 * or `?d={json}&t={token}` (a mailed invitation: `d` names the team and the
 * invited address, `t` is the single-use token).
 */
export type InvitationLink =
  | { kind: 'team'; inviteId: string }
  | { kind: 'email'; token: string; email: string; teamName: string; teamDisplayName: string }

function first(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v.trim() : ''
}

/** The invitation a link carries, or null for a plain sign-up page. */
export function readInvitationLink(query: LocationQuery): InvitationLink | null {
  const token = first(query.t)
  if (token) {
    let data: Record<string, unknown> = {}
    try {
      const parsed: unknown = JSON.parse(first(query.d) || '{}')
      if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>
    } catch {
      // The data only fills the form in; the server checks the token.
    }
    const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '')
    return { kind: 'email', token, email: text('email'), teamName: text('name'), teamDisplayName: text('display_name') }
  }
  const inviteId = first(query.id)
  return inviteId ? { kind: 'team', inviteId } : null
}
