export { useSearchStore } from './stores/searchStore'
export { default as SearchBox } from './components/SearchBox.vue'
export { default as SearchResults } from './components/SearchResults.vue'
