// Short names for the API's records, all taken from the generated schema.
import type { components } from './v1'

type Schemas = components['schemas']
export type User = Schemas['User']
export type Team = Schemas['Team']
export type Channel = Schemas['Channel']
export type ChannelMember = Schemas['ChannelMember']
export type Post = Schemas['Post']
export type Reaction = Schemas['Reaction']
export type FileInfo = Schemas['FileInfo']
export type Status = Schemas['Status']
export type Preference = Schemas['Preference']
export type PublicConfig = Schemas['PublicConfig']
export type ThreadView = Schemas['ThreadView']
export type ThreadMember = Schemas['ThreadMember']
export type FollowedThreads = Schemas['FollowedThreads']
export type CommandSuggestion = Schemas['CommandSuggestion']
export type CommandOutcome = Schemas['CommandOutcome']
