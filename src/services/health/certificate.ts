import { connect, type PeerCertificate } from 'node:tls';
import { AppError } from '../../core/errors.js';

export interface CertificateHealth {
  name: string;
  subjectSN: string;
  issuerOrganisation: string;
  /** Unix seconds, as text. */
  validFrom: string;
  validTo: string;
  signatureTypeSN: string;
}

const TIMEOUT_MS = 5000;

/** `example.com` or `example.com:8443`; the port defaults to 443. */
export function parseDomain(domain: string): { host: string; port: number } | undefined {
  const match = /^([a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(domain.trim());
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? 443 : Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1].replace(/^\[|\]$/g, ''), port } : undefined;
}

function fetchCertificate(host: string, port: number): Promise<PeerCertificate & { asn1Curve?: string }> {
  return new Promise((resolve, reject) => {
    // Expired or self-signed certificates must still be read, to be reported.
    const socket = connect({ host, port, servername: host, rejectUnauthorized: false, timeout: TIMEOUT_MS }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      if (!certificate || Object.keys(certificate).length === 0) reject(new Error('no certificate'));
      else resolve(certificate);
    });
    socket.on('timeout', () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
  });
}

/** Reads a domain's TLS certificate and says whether it is still valid. */
export async function getCertificateHealth(domain: string): Promise<CertificateHealth> {
  const target = parseDomain(domain);
  if (!target) throw new AppError('general_argument_invalid', 'Invalid `domain` param: expected a hostname, optionally with a port.');
  let certificate: PeerCertificate;
  try {
    certificate = await fetchCertificate(target.host, target.port);
  } catch {
    throw new AppError('health_invalid_host');
  }
  const validFrom = Math.floor(Date.parse(certificate.valid_from) / 1000);
  const validTo = Math.floor(Date.parse(certificate.valid_to) / 1000);
  if (validTo * 1000 < Date.now()) throw new AppError('health_certificate_expired');
  return {
    name: `/CN=${String(certificate.subject?.CN ?? '')}`,
    subjectSN: String(certificate.subject?.CN ?? ''),
    issuerOrganisation: String(certificate.issuer?.O ?? ''),
    validFrom: String(validFrom),
    validTo: String(validTo),
    signatureTypeSN: signatureAlgorithm(certificate),
  };
}

function signatureAlgorithm(certificate: PeerCertificate): string {
  const key = certificate as PeerCertificate & { asn1Curve?: string; bits?: number; pubkey?: Buffer };
  if (key.asn1Curve) return 'ECDSA';
  return key.bits ? 'RSA' : '';
}
