// The typed client of the native API. Paths, bodies and answers come from the
// server's OpenAPI document (src/api/openapi.json → v1.d.ts), never retyped here.
import createClient, { type Middleware } from 'openapi-fetch'
import { t } from '@/app/i18n/i18n'
import type { paths } from './v1'

/** An error answer of the API: `{code, message, field?}` plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const TOKEN_KEY = 'rustchat.token'
let token: string | null = readStoredToken()
const unauthorizedListeners = new Set<() => void>()

function readStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

export function currentToken(): string | null {
  return token
}

export function setToken(value: string | null): void {
  token = value
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value)
    else localStorage.removeItem(TOKEN_KEY)
  } catch {
    // Private mode without storage: the session lasts for this tab only.
  }
}

/** Called when the server answers 401 to a signed-in request (session revoked or expired). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/** Adds the session token and reports 401s; shared by every client of the API. */
export const authMiddleware: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`)
    return request
  },
  onResponse({ response, request }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      unauthorizedListeners.forEach((listener) => listener())
    }
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(authMiddleware)

interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The data of an answer, or an ApiError carrying the server's message. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>
  try {
    answer = await call
  } catch (e) {
    throw new ApiError(0, 'network', t('app.error.network'))
  }
  if (answer.response.ok) return answer.data as T
  const body = (answer.error ?? {}) as { code?: string; message?: string; field?: string }
  throw new ApiError(
    answer.response.status,
    body.code ?? 'error',
    body.message ?? t('app.error.status', { status: answer.response.status }),
    body.field,
  )
}

/** A readable message for any error thrown by a call. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}
