import { ref, type Ref } from 'vue'

// One shared clock for what runs out on screen (custom statuses, local
// times): a tick every 30 seconds, started by the first reader.
const now = ref(Date.now())
let timer: ReturnType<typeof setInterval> | undefined

export function tickClock(): void {
  now.value = Date.now()
}

export function useClock(): Ref<number> {
  tickClock()
  timer ??= setInterval(tickClock, 30_000)
  return now
}
