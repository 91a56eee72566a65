// The realtime connection to /api/v1/ws: authenticates with the session token,
// hands every event to the listeners, and reconnects with backoff. After any
// reconnect the listeners get `resync`, because events sent while the socket
// was down (sleep, lost network, server restart) were not seen.

export interface ServerEvent {
  type: string
  data: Record<string, unknown>
  seq?: number
}

type EventListener = (event: ServerEvent) => void
type StateListener = (state: SocketState) => void
export type SocketState = 'connecting' | 'open' | 'closed'

const PING_EVERY_MS = 25_000
const PONG_WITHIN_MS = 10_000
const MAX_BACKOFF_MS = 30_000

/** Delay before reconnect attempt `attempt` (0-based): 1 s, 2 s, 4 s … 30 s, ±20 %. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 10))
  return Math.round(base * (0.8 + 0.4 * random()))
}

export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/api/v1/ws`
}

export class RealtimeSocket {
  private ws: WebSocket | null = null
  private seq = 0
  private attempt = 0
  private everOpened = false
  private stopped = true
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  private pingTimer: ReturnType<typeof setInterval> | undefined
  private pongTimer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners = new Set<EventListener>()
  private readonly stateListeners = new Set<StateListener>()
  state: SocketState = 'closed'

  constructor(
    private readonly url: string,
    private readonly token: () => string | null,
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    window.addEventListener('online', this.reconnectNow)
    document.addEventListener('visibilitychange', this.onVisible)
    this.open()
  }

  stop(): void {
    this.stopped = true
    window.removeEventListener('online', this.reconnectNow)
    document.removeEventListener('visibilitychange', this.onVisible)
    clearTimeout(this.reconnectTimer)
    this.clearHeartbeat()
    this.ws?.close(1000)
    this.ws = null
    this.setState('closed')
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Sends an action; dropped while disconnected (typing and pings are only useful live). */
  send(action: string, data: Record<string, unknown> = {}): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return
    this.seq += 1
    this.ws.send(JSON.stringify({ seq: this.seq, action, data }))
  }

  private open(): void {
    const token = this.token()
    if (!token || this.stopped) return
    this.setState('connecting')
    const ws = new WebSocket(this.url)
    this.ws = ws
    ws.onopen = () => {
      this.seq += 1
      ws.send(JSON.stringify({ seq: this.seq, action: 'authenticate', data: { token } }))
    }
    ws.onmessage = (message) => this.receive(message.data)
    ws.onclose = () => {
      if (this.ws !== ws) return
      this.ws = null
      this.clearHeartbeat()
      this.setState('closed')
      this.scheduleReconnect()
    }
    ws.onerror = () => ws.close()
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return
    let frame: Record<string, unknown>
    try {
      frame = JSON.parse(raw)
    } catch {
      return
    }
    if ('seq_reply' in frame) {
      clearTimeout(this.pongTimer)
      return
    }
    const event = frame as unknown as ServerEvent
    if (event.type === 'hello') {
      const reconnected = this.everOpened
      this.everOpened = true
      this.attempt = 0
      this.setState('open')
      this.startHeartbeat()
      if (reconnected) this.emit({ type: 'resync', data: {} })
    }
    this.emit(event)
  }

  private emit(event: ServerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (e) {
        console.error('realtime listener failed', event.type, e)
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => this.open(), backoffDelay(this.attempt))
    this.attempt += 1
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped) return
    this.attempt = 0
    clearTimeout(this.reconnectTimer)
    // Back online: a socket from before may be silently dead; start afresh
    // without waiting for its closing handshake.
    const old = this.ws
    if (old) {
      this.ws = null
      old.onclose = null
      old.close()
      this.clearHeartbeat()
    }
    this.open()
  }

  private readonly onVisible = (): void => {
    if (document.visibilityState !== 'visible') return
    // After sleep a socket can look open while dead: a ping settles it.
    if (this.ws) this.ping()
    else if (!this.stopped) this.open()
  }

  private startHeartbeat(): void {
    this.clearHeartbeat()
    this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS)
  }

  private ping(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return
    this.send('ping')
    clearTimeout(this.pongTimer)
    const ws = this.ws
    this.pongTimer = setTimeout(() => ws.close(), PONG_WITHIN_MS)
  }

  private clearHeartbeat(): void {
    clearInterval(this.pingTimer)
    clearTimeout(this.pongTimer)
  }

  private setState(state: SocketState): void {
    if (this.state === state) return
    this.state = state
    this.stateListeners.forEach((listener) => listener(state))
  }
}
