import { UAParser } from 'ua-parser-js';

export interface ClientDescription {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

const cache = new Map<string, ClientDescription>();

/** The operating system, client and device a User-Agent names, for sessions and logs. */
export function describeUserAgent(userAgent: string): ClientDescription {
  const cached = cache.get(userAgent);
  if (cached) return cached;
  const parsed = new UAParser(userAgent).getResult();
  const description: ClientDescription = {
    osCode: codeOf(parsed.os.name),
    osName: parsed.os.name ?? '',
    osVersion: parsed.os.version ?? '',
    clientType: parsed.browser.name ? 'browser' : userAgent === '' ? '' : 'library',
    clientCode: codeOf(parsed.browser.name),
    clientName: parsed.browser.name ?? '',
    clientVersion: parsed.browser.version ?? '',
    clientEngine: parsed.engine.name ?? '',
    clientEngineVersion: parsed.engine.version ?? '',
    deviceName: parsed.device.type ?? (parsed.os.name ? 'desktop' : ''),
    deviceBrand: parsed.device.vendor ?? '',
    deviceModel: parsed.device.model ?? '',
  };
  if (cache.size > 1000) cache.clear();
  cache.set(userAgent, description);
  return description;
}

/** A short upper-case code from a name, as the models carry one beside each name. */
function codeOf(name: string | undefined): string {
  return name ? name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase() : '';
}
