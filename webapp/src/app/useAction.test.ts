import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { useAction } from './useAction'

describe('useAction', () => {
  it('is busy while running and clears an earlier error on success', async () => {
    const { busy, error, run } = useAction()
    error.value = 'old'
    let seenBusy = false
    const ok = await run(async () => {
      seenBusy = busy.value
    })
    expect(ok).toBe(true)
    expect(seenBusy).toBe(true)
    expect(busy.value).toBe(false)
    expect(error.value).toBe('')
  })

  it("shows the server's message when the action fails", async () => {
    const { busy, error, run } = useAction()
    const ok = await run(async () => {
      throw new ApiError(409, 'exists', 'A team with that name already exists.', 'name')
    })
    expect(ok).toBe(false)
    expect(busy.value).toBe(false)
    expect(error.value).toBe('A team with that name already exists.')
  })
})
