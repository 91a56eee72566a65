import { ApiError, api, currentToken, unwrap } from '@/api/client'
import type { components, paths } from '@/api/v1'
import { t } from '@/app/i18n/i18n'

type Schemas = components['schemas']
export type ServerOverview = Schemas['ServerOverview']
export type PartStatus = Schemas['PartStatus']
export type ShownSetting = Schemas['ShownSetting']
export type ChannelInTeam = Schemas['ChannelInTeam']
export type Job = Schemas['Job']
export type NewUser = Schemas['NewUser']
export type UsersQuery = NonNullable<paths['/api/v1/admin/users']['get']['parameters']['query']>
export type JobType = 'export_process' | 'import_process'

const user = (id: string) => ({ params: { path: { user_id: id } } })
const team = (id: string) => ({ params: { path: { team_id: id } } })
const channel = (id: string) => ({ params: { path: { channel_id: id } } })
const job = (id: string) => ({ params: { path: { job_id: id } } })

/** Where bulk files are uploaded; typed against the API's paths. */
const IMPORTS_PATH = '/api/v1/imports' satisfies keyof paths

export const adminRepository = {
  overview: () => unwrap(api.GET('/api/v1/admin/overview')),
  config: () => unwrap(api.GET('/api/v1/admin/config')),

  users: (query: UsersQuery) => unwrap(api.GET('/api/v1/admin/users', { params: { query } })),
  usersByIds: (ids: string[]) => unwrap(api.POST('/api/v1/users/ids', { body: ids })),
  createUser: (body: NewUser) => unwrap(api.POST('/api/v1/users', { body })),
  setActive: (id: string, active: boolean) =>
    unwrap(api.PUT('/api/v1/users/{user_id}/active', { ...user(id), body: { active } })),
  setPassword: (id: string, newPassword: string) =>
    unwrap(api.PUT('/api/v1/users/{user_id}/password', { ...user(id), body: { new_password: newPassword } })),
  setRoles: (id: string, roles: string) => unwrap(api.PUT('/api/v1/users/{user_id}/roles', { ...user(id), body: { roles } })),
  revokeSessions: (id: string) => unwrap(api.DELETE('/api/v1/users/{user_id}/sessions', user(id))),

  teams: (cursor?: string) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 200, cursor } } })),
  teamMembers: (id: string, cursor?: string) =>
    unwrap(api.GET('/api/v1/teams/{team_id}/members', { params: { path: { team_id: id }, query: { limit: 200, cursor } } })),
  archiveTeam: (id: string) => unwrap(api.DELETE('/api/v1/teams/{team_id}', team(id))),

  channels: (query: { term?: string; team_id?: string; include_archived?: boolean }) =>
    unwrap(api.GET('/api/v1/admin/channels', { params: { query } })),
  channelMembers: (id: string, cursor?: string) =>
    unwrap(
      api.GET('/api/v1/channels/{channel_id}/members', { params: { path: { channel_id: id }, query: { limit: 200, cursor } } }),
    ),
  archiveChannel: (id: string) => unwrap(api.DELETE('/api/v1/channels/{channel_id}', channel(id))),
  restoreChannel: (id: string) => unwrap(api.POST('/api/v1/channels/{channel_id}/restore', channel(id))),

  jobs: (type?: JobType) => unwrap(api.GET('/api/v1/jobs', { params: { query: { type, per_page: 50 } } })),
  job: (id: string) => unwrap(api.GET('/api/v1/jobs/{job_id}', job(id))),
  startJob: (type: JobType, data?: Record<string, string>) => unwrap(api.POST('/api/v1/jobs', { body: { type, data } })),
  cancelJob: (id: string) => unwrap(api.POST('/api/v1/jobs/{job_id}/cancel', job(id))),
  exports: () => unwrap(api.GET('/api/v1/exports')),
  uploadImport,
}

/** A finished export's address; the session cookie authorises the download. */
export function exportUrl(name: string): string {
  return `/api/v1/exports/${encodeURIComponent(name)}`
}

/**
 * Uploads a bulk file as the raw body, reporting the share sent (0–1);
 * XMLHttpRequest because fetch reports no upload progress. Answers the name
 * to start the import with.
 */
export function uploadImport(file: Blob, filename: string, onProgress: (done: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${IMPORTS_PATH}?filename=${encodeURIComponent(filename)}`)
    const token = currentToken()
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let body: { name?: string; code?: string; message?: string; field?: string } = {}
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // Not JSON: the status says enough.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.name) {
        onProgress(1)
        resolve(body.name)
      } else {
        reject(new ApiError(xhr.status, body.code ?? 'error', body.message ?? t('app.error.status', { status: xhr.status }), body.field))
      }
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', t('app.error.network')))
    xhr.send(file)
  })
}
