import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isHealthy, kindLabel, repeatWhileVisible, statistics } from './overview'

describe('the server overview', () => {
  it('lists the known statistics in order, formatted, skipping missing ones', () => {
    expect(statistics({ post_count: 12345, unique_user_count: 3, extra: 1 })).toEqual([
      { key: 'unique_user_count', label: 'Active users', value: '3' },
      { key: 'post_count', label: 'Posts', value: '12,345' },
    ])
  })

  it('calls only "ok" healthy and names the kinds', () => {
    expect(isHealthy({ status: 'ok' })).toBe(true)
    expect(isHealthy({ status: 'unreachable' })).toBe(false)
    expect(kindLabel('postgres')).toBe('PostgreSQL')
    expect(kindLabel('mystery')).toBe('mystery')
  })
})

describe('refreshing while visible', () => {
  let visibility: DocumentVisibilityState
  beforeEach(() => {
    vi.useFakeTimers()
    visibility = 'visible'
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('runs at once and every period, not while hidden, again when shown, never after stopping', () => {
    const task = vi.fn()
    const stop = repeatWhileVisible(task, 10_000)
    expect(task).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    expect(task).toHaveBeenCalledTimes(2)

    visibility = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    vi.advanceTimersByTime(30_000)
    expect(task).toHaveBeenCalledTimes(2)

    visibility = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    expect(task).toHaveBeenCalledTimes(3)
    vi.advanceTimersByTime(10_000)
    expect(task).toHaveBeenCalledTimes(4)

    stop()
    vi.advanceTimersByTime(60_000)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(task).toHaveBeenCalledTimes(4)
  })
})
