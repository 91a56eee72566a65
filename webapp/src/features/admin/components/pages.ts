// The console's pages, one chunk loaded with the console.
export { default as AdminConsole } from './AdminConsole.vue'
export { default as ServerStatus } from './ServerStatus.vue'
export { default as UsersPanel } from './UsersPanel.vue'
export { default as TeamsPanel } from './TeamsPanel.vue'
export { default as ChannelsPanel } from './ChannelsPanel.vue'
export { default as AgentsPanel } from './AgentsPanel.vue'
export { default as JobsPanel } from './JobsPanel.vue'
export { default as ConfigPanel } from './ConfigPanel.vue'
