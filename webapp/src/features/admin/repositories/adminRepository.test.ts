import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, setToken } from '@/api/client'
import { uploadImport } from './adminRepository'

/** A stand-in for XMLHttpRequest that records the request and answers when told. */
class FakeXhr {
  static last: FakeXhr
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: unknown
  status = 0
  responseText = ''
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  send(body: unknown) {
    this.body = body
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  setToken(null)
})

describe('uploading a bulk file', () => {
  it('sends the raw file with the session token, reports progress, answers the stored name', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    setToken('tok-1')
    const progress: number[] = []
    const file = new Blob(['{"type":"version","version":1}\n'])
    const done = uploadImport(file, 'my bulk.jsonl', (p) => progress.push(p))
    const xhr = FakeXhr.last
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/imports?filename=my%20bulk.jsonl')
    expect(xhr.headers.Authorization).toBe('Bearer tok-1')
    expect(xhr.body).toBe(file)
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 20 })
    xhr.answer(201, { name: 'up_my bulk.jsonl' })
    await expect(done).resolves.toBe('up_my bulk.jsonl')
    expect(progress).toEqual([0.25, 1])
  })

  it('turns a refusal into the server’s error', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const done = uploadImport(new Blob(['x']), 'a.txt', () => {})
    FakeXhr.last.answer(400, { code: 'invalid', message: 'invalid filename: must end in .zip or .jsonl', field: 'filename' })
    const error = await done.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, field: 'filename', message: 'invalid filename: must end in .zip or .jsonl' })
  })
})
