import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, ID, Proxy, ProxyResourceType, Query, StatusCode } from '@appwrite.io/console';
import { BuildRuntime, Framework, Functions, Sites } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { deployFunction, rawRequest, waitForBuild } from '../functions/deploy.js';
import { packFunction } from '../functions/fixtures.js';

const SERVER_DOMAIN = 'plinth.example';
const FUNCTIONS_DOMAIN = `functions.${SERVER_DOMAIN}`;
const SERVER_ADDRESS = '203.0.113.7';

/** Answers with where it runs and what it was asked. */
const ECHO = {
  'index.js': 'module.exports = async ({ req, res }) => res.json({ fn: process.env.APPWRITE_FUNCTION_ID, path: req.path, query: req.query });',
};

/** Asserts that a console SDK call fails with Appwrite's status and error type. */
describe('proxy rules', () => {
  let server: TestServer;
  let dns: TestDnsServer;
  let proxy: Proxy;
  let otherProxy: Proxy;
  let functionId: string;
  let deploymentId: string;

  before(async () => {
    dns = await startDnsServer();
    server = await TestServer.start({
      env: { PLINTH_DOMAIN: SERVER_DOMAIN, PLINTH_DOMAIN_TARGET_A: SERVER_ADDRESS, PLINTH_DOMAIN_TARGET_AAAA: '2001:db8::7', PLINTH_DNS: dns.address, PLINTH_DOMAIN_DENY_LIST: 'denied.shop.example' },
    });
    for (const project of ['rules-one', 'rules-two']) await server.createProject(project);
    const consoleClient = async (project: string) => new Client().setEndpoint(server.endpoint).setProject(project).setKey(await server.createKey(project));
    proxy = new Proxy(await consoleClient('rules-one'));
    otherProxy = new Proxy(await consoleClient('rules-two'));
    const functions = new Functions(sdkClient(server, 'rules-one', await server.createKey('rules-one')));
    const deployed = await deployFunction(functions, { functionId: 'echo', runtime: 'node-20.0', files: ECHO, entrypoint: 'index.js', execute: ['any'] });
    functionId = deployed.functionId;
    deploymentId = deployed.deployment.$id;
  });
  after(async () => {
    await server?.stop();
    await dns?.stop();
  });

  test('the CLI creates a rule under the functions domain: verified at once, found by its queries, serving the function', async () => {
    const domain = `${ID.unique()}.${FUNCTIONS_DOMAIN}`;
    const rule = await proxy.createFunctionRule({ domain, functionId });
    assert.equal(rule.domain, domain);
    assert.equal(rule.type, 'deployment');
    assert.equal(rule.trigger, 'manual');
    assert.equal(rule.status, 'verified');
    assert.equal(rule.deploymentResourceType, 'function');
    assert.equal(rule.deploymentResourceId, functionId);
    assert.equal(rule.deploymentId, deploymentId);
    assert.equal(rule.redirectUrl, '');

    const found = await proxy.listRules({
      queries: [Query.limit(1), Query.equal('deploymentResourceType', 'function'), Query.equal('deploymentResourceId', functionId), Query.equal('trigger', 'manual')],
    });
    assert.equal(found.total, 1);
    assert.equal(found.rules[0]!.domain, domain);
    assert.deepEqual(await proxy.getRule({ ruleId: rule.$id }), rule);

    const served = await rawRequest(server.endpoint, domain, '/hello?x=1');
    assert.equal(served.status, 200, served.body);
    assert.deepEqual(JSON.parse(served.body), { fn: functionId, path: '/hello', query: { x: '1' } });
  });

  test('a custom domain stays unverified until its DNS points here, and is served only then', async () => {
    const domain = 'app.shop.example';
    const rule = await proxy.createFunctionRule({ domain, functionId });
    assert.equal(rule.status, 'unverified');
    assert.match(rule.logs, /no DNS record pointing to this server/);
    const early = await rawRequest(server.endpoint, domain, '/');
    assert.equal(JSON.parse(early.body).type, 'general_route_not_found', 'an unverified domain serves nothing');

    await rejectsWith(proxy.updateRuleVerification({ ruleId: rule.$id }), 400, 'rule_verification_failed');
    assert.equal((await proxy.getRule({ ruleId: rule.$id })).status, 'unverified');

    // A CNAME to the server's domain proves it.
    dns.records.set(domain, { cname: SERVER_DOMAIN });
    const verified = await proxy.updateRuleVerification({ ruleId: rule.$id });
    assert.equal(verified.status, 'verified');
    assert.equal(verified.logs, '');
    // Verifying again answers the rule as it is.
    assert.equal((await proxy.updateRuleVerification({ ruleId: rule.$id })).status, 'verified');

    const served = await rawRequest(server.endpoint, `${domain.toUpperCase()}:443`, '/deep/path?q=2');
    assert.equal(served.status, 200, served.body);
    assert.deepEqual(JSON.parse(served.body), { fn: functionId, path: '/deep/path', query: { q: '2' } });
  });

  test('1.9.6 names the verification route /status; an A or AAAA record to a configured address verifies too', async () => {
    dns.records.set('api.shop.example', { a: ['198.51.100.1', SERVER_ADDRESS] });
    const api = await proxy.createAPIRule({ domain: 'api.shop.example' });
    assert.equal(api.type, 'api');
    assert.equal(api.status, 'verified');
    assert.equal(api.deploymentResourceType, null);

    const pending = await proxy.createAPIRule({ domain: 'later.shop.example' });
    dns.records.set('later.shop.example', { a: [SERVER_ADDRESS] });
    const response = await server.request(`/proxy/rules/${pending.$id}/status`, { method: 'PATCH', project: 'rules-one', key: await server.createKey('rules-one') });
    assert.equal(response.status, 200);
    assert.equal((await jsonOf(response)).status, 'verified');
    // Another spelling of the configured IPv6 address is the same address.
    dns.records.set('v6.shop.example', { aaaa: ['2001:0db8:0:0::7'] });
    assert.equal((await proxy.createAPIRule({ domain: 'v6.shop.example' })).status, 'verified');
    // An API domain is the API's: its requests reach the routes as any other host's.
    const health = await rawRequest(server.endpoint, 'api.shop.example', '/v1/health/version');
    assert.equal(health.status, 200, health.body);
  });

  test('a redirect rule answers with its status code and URL', async () => {
    dns.records.set('old.shop.example', { a: [SERVER_ADDRESS] });
    const rule = await proxy.createRedirectRule({
      domain: 'old.shop.example',
      url: 'https://new.shop.example/landing',
      statusCode: StatusCode.PermanentRedirect308,
      resourceId: functionId,
      resourceType: ProxyResourceType.Function,
    });
    assert.equal(rule.type, 'redirect');
    assert.equal(rule.redirectStatusCode, 308);
    assert.equal(rule.redirectUrl, 'https://new.shop.example/landing');
    assert.equal(rule.deploymentResourceType, 'function');

    const answer = await rawRequest(server.endpoint, 'old.shop.example', '/anything', { method: 'POST', body: 'x' });
    assert.equal(answer.status, 308);
    assert.equal(answer.headers.location, 'https://new.shop.example/landing');
  });

  test('a site rule serves its site; a rule for a site of no project is refused', async () => {
    dns.records.set('www.shop.example', { a: [SERVER_ADDRESS] });
    await rejectsWith(proxy.createSiteRule({ domain: 'www.shop.example', siteId: 'nowhere' }), 404, 'rule_resource_not_found');
    const sites = new Sites(sdkClient(server, 'rules-one', await server.createKey('rules-one')));
    await sites.create({ siteId: 'storefront', name: 'Storefront', framework: Framework.Other, buildRuntime: BuildRuntime.Node200 });
    const rule = await proxy.createSiteRule({ domain: 'www.shop.example', siteId: 'storefront', branch: 'main' });
    assert.equal(rule.deploymentResourceType, 'site');
    assert.equal(rule.deploymentResourceId, 'storefront');
    assert.equal(rule.deploymentVcsProviderBranch, 'main');
    // The site has no live deployment yet: its page says so, as the site's own host would.
    const answer = await rawRequest(server.endpoint, 'www.shop.example', '/');
    assert.equal(answer.status, 404);
    assert.match(answer.body, /no live deployment/);
    assert.equal((await rawRequest(server.endpoint, 'storefront.sites.plinth.example', '/')).body, answer.body);
    // A name under the sites domain is the server's to give, to a site rule only, as `appwrite push sites` asks.
    const own = await proxy.createSiteRule({ domain: 'shop.sites.plinth.example', siteId: 'storefront' });
    assert.equal(own.status, 'verified');
    assert.equal((await rawRequest(server.endpoint, 'shop.sites.plinth.example', '/')).body, answer.body);
    await rejectsWith(proxy.createAPIRule({ domain: 'api.sites.plinth.example' }), 400, 'general_argument_invalid');
    await rejectsWith(proxy.createSiteRule({ domain: 'a.b.sites.plinth.example', siteId: 'storefront' }), 400, 'general_argument_invalid');
    const theirs = new Sites(sdkClient(server, 'rules-two', await server.createKey('rules-two')));
    await theirs.create({ siteId: 'outlet', name: 'Outlet', framework: Framework.Other, buildRuntime: BuildRuntime.Node200 });
    await rejectsWith(proxy.createSiteRule({ domain: 'outlet.sites.plinth.example', siteId: 'storefront' }), 409, 'rule_already_exists');
  });

  test('lists filter and search as Appwrite does', async () => {
    const all = await proxy.listRules();
    assert.ok(all.total >= 5);
    const apis = await proxy.listRules({ queries: [Query.equal('type', 'api')] });
    assert.deepEqual(apis.rules.map((rule) => rule.domain).sort(), ['api.shop.example', 'later.shop.example', 'v6.shop.example']);
    const searched = await proxy.listRules({ search: 'www.shop' });
    assert.deepEqual(searched.rules.map((rule) => rule.domain), ['www.shop.example']);
    const noTotal = await proxy.listRules({ queries: [Query.limit(1)], total: false });
    assert.equal(noTotal.total, 0);
    assert.equal(noTotal.rules.length, 1);
    // Another project sees none of them.
    assert.equal((await otherProxy.listRules()).total, 0);
    await rejectsWith(proxy.listRules({ queries: [Query.equal('status', 'verified')] }), 400, 'general_query_invalid');
  });

  test('refuses invalid domains, the server\'s own names and names under the functions domain that are not free', async () => {
    for (const domain of ['https://example.org', 'not a domain', 'localhost', '10.0.0.1', '*.example.org']) {
      await rejectsWith(proxy.createAPIRule({ domain }), 400, 'general_argument_invalid');
    }
    // The operator's deny list holds whole names, as Appwrite compares them.
    await rejectsWith(proxy.createAPIRule({ domain: 'Denied.shop.example' }), 400, 'general_argument_invalid');
    dns.records.set('sub.denied.shop.example', { a: [SERVER_ADDRESS] });
    assert.equal((await proxy.createAPIRule({ domain: 'sub.denied.shop.example' })).status, 'verified');
    for (const domain of [SERVER_DOMAIN, FUNCTIONS_DOMAIN, `a.b.${FUNCTIONS_DOMAIN}`, `echo--rules-one.${FUNCTIONS_DOMAIN}`]) {
      await rejectsWith(proxy.createSiteRule({ domain, siteId: 'storefront' }), 400, 'general_argument_invalid');
    }
    // User code answers under the functions domain: the API never does.
    await rejectsWith(proxy.createAPIRule({ domain: `free.${FUNCTIONS_DOMAIN}` }), 400, 'general_argument_invalid');
    // `echo` is the function's own host name: another project (or another kind of rule) may not take it.
    await rejectsWith(otherProxy.createFunctionRule({ domain: `echo.${FUNCTIONS_DOMAIN}`, functionId: 'echo' }), 409, 'rule_already_exists');
    await rejectsWith(otherProxy.createSiteRule({ domain: `echo.${FUNCTIONS_DOMAIN}`, siteId: 'storefront' }), 409, 'rule_already_exists');
    await rejectsWith(proxy.createRedirectRule({ domain: `echo.${FUNCTIONS_DOMAIN}`, url: 'https://a.example', statusCode: StatusCode.Found302, resourceId: functionId, resourceType: ProxyResourceType.Function }), 409, 'rule_already_exists');
    // Its own function may name it.
    const own = await proxy.createFunctionRule({ domain: `echo.${FUNCTIONS_DOMAIN}`, functionId });
    assert.equal(own.status, 'verified');
  });

  test('a name a rule holds under the functions domain is no longer a later function\'s host name', async () => {
    const otherSites = new Sites(sdkClient(server, 'rules-two', await server.createKey('rules-two')));
    await otherSites.create({ siteId: 'storefront', name: 'Storefront', framework: Framework.Other, buildRuntime: BuildRuntime.Node200 });
    await otherProxy.createRedirectRule({ domain: `taken.${FUNCTIONS_DOMAIN}`, url: 'https://elsewhere.example/', statusCode: StatusCode.Found302, resourceId: 'storefront', resourceType: ProxyResourceType.Site });
    const functions = new Functions(sdkClient(server, 'rules-one', await server.createKey('rules-one')));
    await functions.create({ functionId: 'taken', name: 'taken', runtime: 'node-20.0' as never });
    // The rule keeps the name: it answers there, not the function.
    const answer = await rawRequest(server.endpoint, `taken.${FUNCTIONS_DOMAIN}`, '/');
    assert.equal(answer.status, 302, answer.body);
    assert.equal(answer.headers.location, 'https://elsewhere.example/');
    await functions.delete({ functionId: 'taken' });
  });

  test('a domain belongs to one project; rules of another project are not found', async () => {
    await rejectsWith(otherProxy.createAPIRule({ domain: 'api.shop.example' }), 409, 'rule_already_exists');
    await rejectsWith(otherProxy.createAPIRule({ domain: 'API.Shop.Example.' }), 409, 'rule_already_exists');
    const theirs = (await proxy.listRules({ queries: [Query.equal('domain', 'api.shop.example')] })).rules[0]!;
    await rejectsWith(otherProxy.getRule({ ruleId: theirs.$id }), 404, 'rule_not_found');
    await rejectsWith(otherProxy.deleteRule({ ruleId: theirs.$id }), 404, 'rule_not_found');
    await rejectsWith(otherProxy.updateRuleVerification({ ruleId: theirs.$id }), 404, 'rule_not_found');
  });

  test('bad targets and parameters get Appwrite\'s errors', async () => {
    await rejectsWith(proxy.createFunctionRule({ domain: 'x1.shop.example', functionId: 'missing' }), 404, 'rule_resource_not_found');
    await rejectsWith(otherProxy.createFunctionRule({ domain: 'x2.shop.example', functionId }), 404, 'rule_resource_not_found');
    await rejectsWith(
      proxy.createRedirectRule({ domain: 'x3.shop.example', url: 'https://a.example', statusCode: StatusCode.Found302, resourceId: 'missing', resourceType: ProxyResourceType.Function }),
      404,
      'rule_resource_not_found',
    );
    const key = await server.createKey('rules-one');
    const post = (path: string, body: unknown) =>
      server.request(path, { method: 'POST', project: 'rules-one', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const badCode = await post('/proxy/rules/redirect', { domain: 'x4.shop.example', url: 'https://a.example', statusCode: '303', resourceId: functionId, resourceType: 'function' });
    assert.equal(badCode.status, 400);
    assert.equal((await jsonOf(badCode)).type, 'general_argument_invalid');
    const badUrl = await post('/proxy/rules/redirect', { domain: 'x5.shop.example', url: 'javascript:alert(1)', statusCode: 301, resourceId: functionId, resourceType: 'function' });
    assert.equal((await jsonOf(badUrl)).type, 'general_argument_invalid');
    const missing = await post('/proxy/rules/function', { domain: 'x6.shop.example' });
    assert.deepEqual(await jsonOf(missing).then((body) => [body.type, body.message]), ['general_argument_invalid', 'Param "functionId" is not optional.']);
    await rejectsWith(proxy.getRule({ ruleId: 'missing' }), 404, 'rule_not_found');
    await rejectsWith(proxy.deleteRule({ ruleId: 'missing' }), 404, 'rule_not_found');
    await rejectsWith(proxy.updateRuleVerification({ ruleId: 'missing' }), 404, 'rule_not_found');
  });

  test('keys need the rules scopes', async () => {
    const readOnly = new Proxy(new Client().setEndpoint(server.endpoint).setProject('rules-one').setKey(await server.createKey('rules-one', 'rules.read')));
    assert.ok((await readOnly.listRules()).total > 0);
    await rejectsWith(readOnly.createAPIRule({ domain: 'scoped.shop.example' }), 401, 'general_unauthorized_scope');
    const none = new Proxy(new Client().setEndpoint(server.endpoint).setProject('rules-one').setKey(await server.createKey('rules-one', 'users.read')));
    await rejectsWith(none.listRules(), 401, 'general_unauthorized_scope');
  });

  test('a function rule follows the active deployment; a project with its proxy service off has its domains refused', async () => {
    const functions = new Functions(sdkClient(server, 'rules-one', await server.createKey('rules-one')));
    const copy = await functions.createDuplicateDeployment({ functionId, deploymentId });
    await waitForBuild(functions, functionId, copy.$id);
    const [rule] = (await proxy.listRules({ queries: [Query.equal('domain', 'app.shop.example')] })).rules;
    assert.equal(rule?.deploymentId, copy.$id, 'the duplicate was activated');
    await functions.updateFunctionDeployment({ functionId, deploymentId });
    assert.equal((await proxy.getRule({ ruleId: rule!.$id })).deploymentId, deploymentId);

    const key = await server.createKey('rules-one');
    const turn = (status: boolean) =>
      server.request('/project/services/proxy', { method: 'PATCH', project: 'rules-one', key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: status }) });
    assert.equal((await turn(false)).status, 200);
    const refused = await rawRequest(server.endpoint, 'app.shop.example', '/');
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body).type, 'general_service_disabled');
    assert.equal((await turn(true)).status, 200);
    assert.equal((await rawRequest(server.endpoint, 'app.shop.example', '/')).status, 200);
  });

  test('a function created by a client older than 1.7 gets its default rule, as Appwrite gives one; a current client asks for its own', async () => {
    const key = await server.createKey('rules-one');
    const create = (functionId: string, format: string) =>
      server.request('/functions', {
        method: 'POST',
        project: 'rules-one',
        key,
        headers: { 'content-type': 'application/json', 'x-appwrite-response-format': format },
        body: JSON.stringify({ functionId, name: functionId, runtime: 'node-20.0', execute: ['any'] }),
      });
    const rulesOf = async (functionId: string) =>
      (await proxy.listRules({ queries: [Query.equal('deploymentResourceType', 'function'), Query.equal('deploymentResourceId', functionId), Query.equal('trigger', 'manual')] })).rules;

    assert.equal((await create('legacy', '1.6.0')).status, 201);
    const [rule, ...others] = await rulesOf('legacy');
    assert.deepEqual(others, []);
    assert.match(rule!.domain, new RegExp(`^[0-9a-f]{20}\\.${FUNCTIONS_DOMAIN.replaceAll('.', '\\.')}$`));
    assert.deepEqual([rule!.type, rule!.status, rule!.deploymentId, rule!.redirectUrl], ['deployment', 'verified', '', '']);

    // The rule serves the function once a deployment is active.
    const functions = new Functions(sdkClient(server, 'rules-one', key));
    const deployment = await functions.createDeployment({ functionId: 'legacy', code: InputFile.fromBuffer(await packFunction(ECHO), 'code.tar.gz'), activate: true, entrypoint: 'index.js' });
    await waitForBuild(functions, 'legacy', deployment.$id);
    assert.equal((await proxy.getRule({ ruleId: rule!.$id })).deploymentId, deployment.$id);
    const served = await rawRequest(server.endpoint, rule!.domain, '/old?v=1');
    assert.equal(served.status, 200, served.body);
    assert.deepEqual(JSON.parse(served.body), { fn: 'legacy', path: '/old', query: { v: '1' } });

    assert.equal((await create('current', '1.8.0')).status, 201);
    assert.deepEqual(await rulesOf('current'), []);
    await functions.delete({ functionId: 'legacy' });
    await functions.delete({ functionId: 'current' });
    assert.deepEqual(await rulesOf('legacy'), []);
  });

  test('a host found to hold no rule is served as soon as a rule on this server takes it', async () => {
    const domain = 'fresh.shop.example';
    assert.equal(JSON.parse((await rawRequest(server.endpoint, domain, '/')).body).type, 'general_route_not_found');
    dns.records.set(domain, { a: [SERVER_ADDRESS] });
    await proxy.createRedirectRule({ domain, url: 'https://shop.example/', statusCode: StatusCode.TemporaryRedirect307, resourceId: functionId, resourceType: ProxyResourceType.Function });
    const redirected = await rawRequest(server.endpoint, domain, '/');
    assert.equal(redirected.status, 307);
  });

  test('a TLS proxy may get certificates for verified rules and function host names only', async () => {
    const ask = async (domain: string) => {
      const response = await fetch(`${server.endpoint}/proxy/certificates/allowed?domain=${encodeURIComponent(domain)}`);
      return [response.status, await response.text()];
    };
    assert.deepEqual(await ask('app.shop.example'), [200, 'yes']);
    assert.deepEqual(await ask(`echo--rules-one.${FUNCTIONS_DOMAIN}`), [200, 'yes']);
    await proxy.createAPIRule({ domain: 'pending.shop.example' });
    assert.deepEqual(await ask('pending.shop.example'), [404, 'no']);
    assert.deepEqual(await ask('unknown.example'), [404, 'no']);
    assert.deepEqual(await ask(`nobody.${FUNCTIONS_DOMAIN}`), [404, 'no']);
    assert.deepEqual(await ask(''), [404, 'no']);
  });

  test('deleting a rule stops its domain; deleting a function drops its rules', async () => {
    dns.records.set('gone.shop.example', { a: [SERVER_ADDRESS] });
    const rule = await proxy.createFunctionRule({ domain: 'gone.shop.example', functionId });
    assert.equal((await rawRequest(server.endpoint, 'gone.shop.example', '/')).status, 200);
    await proxy.deleteRule({ ruleId: rule.$id });
    await rejectsWith(proxy.getRule({ ruleId: rule.$id }), 404, 'rule_not_found');
    assert.equal(JSON.parse((await rawRequest(server.endpoint, 'gone.shop.example', '/')).body).type, 'general_route_not_found');

    const functions = new Functions(sdkClient(server, 'rules-one', await server.createKey('rules-one')));
    await functions.delete({ functionId });
    const left = await proxy.listRules({ queries: [Query.equal('deploymentResourceId', functionId)] });
    assert.equal(left.total, 0);
    // The freed domain may be claimed again.
    await otherProxy.createAPIRule({ domain: 'app.shop.example' });
  });

  test('deleting a project frees its domains', async () => {
    await server.createProject('rules-three');
    const key = await server.createKey('rules-three');
    const third = new Proxy(new Client().setEndpoint(server.endpoint).setProject('rules-three').setKey(key));
    await third.createAPIRule({ domain: 'three.shop.example' });
    const deleted = await server.request('/project', { method: 'DELETE', project: 'rules-three', key });
    assert.equal(deleted.status, 204);
    assert.equal((await otherProxy.createAPIRule({ domain: 'three.shop.example' })).domain, 'three.shop.example');
  });
});
