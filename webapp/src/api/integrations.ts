// Hand-written types for the integration endpoints of the native API, which
// the server's OpenAPI document (openapi.json → v1.d.ts) does not describe
// yet. They follow the generated `paths` shape, so when the document gains
// these routes: delete this module, import `api` from './client' instead of
// `integrationsApi`, and take the body types from `components['schemas']`.
// Nothing else has to change.
import createClient from 'openapi-fetch'
import { authMiddleware } from './client'

/** `POST /api/v1/posts/{post_id}/actions/{action_id}`: what the user chose. */
export interface PostActionRequest {
  /** The option picked from a menu. */
  selected_option?: string
  /** The action's cookie, on posts the server does not store (ephemeral ones). */
  cookie?: string
}

/** The server's answer to an action. */
export interface PostActionResponse {
  trigger_id: string
  /** Where to send the user: a page of this site or an outside link ('' for nowhere). */
  goto_location: string
}

/** `POST /api/v1/actions/dialogs/submit`. */
export interface DialogSubmission {
  url: string
  callback_id: string
  state: string
  channel_id: string
  team_id: string
  submission: Record<string, string | number | boolean | null>
  cancelled: boolean
}

/** The integration's verdict on a submitted dialog. */
export interface DialogSubmitResponse {
  /** A message for the whole form. */
  error?: string
  /** Field name → message. */
  errors?: Record<string, string>
  /** A message for the user once the dialog is done. */
  text?: string
}

interface ErrorBody {
  code: string
  message: string
  field?: string
}

type NoParams = { query?: never; header?: never; path?: never; cookie?: never }
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } }
type Unused = {
  get?: never
  put?: never
  delete?: never
  options?: never
  head?: never
  patch?: never
  trace?: never
}

export interface IntegrationPaths {
  '/api/v1/posts/{post_id}/actions/{action_id}': Unused & {
    parameters: NoParams
    post: {
      parameters: { query?: never; header?: never; path: { post_id: string; action_id: string }; cookie?: never }
      requestBody: { content: { 'application/json': PostActionRequest } }
      responses: { 200: Json<PostActionResponse>; default: Json<ErrorBody> }
    }
  }
  '/api/v1/actions/dialogs/submit': Unused & {
    parameters: NoParams
    post: {
      parameters: NoParams
      requestBody: { content: { 'application/json': DialogSubmission } }
      responses: { 200: Json<DialogSubmitResponse>; default: Json<ErrorBody> }
    }
  }
}

export const integrationsApi = createClient<IntegrationPaths>({ baseUrl: '' })
integrationsApi.use(authMiddleware)
