import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amber', 'brave', 'calm', 'clever', 'eager', 'gentle', 'golden', 'happy', 'honest', 'lively', 'lucky', 'mellow', 'nimble', 'proud', 'quiet', 'rapid', 'silver', 'steady', 'sunny', 'swift', 'tidy', 'vivid', 'witty', 'zesty'];
const NOUNS = ['badger', 'canyon', 'comet', 'falcon', 'forest', 'harbor', 'island', 'lantern', 'maple', 'meadow', 'otter', 'panda', 'pebble', 'pine', 'rabbit', 'river', 'rocket', 'sparrow', 'summit', 'tiger', 'tulip', 'valley', 'walrus', 'willow'];

/**
 * Two words shown both in the app and in the mail, so the user can tell the mail
 * answers their own request and not someone else's.
 */
export function securityPhrase(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]} ${NOUNS[randomInt(NOUNS.length)]}`;
}
