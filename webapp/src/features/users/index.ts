export { useUsersStore } from './stores/usersStore'
export { usersRepository, avatarUrl, displayName } from './repositories/usersRepository'
