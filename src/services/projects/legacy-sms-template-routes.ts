import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { inPathProject } from '../../http/console-gate.js';
import { AppError } from '../../core/errors.js';
import { TEMPLATE_LOCALES } from '../messages/index.js';
import { projectParams } from './legacy-access.js';

/** The SMS messages 1.8 names templates for. */
const SMS_TEMPLATE_TYPES = ['verification', 'login', 'invitation', 'mfaChallenge'] as const;

const templateParams = projectParams.extend({
  type: z.enum(SMS_TEMPLATE_TYPES, { error: `Value must be one of (${SMS_TEMPLATE_TYPES.join(', ')})` }),
  locale: z.enum(TEMPLATE_LOCALES, { error: 'Value must be one of the supported locales' }),
});
const updateBody = z.object({ message: z.string({ error: 'Value must be a valid string' }) });

/**
 * 1.8's SMS template routes under `/projects/{projectId}/`. Appwrite checks their parameters and
 * then answers that custom SMS templates are not implemented; so does Plinth, whose text
 * messages use the built-in wording.
 */
export function legacySmsTemplateRoutes(): RoutePlugin {
  return async (app) => {
    const path = '/projects/:projectId/templates/sms/:type/:locale';
    const notImplemented = async () => {
      throw new AppError('general_not_implemented');
    };
    app.get(path, { config: inPathProject('templates.read'), schema: { params: templateParams } }, notImplemented);
    app.patch(path, { config: inPathProject('templates.write'), schema: { params: templateParams, body: updateBody } }, notImplemented);
    app.delete(path, { config: inPathProject('templates.write'), schema: { params: templateParams } }, notImplemented);
  };
}
