// Who is around, and who is typing.
export default {
  'presence.status.online': 'Online',
  'presence.status.away': 'Away',
  'presence.status.dnd': 'Do not disturb',
  'presence.status.offline': 'Offline',
  'presence.typing.one': '{name} is typing…',
  'presence.typing.two': '{first} and {second} are typing…',
  'presence.typing.several': 'Several people are typing…',
  'presence.typing.someone': 'Someone',
} as const
