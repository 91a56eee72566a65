export { useCustomStatusStore } from './stores/customStatusStore'
export { default as UserMenu } from './components/UserMenu.vue'
export { default as ProfilePopover } from './components/ProfilePopover.vue'
export { default as CustomStatusDialog } from './components/CustomStatusDialog.vue'
