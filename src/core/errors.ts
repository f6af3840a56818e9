import { errorCatalogue, type ErrorType } from './error-catalogue.js';

export type { ErrorType } from './error-catalogue.js';

/** The API version reported in every error body, as the SDKs expect. */
export const API_VERSION = '1.9.6';

export interface AppErrorOptions {
  /** Values for the `%s` placeholders of the catalogue message. */
  params?: string[];
  /** A status other than the catalogue's, for the rare case no catalogue type carries it (413). */
  status?: number;
}

/** An error the API reports to its caller: a catalogue type, its HTTP status and a message. */
export class AppError extends Error {
  readonly type: ErrorType;
  readonly code: number;

  constructor(type: ErrorType, message?: string, options: AppErrorOptions = {}) {
    const entry = errorCatalogue[type];
    super(message ?? fillPlaceholders(entry.message, options.params ?? []));
    this.name = 'AppError';
    this.type = type;
    this.code = options.status ?? entry.code;
  }
}

export interface ErrorBody {
  message: string;
  code: number;
  type: string;
  version: string;
}

export function toErrorBody(error: AppError): ErrorBody {
  return { message: error.message, code: error.code, type: error.type, version: API_VERSION };
}

function fillPlaceholders(template: string, params: string[]): string {
  let index = 0;
  return template.replace(/%s/g, () => params[index++] ?? '');
}
