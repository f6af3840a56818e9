/** The channels the inspector offers with a click; any other can be typed. */
export const REALTIME_PRESETS = [
  { channel: 'rows', label: 'Rows of every table' },
  { channel: 'documents', label: 'Documents of every collection' },
  { channel: 'files', label: 'Files of every bucket' },
  { channel: 'executions', label: 'Function executions' },
  { channel: 'account', label: 'The signed-in account' },
];

/** One event as the inspector lists it. */
export interface RealtimeEntry {
  id: number;
  at: Date;
  events: string[];
  channels: string[];
  payload: unknown;
}

export function splitChannels(text: string): string[] {
  return text
    .split(',')
    .map((channel) => channel.trim())
    .filter(Boolean);
}
