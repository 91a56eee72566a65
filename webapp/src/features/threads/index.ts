export { useThreadsStore } from './stores/threadsStore'
export { useThreadListStore } from './stores/threadListStore'
export { handleThreadEvent } from './handlers/threadEvents'
export { default as ThreadPanel } from './components/ThreadPanel.vue'
