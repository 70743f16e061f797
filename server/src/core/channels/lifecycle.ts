/**
 * What other domains hear about channels. Channel attributes (issue 4) clear the attributes of a
 * channel that stays empty for `emptyChannelAttributesMs` (§9.6): they start a timer on
 * `emptied` and cancel it on `occupied`. Every callback may be async; the channel service awaits
 * them in registration order and logs (never propagates) their failures.
 */
export interface ChannelLifecycleListener {
  /** The channel got its first member (it was empty, or never used). */
  occupied?(appId: string, channelId: string): void | Promise<void>;
  /** The channel's last member left, or its session ended. */
  emptied?(appId: string, channelId: string): void | Promise<void>;
}
