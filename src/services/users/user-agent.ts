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
    osCode: OS_CODES[parsed.os.name ?? ''] ?? codeOf(parsed.os.name),
    osName: parsed.os.name ?? '',
    osVersion: parsed.os.version ?? '',
    clientType: parsed.browser.name ? 'browser' : userAgent === '' ? '' : 'library',
    clientCode: CLIENT_CODES[parsed.browser.name ?? ''] ?? codeOf(parsed.browser.name),
    clientName: parsed.browser.name ?? '',
    clientVersion: majorMinor(parsed.browser.version),
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

/**
 * The short codes Appwrite's sessions and logs carry (those of the Matomo device detector it
 * uses) for the clients and systems met most; any other gets three letters of its name.
 */
const CLIENT_CODES: Record<string, string> = {
  Chrome: 'CH',
  'Chrome Headless': 'HC',
  'Mobile Chrome': 'CM',
  Chromium: 'CR',
  Firefox: 'FF',
  'Mobile Firefox': 'FM',
  Safari: 'SF',
  'Mobile Safari': 'MF',
  Edge: 'PS',
  Opera: 'OP',
  'Opera Mobi': 'OM',
  'Samsung Internet': 'SB',
  IE: 'IE',
  Brave: 'BR',
  Vivaldi: 'VI',
  Yandex: 'YA',
  'UC Browser': 'UC',
};

const OS_CODES: Record<string, string> = {
  Windows: 'WIN',
  macOS: 'MAC',
  'Mac OS': 'MAC',
  Linux: 'LIN',
  iOS: 'IOS',
  Android: 'AND',
  Ubuntu: 'UBT',
  Debian: 'DEB',
  Fedora: 'FED',
  'Chrome OS': 'COS',
  Chromium: 'COS',
};

/** Versions as Appwrite shows them: major and minor only (`70.0`, not `70.0.3538.77`). */
function majorMinor(version: string | undefined): string {
  if (!version) return '';
  return version.split('.').slice(0, 2).join('.');
}

/** A short upper-case code from a name, as the models carry one beside each name. */
function codeOf(name: string | undefined): string {
  return name ? name.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase() : '';
}
