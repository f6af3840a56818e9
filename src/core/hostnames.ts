/** `*.example.com` admits every subdomain of example.com, but not example.com itself. */
export function matchesAnyPlatform(hostname: string, platforms: readonly string[]): boolean {
  return platforms.some((platform) =>
    platform.startsWith('*.') ? hostname.endsWith(platform.slice(1)) && hostname.length > platform.length - 1 : platform === hostname,
  );
}

export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}
