// The bodies of the integration endpoints, taken from the generated schema
// (src/api/openapi.json → v1.d.ts) under the names this feature uses.
import type { components } from '@/api/v1'

type Schemas = components['schemas']

/** `POST /api/v1/posts/{post_id}/actions/{action_id}`: what the user chose (null for nothing). */
export type PostActionRequest = Schemas['RunAction']

/** The server's answer to an action. */
export type PostActionResponse = Schemas['ActionOutcome']

/** One value of a submitted dialog: null for what was left empty. */
export type DialogSubmissionValue = string | number | boolean | null

/**
 * `POST /api/v1/actions/dialogs/submit`. The document gives `submission` as
 * a free-form object, which the generator types as `Record<string, never>`;
 * here it holds the values the form sends.
 */
export type DialogSubmission = Omit<Schemas['DialogSubmission'], 'submission'> & {
  submission: Record<string, DialogSubmissionValue>
}

/**
 * The integration's verdict on a submitted dialog. The generator makes the
 * fields with defaults required, but the server leaves out the empty ones
 * (`{}` when the integration accepted the submission).
 */
export type DialogSubmitResponse = Partial<Schemas['DialogAnswer']>
