// Notifications of new messages (with the default setting: mentions, direct
// messages and replies in followed threads), except in the channel the user is reading
// (`visible`) and in muted channels, following the "desktop" notification
// setting that applies in the channel (all, mention, none: the channel's own,
// else the user's): the browser's, or the desktop app's when it shows the page.

export interface NotifyInput {
  desktopSetting: string | undefined
  /** The channel is muted: nothing notifies, mentions included. */
  muted?: boolean
  mentioned: boolean
  direct: boolean
  /** A reply in a thread the user follows. */
  followedReply: boolean
  mine: boolean
  visible: boolean
  permission: NotificationPermission | 'unsupported'
}

export function shouldNotify(n: NotifyInput): boolean {
  if (n.mine || n.visible || n.muted || n.permission !== 'granted') return false
  const setting = n.desktopSetting || 'mention'
  if (setting === 'none') return false
  if (setting === 'all') return true
  return n.mentioned || n.direct || n.followedReply
}

export function notify(title: string, body: string, onClick: () => void): void {
  const notification = new Notification(title, { body, tag: title, silent: false })
  notification.onclick = () => {
    window.focus()
    onClick()
    notification.close()
  }
}
