export { useThreadsStore } from './stores/threadsStore'
export { default as ThreadPanel } from './components/ThreadPanel.vue'
