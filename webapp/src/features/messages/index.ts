export { useMessagesStore } from './stores/messagesStore'
export { handleMessageEvent } from './handlers/messageEvents'
export { postsRepository } from './repositories/postsRepository'
export { default as ChannelView } from './components/ChannelView.vue'
