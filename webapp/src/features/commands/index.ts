export { commandsRepository } from './repositories/commandsRepository'
export { isSlashCommand, keepMatching, toChoices, type CommandChoice } from './services/slashCommands'
export { runCommand } from './services/commandRunner'
