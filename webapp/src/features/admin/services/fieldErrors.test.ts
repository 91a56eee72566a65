import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { errorByField } from './fieldErrors'

describe('errors by field', () => {
  it('puts a refusal by the field the server names', () => {
    const e = new ApiError(400, 'invalid', 'invalid password: must be at least 8 characters', 'password')
    expect(errorByField(e, ['username', 'password'])).toEqual({ field: 'password', message: e.message })
  })

  it('maps the server’s field names onto the form’s', () => {
    const e = new ApiError(400, 'invalid', 'too short', 'password')
    expect(errorByField(e, ['new_password'], { password: 'new_password' }).field).toBe('new_password')
  })

  it('keeps other errors for the whole form', () => {
    expect(errorByField(new ApiError(400, 'invalid', 'bad locale', 'locale'), ['username'])).toEqual({ field: '', message: 'bad locale' })
    expect(errorByField(new ApiError(403, 'forbidden', 'no'), ['username']).field).toBe('')
    expect(errorByField(new Error('offline'), ['username'])).toEqual({ field: '', message: 'offline' })
  })
})
