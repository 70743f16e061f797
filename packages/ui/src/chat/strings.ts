/**
 * The chat UI's strings (see `RtmStrings`): plain strings, or functions where a value goes inside.
 * Override any of them with `<RtmStringsProvider strings={…}>` or a component's `strings` prop.
 */
export interface ChatStrings {
  /** Accessible name of the message textbox, for a channel or a peer. */
  readonly messageTo: (target: string) => string;
  readonly send: string;
  /** Accessible name of a channel's chat panel. */
  readonly chatIn: (channelId: string) => string;
  /** Accessible name of a one-to-one chat panel. */
  readonly chatWith: (peerId: string) => string;
  /** Accessible name of a channel's message log. */
  readonly messagesIn: (channelId: string) => string;
  /** Accessible name of a conversation's message log. */
  readonly messagesWith: (peerId: string) => string;
  /** The heading of a channel's panel. */
  readonly channelTitle: (channelId: string) => string;
  readonly topic: string;
  readonly noTopic: string;
  readonly editTopic: string;
  readonly newTopic: string;
  readonly saveTopic: string;
  readonly cancelTopic: string;
  readonly topicSetBy: (uid: string, at: Date) => string;
  readonly members: string;
  readonly memberCount: (count: number) => string;
  /** Accessible name of a channel's member list. */
  readonly membersOf: (channelId: string) => string;
  /** Label of one's own entry in a member list. */
  readonly youSuffix: string;
  /** Accessible name of a member's button when members can be opened. */
  readonly openConversation: (uid: string) => string;
  readonly onlineOnly: string;
  readonly presenceOnline: string;
  readonly presenceOffline: string;
  readonly presenceUnreachable: string;
  readonly presenceUnknown: string;
  /** The sender of one's own messages. */
  readonly you: string;
  /** The button that scrolls to the newest messages while the user reads older ones. */
  readonly newMessages: (count: number) => string;
  readonly emptyChannel: (channelId: string) => string;
  readonly emptyConversation: (peerId: string) => string;
  readonly connecting: string;
  readonly joining: (channelId: string) => string;
  readonly reconnecting: string;
  readonly offline: string;
  readonly joinFailed: (channelId: string, reason: string) => string;
  readonly loginFailed: (reason: string) => string;
  readonly tryAgain: string;
  /** Why the composer is disabled. */
  readonly composerConnecting: string;
  readonly composerJoining: (channelId: string) => string;
  readonly composerReconnecting: string;
  readonly composerOffline: string;
  readonly composerNotJoined: (channelId: string) => string;
  /** The byte counter shown near the 32 KB limit of a message. */
  readonly byteCounter: (used: number, max: number) => string;
  readonly tooLong: (used: number, max: number) => string;
  readonly sending: string;
  readonly sent: string;
  readonly failed: string;
  readonly retry: string;
  /** A peer message kept by the server for a peer who is offline (1.x `hasPeerReceived: false`). */
  readonly stored: string;
  /** A peer message sent without offline messaging to a peer who is offline. */
  readonly undelivered: (peerId: string) => string;
  /** A received peer message the server kept while this user was offline. */
  readonly receivedWhileAway: string;
  readonly today: string;
  readonly yesterday: string;
  readonly formatDay: (day: Date) => string;
  readonly formatTime: (time: Date) => string;
  readonly formatBytes: (bytes: number) => string;
  readonly rawMessage: (bytes: number, description: string) => string;
  readonly attachFile: string;
  readonly dropFiles: string;
  /** What may be attached, shown before anything is uploaded. */
  readonly attachHint: (maxBytes: number) => string;
  readonly fileTooLarge: (fileName: string, maxBytes: number) => string;
  readonly fileEmpty: (fileName: string) => string;
  readonly uploading: (fileName: string) => string;
  readonly cancelUpload: (fileName: string) => string;
  readonly uploadFailed: (fileName: string, reason: string) => string;
  readonly dismiss: string;
  readonly download: (fileName: string) => string;
  readonly downloading: (fileName: string) => string;
  readonly cancelDownload: (fileName: string) => string;
  readonly downloaded: (fileName: string) => string;
  readonly downloadFailed: (fileName: string, reason: string) => string;
  /** Alternative text of an image message's thumbnail. */
  readonly imageAlt: (fileName: string) => string;
  /** A file or image without a name. */
  readonly unnamedFile: string;
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

export const defaultChatStrings: ChatStrings = {
  messageTo: (target) => `Message ${target}`,
  send: 'Send',
  chatIn: (channelId) => `Chat in ${channelId}`,
  chatWith: (peerId) => `Chat with ${peerId}`,
  messagesIn: (channelId) => `Messages in ${channelId}`,
  messagesWith: (peerId) => `Messages with ${peerId}`,
  channelTitle: (channelId) => `#${channelId}`,
  topic: 'Topic',
  noTopic: 'No topic yet',
  editTopic: 'Edit topic',
  newTopic: 'New topic',
  saveTopic: 'Save topic',
  cancelTopic: 'Cancel',
  topicSetBy: (uid, at) => `Set by ${uid} at ${at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`,
  members: 'Members',
  memberCount: (count) => plural(count, 'member', 'members'),
  membersOf: (channelId) => `Members of ${channelId}`,
  youSuffix: '(you)',
  openConversation: (uid) => `Chat with ${uid}`,
  onlineOnly: 'Online',
  presenceOnline: 'Online',
  presenceOffline: 'Offline',
  presenceUnreachable: 'Unreachable',
  presenceUnknown: 'Status unknown',
  you: 'You',
  newMessages: (count) => plural(count, 'new message', 'new messages'),
  emptyChannel: () => 'No messages yet. Say hello!',
  emptyConversation: (peerId) => `No messages with ${peerId} yet.`,
  connecting: 'Connecting…',
  joining: (channelId) => `Joining ${channelId}…`,
  reconnecting: 'Reconnecting…',
  offline: 'You are offline.',
  joinFailed: (channelId, reason) => `Could not join ${channelId}: ${reason}`,
  loginFailed: (reason) => `Could not sign in: ${reason}`,
  tryAgain: 'Try again',
  composerConnecting: 'Connecting… You can write once connected.',
  composerJoining: (channelId) => `Joining ${channelId}… You can write once joined.`,
  composerReconnecting: 'Reconnecting… You can send again once the connection is back.',
  composerOffline: 'You are offline. Sign in again to send messages.',
  composerNotJoined: (channelId) => `You are not in ${channelId}.`,
  byteCounter: (used, max) => `${used.toLocaleString()} / ${max.toLocaleString()} bytes`,
  tooLong: (used, max) => `Too long to send: ${used.toLocaleString()} of at most ${max.toLocaleString()} bytes.`,
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  retry: 'Retry',
  stored: 'Stored for later delivery',
  undelivered: (peerId) => `Not delivered: ${peerId} is offline`,
  receivedWhileAway: 'Sent while you were away',
  today: 'Today',
  yesterday: 'Yesterday',
  formatDay: (day) => day.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
  formatTime: (time) => time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
  formatBytes,
  rawMessage: (bytes, description) => (description === '' ? `Binary message (${formatBytes(bytes)})` : description),
  attachFile: 'Attach file',
  dropFiles: 'Drop files to send them',
  attachHint: (maxBytes) => `Files and images up to ${formatBytes(maxBytes)}`,
  fileTooLarge: (fileName, maxBytes) => `${fileName} was not sent: files can be at most ${formatBytes(maxBytes)}.`,
  fileEmpty: (fileName) => `${fileName} was not sent: the file is empty.`,
  uploading: (fileName) => `Uploading ${fileName}`,
  cancelUpload: (fileName) => `Cancel upload of ${fileName}`,
  uploadFailed: (fileName, reason) => `${fileName} was not sent: ${reason}`,
  dismiss: 'Dismiss',
  download: (fileName) => `Download ${fileName}`,
  downloading: (fileName) => `Downloading ${fileName}`,
  cancelDownload: (fileName) => `Cancel download of ${fileName}`,
  downloaded: (fileName) => `${fileName} downloaded`,
  downloadFailed: (fileName, reason) => `Could not download ${fileName}: ${reason}`,
  imageAlt: (fileName) => `Image ${fileName}`,
  unnamedFile: 'file',
};
