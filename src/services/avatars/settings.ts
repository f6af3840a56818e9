/** Limits on what avatars fetch from user-given URLs. */
export interface AvatarSettings {
  /** PLINTH_ALLOW_PRIVATE_URLS: user-given URLs may reach private, loopback and link-local addresses. */
  allowPrivateUrls: boolean;
  /** A remote image or favicon larger than this is refused. */
  maxRemoteBytes: number;
  /** For one remote fetch, redirects included. */
  remoteTimeoutMs: number;
  /** Where headless Chromium is, for screenshots; unset: screenshots are refused. */
  chromiumPath: string | undefined;
}

export const DEFAULT_AVATAR_SETTINGS: AvatarSettings = {
  allowPrivateUrls: false,
  maxRemoteBytes: 10 * 1024 * 1024,
  remoteTimeoutMs: 10_000,
  chromiumPath: undefined,
};
