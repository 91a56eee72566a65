import { ApiError, currentToken } from '@/api/client'
import type { FileInfo } from '@/api/types'
import { t } from '@/app/i18n/i18n'

export interface Upload {
  done: Promise<FileInfo>
  cancel: () => void
}

/**
 * Uploads one file to a channel. XMLHttpRequest rather than fetch: it reports
 * upload progress, which a composer shows for large files.
 */
export function uploadFile(channelId: string, file: File, onProgress: (fraction: number) => void): Upload {
  const xhr = new XMLHttpRequest()
  const done = new Promise<FileInfo>((resolve, reject) => {
    const query = new URLSearchParams({ filename: file.name || 'pasted-image.png' })
    xhr.open('POST', `/api/v1/channels/${encodeURIComponent(channelId)}/files?${query}`)
    const token = currentToken()
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // Not JSON: described by the status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as FileInfo)
      else reject(new ApiError(xhr.status, String(body.code ?? 'error'), String(body.message ?? t('files.upload.failed', { status: xhr.status }))))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', t('files.upload.interrupted')))
    xhr.onabort = () => reject(new ApiError(0, 'cancelled', t('files.upload.cancelled')))
    xhr.send(file)
  })
  return { done, cancel: () => xhr.abort() }
}

export function fileUrl(file: Pick<FileInfo, 'id'>, download = false): string {
  return `/api/v1/files/${file.id}${download ? '?download=true' : ''}`
}

export function previewUrl(file: Pick<FileInfo, 'id' | 'has_preview_image'>): string {
  return file.has_preview_image ? `/api/v1/files/${file.id}/preview` : fileUrl(file)
}
