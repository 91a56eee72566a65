import { describe, expect, it } from 'vitest'
import { backoffDelay, socketUrl } from './socket'

describe('reconnect backoff', () => {
  it('doubles from one second up to thirty', () => {
    const mid = () => 0.5
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })
  it('spreads clients by ±20 % so a restarted server is not hit at once', () => {
    expect(backoffDelay(0, () => 0)).toBe(800)
    expect(backoffDelay(0, () => 1)).toBe(1200)
  })
})

describe('socketUrl', () => {
  it('follows the page scheme', () => {
    expect(socketUrl({ protocol: 'https:', host: 'chat.example.com' })).toBe('wss://chat.example.com/api/v1/ws')
    expect(socketUrl({ protocol: 'http:', host: 'localhost:8065' })).toBe('ws://localhost:8065/api/v1/ws')
  })
})
