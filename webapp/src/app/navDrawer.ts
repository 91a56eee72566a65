// The narrow (phone) layout's sidebar: an off-canvas drawer opened from the
// menu button of the view's header. The width matches the stylesheet's
// `@media (max-width: 760px)`.
import { nextTick, ref } from 'vue'

export const NARROW_LAYOUT = '(max-width: 760px)'

/** The drawer is open (only ever in the narrow layout). */
export const drawerOpen = ref(false)

let opener: HTMLElement | null = null

export function openDrawer(): void {
  opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
  drawerOpen.value = true
}

/** Closes the drawer; `returnFocus` puts focus back on the button that opened it. */
export function closeDrawer(returnFocus = false): void {
  if (!drawerOpen.value) return
  drawerOpen.value = false
  const back = opener
  opener = null
  // Once rendered: until then the view behind the drawer is inert.
  if (returnFocus) {
    void nextTick(() => {
      const target = back?.isConnected ? back : document.querySelector<HTMLElement>('.drawer-button')
      target?.focus()
    })
  }
}
