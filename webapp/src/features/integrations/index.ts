import { defineAsyncComponent } from 'vue'

export { handleIntegrationEvent } from './handlers/integrationEvents'
export { useDialogStore } from './stores/dialogStore'
export { default as MessageAttachments } from './components/MessageAttachments.vue'
/** Loaded the first time an integration opens a dialog: most sessions never see one. */
export const InteractiveDialog = defineAsyncComponent(() => import('./components/InteractiveDialog.vue'))
