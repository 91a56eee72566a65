// Test-only: mounting a component into happy-dom's document with a fresh
// Pinia, without a testing library.
import '@/features/messages/services/__test__/happyDomNodeName'
import { createApp, h, nextTick, type Component } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'

export interface Mounted {
  el: HTMLElement
  unmount(): void
}

/** Mounts `component` with `props` (pass a reactive object to change them later). */
export function mount(component: Component, props: Record<string, unknown> = {}, pinia?: Pinia): Mounted {
  const el = document.createElement('div')
  document.body.appendChild(el)
  const store = pinia ?? createPinia()
  setActivePinia(store)
  const app = createApp({ render: () => h(component, props) })
  app.use(store)
  app.mount(el)
  return {
    el,
    unmount() {
      app.unmount()
      el.remove()
    },
  }
}

/** Lets pending promises, watchers and renders run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await nextTick()
  }
}

/** A promise with its resolve and reject exposed, to hold a request open. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(e: unknown): void } {
  let resolve!: (value: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Types into an input or textarea as a user would (sets the value, fires input). */
export function type(el: Element | null, value: string): void {
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) throw new Error('not a text field')
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

/** Chooses an option of a <select>. */
export function choose(el: Element | null, value: string): void {
  if (!(el instanceof HTMLSelectElement)) throw new Error('not a select')
  el.value = value
  el.dispatchEvent(new Event('change', { bubbles: true }))
}
