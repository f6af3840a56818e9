import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { inPathProject } from '../../http/console-gate.js';
import type { ServiceDeps } from '../deps.js';
import { getEmailTemplate, sendSmtpTest, TEMPLATE_LOCALES, TEMPLATE_TYPES, updateEmailTemplate, updateSmtp, type MailTemplate } from '../messages/index.js';
import { createKey, deleteKey, getKey, listKeys, updateKey } from './keys.js';
import { keyListQuerystring } from './keys-routes.js';
import { OAUTH2_PROVIDER_IDS, updateOAuth2Provider } from './oauth2-providers.js';
import { PLATFORM_TARGET_FIELDS, PLATFORM_TYPES, toPlatformModelV18, type PlatformType } from './platform-models.js';
import { createPlatform, deletePlatform, getPlatform, listPlatforms, updatePlatform } from './platforms.js';
import { listQuerystring as platformListQuerystring } from './platforms-routes.js';
import { getProject } from './projects.js';
import { projectParams } from './legacy-access.js';
import { namedSmtpServer, smtpBody, smtpTestBody } from './smtp-routes.js';

/**
 * The 1.8-era `/projects/{projectId}/…` routes of keys, platforms, SMTP, OAuth2 and email
 * templates, which the console SDK made for 1.8 still sends (see `legacy-access.ts`). They take
 * the 1.8 bodies as well as the current ones, and answer platforms in their 1.8 shape.
 */

const text = z.string({ error: 'Value must be a valid string' });

const keyBody = z.object({
  name: text,
  scopes: z.array(z.string(), { error: 'Value must be a valid array' }).max(100, 'Value must a valid array no longer than 100 items'),
  expire: z.string({ error: 'Value must be valid date in ISO 8601 format.' }).nullable().optional(),
});
const createKeyBody = keyBody.extend({ keyId: text.optional() });

/** The platform types of 1.8, each kept as the current type that identifies its app the same way. */
const LEGACY_PLATFORM_TYPES: Record<string, PlatformType> = {
  'flutter-web': 'web',
  'flutter-ios': 'apple',
  'flutter-macos': 'apple',
  'apple-ios': 'apple',
  'apple-macos': 'apple',
  'apple-watchos': 'apple',
  'apple-tvos': 'apple',
  'react-native-ios': 'apple',
  'flutter-android': 'android',
  'react-native-android': 'android',
  'flutter-windows': 'windows',
  'flutter-linux': 'linux',
};
const platformTypes = [...PLATFORM_TYPES, ...Object.keys(LEGACY_PLATFORM_TYPES)];
const platformFields = {
  name: text,
  // 1.8 names an app by `key`; the current routes by `identifier` or the type's own field.
  key: text.optional(),
  identifier: text.optional(),
  hostname: text.optional(),
  store: text.optional(),
  ...Object.fromEntries(Object.values(PLATFORM_TARGET_FIELDS).map((field) => [field, text.optional()])),
};
const createPlatformBody = z.object({
  ...platformFields,
  platformId: text.optional(),
  type: z.enum(platformTypes as [string, ...string[]], { error: `Value must be one of (${platformTypes.join(', ')})` }),
});
const updatePlatformBody = z.object(platformFields);
type PlatformBody = Record<string, string | undefined>;

function currentPlatformType(type: string): PlatformType {
  return (PLATFORM_TYPES as readonly string[]).includes(type) ? (type as PlatformType) : (LEGACY_PLATFORM_TYPES[type] as PlatformType);
}

/** The hostname of a web platform, or an app's identifier, under whichever name the body gives it. */
function targetOf(type: PlatformType, body: PlatformBody): string {
  if (type === 'web') return body.hostname ?? '';
  return body[PLATFORM_TARGET_FIELDS[type]] ?? body.identifier ?? body.key ?? '';
}

// 1.8 calls the reply-to address `replyTo`.
const legacySmtpBody = smtpBody.extend({ replyTo: smtpBody.shape.senderEmail });
const oauth2Body = z.object({
  provider: z.enum(OAUTH2_PROVIDER_IDS, { error: `Value must be one of (${OAUTH2_PROVIDER_IDS.join(', ')})` }),
  appId: text.max(256, 'Value must be a valid string and no longer than 256 chars').optional(),
  secret: text.max(512, 'Value must be a valid string and no longer than 512 chars').optional(),
  enabled: z.boolean({ error: 'Value must be a valid boolean' }).optional(),
});

const templateParams = projectParams.extend({
  templateId: z.enum(TEMPLATE_TYPES, { error: `Value must be one of (${TEMPLATE_TYPES.join(', ')})` }),
  locale: z.enum(TEMPLATE_LOCALES, { error: 'Value must be one of the supported locales' }),
});
const templateText = (max: number) => text.max(max, `Value must be a valid string and no longer than ${max} chars`).nullable().optional();
const templateEmail = z.email({ error: 'Value must be a valid email address' }).or(z.literal('')).nullable().optional();
const templateBody = z.object({
  subject: templateText(255),
  message: templateText(10_000_000),
  senderName: templateText(255),
  senderEmail: templateEmail,
  replyTo: templateEmail,
  replyToEmail: templateEmail,
  replyToName: templateText(255),
});

/** The template as both 1.8 (`type`, `replyTo`) and current clients read it. */
async function legacyTemplate(model: Promise<Awaited<ReturnType<typeof getEmailTemplate>>>) {
  const template = await model;
  return { ...template, type: template.templateId, replyTo: template.replyToEmail };
}

export function legacyResourceRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/projects/:projectId/keys',
      { config: inPathProject('keys.read'), schema: { params: projectParams, querystring: keyListQuerystring } },
      async (request) => listKeys(deps, request.params.projectId, request.query),
    );
    app.post(
      '/projects/:projectId/keys',
      { config: inPathProject('keys.write'), schema: { params: projectParams, body: createKeyBody } },
      async (request, reply) => {
        const { keyId, ...fields } = request.body;
        const key = await createKey(deps, { projectId: request.params.projectId, keyId: keyId ?? 'unique()', ...fields, grantable: request.ctx.caller.scopes });
        return reply.code(201).send(key);
      },
    );
    const keyParams = projectParams.extend({ keyId: z.string() });
    app.get('/projects/:projectId/keys/:keyId', { config: inPathProject('keys.read'), schema: { params: keyParams } }, async (request) =>
      getKey(deps, request.params.projectId, request.params.keyId),
    );
    app.put(
      '/projects/:projectId/keys/:keyId',
      { config: inPathProject('keys.write'), schema: { params: keyParams, body: keyBody } },
      async (request) => updateKey(deps, request.params.projectId, request.params.keyId, { ...request.body, grantable: request.ctx.caller.scopes }),
    );
    app.delete('/projects/:projectId/keys/:keyId', { config: inPathProject('keys.write'), schema: { params: keyParams } }, async (request, reply) => {
      await deleteKey(deps, request.params.projectId, request.params.keyId);
      return reply.code(204).send();
    });

    app.get(
      '/projects/:projectId/platforms',
      { config: inPathProject('platforms.read'), schema: { params: projectParams, querystring: platformListQuerystring } },
      async (request) => {
        const list = await listPlatforms(deps, request.params.projectId, request.query);
        return { ...list, platforms: list.platforms.map(toPlatformModelV18) };
      },
    );
    app.post(
      '/projects/:projectId/platforms',
      { config: inPathProject('platforms.write'), schema: { params: projectParams, body: createPlatformBody } },
      async (request, reply) => {
        const type = currentPlatformType(request.body.type);
        const input = { projectId: request.params.projectId, type, platformId: request.body.platformId ?? 'unique()', name: request.body.name ?? '', target: targetOf(type, request.body) };
        return reply.code(201).send(toPlatformModelV18(await createPlatform(deps, input)));
      },
    );
    const platformParams = projectParams.extend({ platformId: z.string() });
    app.get('/projects/:projectId/platforms/:platformId', { config: inPathProject('platforms.read'), schema: { params: platformParams } }, async (request) =>
      toPlatformModelV18(await getPlatform(deps, request.params.projectId, request.params.platformId)),
    );
    // 1.8 updates any platform on one path: the platform's own type decides which field names it.
    app.put(
      '/projects/:projectId/platforms/:platformId',
      { config: inPathProject('platforms.write'), schema: { params: platformParams, body: updatePlatformBody } },
      async (request) => {
        const { projectId, platformId } = request.params;
        const { type } = await getPlatform(deps, projectId, platformId);
        return toPlatformModelV18(await updatePlatform(deps, { projectId, platformId, type, name: request.body.name ?? '', target: targetOf(type, request.body) }));
      },
    );
    app.delete(
      '/projects/:projectId/platforms/:platformId',
      { config: inPathProject('platforms.write'), schema: { params: platformParams } },
      async (request, reply) => {
        await deletePlatform(deps, request.params.projectId, request.params.platformId);
        return reply.code(204).send();
      },
    );

    app.patch(
      '/projects/:projectId/smtp',
      { config: inPathProject('project.write'), schema: { params: projectParams, body: legacySmtpBody } },
      async (request) => {
        const { replyTo, ...update } = request.body;
        await updateSmtp(deps, request.params.projectId, { ...update, ...(update.replyToEmail === undefined && replyTo !== undefined ? { replyToEmail: replyTo } : {}) });
        return getProject(deps, request.params.projectId);
      },
    );
    app.post(
      '/projects/:projectId/smtp/tests',
      { config: inPathProject('project.write'), schema: { params: projectParams, body: smtpTestBody } },
      async (request, reply) => {
        await sendSmtpTest(deps, request.params.projectId, request.body.emails, namedSmtpServer(request.body));
        return reply.code(204).send();
      },
    );

    app.patch(
      '/projects/:projectId/oauth2',
      { config: inPathProject('oauth2.write'), schema: { params: projectParams, body: oauth2Body } },
      async (request) => {
        const { provider, ...changes } = request.body;
        await updateOAuth2Provider(deps, request.params.projectId, provider, changes);
        return getProject(deps, request.params.projectId);
      },
    );

    const templatePath = '/projects/:projectId/templates/email/:templateId/:locale';
    app.get(templatePath, { config: inPathProject('templates.read'), schema: { params: templateParams } }, async (request) => {
      const { projectId, templateId, locale } = request.params;
      return legacyTemplate(getEmailTemplate(deps, projectId, templateId as MailTemplate, locale));
    });
    app.patch(
      templatePath,
      { config: inPathProject('templates.write'), schema: { params: templateParams, body: templateBody } },
      async (request) => {
        const { projectId, templateId, locale } = request.params;
        const { replyTo, replyToEmail, ...update } = request.body;
        const reply = replyToEmail !== undefined ? replyToEmail : replyTo;
        return legacyTemplate(updateEmailTemplate(deps, projectId, templateId as MailTemplate, locale, { ...update, ...(reply !== undefined ? { replyToEmail: reply } : {}) }));
      },
    );
    // 1.8 deletes a project's template: mails go back to the built-in text.
    app.delete(templatePath, { config: inPathProject('templates.write'), schema: { params: templateParams } }, async (request) => {
      const { projectId, templateId, locale } = request.params;
      const reset = { subject: null, message: null, senderName: null, senderEmail: null, replyToEmail: null, replyToName: null };
      return legacyTemplate(updateEmailTemplate(deps, projectId, templateId as MailTemplate, locale, reset));
    });
  };
}

