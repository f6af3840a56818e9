/** A mailbox with a display name, as `From`, `Reply-To` and `To` headers carry it. */
export interface MailAddress {
  name: string;
  address: string;
}

/** Reads `Name <addr>`, `"Name" <addr>` or a bare `addr`. */
export function parseMailAddress(text: string): MailAddress | undefined {
  const named = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (named) return { name: named[1]!.replace(/^"(.*)"$/, '$1'), address: named[2]! };
  const bare = text.trim();
  return /^[^\s<>@]+@[^\s<>@]+$/.test(bare) ? { name: '', address: bare } : undefined;
}

export function formatMailAddress({ name, address }: MailAddress): string {
  return name ? `${name} <${address}>` : address;
}
