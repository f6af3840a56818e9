import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Project } from 'node-appwrite';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

describe('plinth platform commands beside a running server', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start();
    await server.createProject('cli');
  });
  after(() => server.stop());

  it('adds a web platform whose origin the running server accepts at once', async () => {
    const origin = 'https://cli.example.com';
    const call = () => server.request('/locale/continents', { project: 'cli', headers: { Origin: origin } });
    assert.equal((await call()).status, 403);

    const platform = await server.cliJson(['platform', 'add', '--project', 'cli', '--type', 'web', '--name', 'CLI site', '--hostname', 'cli.example.com', '--id', 'clisite']);
    assert.deepEqual(
      { $id: platform.$id, type: platform.type, name: platform.name, hostname: platform.hostname },
      { $id: 'clisite', type: 'web', name: 'CLI site', hostname: 'cli.example.com' },
    );
    const response = await call();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), origin);

    // The API sees it too, and deleting it there takes the grant away.
    const project = new Project(sdkClient(server, 'cli', await server.createKey('cli', 'platforms.read,platforms.write')));
    assert.equal((await project.getPlatform({ platformId: 'clisite' })).name, 'CLI site');
    await project.deletePlatform({ platformId: 'clisite' });
    assert.equal((await jsonOf(call())).type, 'general_unknown_origin');
  });

  it('adds app platforms with --identifier and a generated id', async () => {
    const apple = await server.cliJson(['platform', 'add', '--project', 'cli', '--type', 'apple', '--name', 'iOS', '--identifier', 'com.example.ios']);
    assert.match(apple.$id, /^[0-9a-f]{20}$/);
    assert.equal(apple.bundleIdentifier, 'com.example.ios');
    for (const [type, field] of [['android', 'applicationId'], ['windows', 'packageIdentifierName'], ['linux', 'packageName']]) {
      const platform = await server.cliJson(['platform', 'add', '--project', 'cli', '--type', type!, '--name', type!, '--identifier', `com.example.${type}`, '--id', type!]);
      assert.equal(platform.type, type);
      assert.equal(platform[field!], `com.example.${type}`);
    }
    const text = await server.cli(['platform', 'add', '--project', 'cli', '--type', 'web', '--name', 'Text', '--hostname', 'text.example.com', '--id', 'text']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Added web platform text \(Text\) for text\.example\.com$/m);
  });

  it('lists platforms, as JSON and as text', async () => {
    const list = await server.cliJson(['platform', 'list', '--project', 'cli']);
    assert.equal(list.total, 5);
    assert.equal(list.platforms.length, 5);
    assert.deepEqual(list.platforms.map((p: { type: string }) => p.type), ['apple', 'android', 'windows', 'linux', 'web']);
    const text = await server.cli(['platform', 'list', '--project', 'cli']);
    assert.match(text.stdout, /^android\tandroid\tandroid\tcom\.example\.android$/m);
    assert.match(text.stdout, /^text\tweb\tText\ttext\.example\.com$/m);
    await server.createProject('empty');
    assert.match((await server.cli(['platform', 'list', '--project', 'empty'])).stdout, /No platforms yet/);
  });

  it('reports errors with their type and usage mistakes with a hint', async () => {
    const duplicate = await server.cli(['platform', 'add', '--project', 'cli', '--type', 'linux', '--name', 'Again', '--identifier', 'x', '--id', 'linux', '--json']);
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stdout, '');
    assert.match(duplicate.stderr, /platform_already_exists/);
    const badHost = await server.cli(['platform', 'add', '--project', 'cli', '--type', 'web', '--name', 'Bad', '--hostname', 'https://bad.example.com']);
    assert.match(badHost.stderr, /general_argument_invalid/);
    const noProject = await server.cli(['platform', 'add', '--project', 'ghost', '--type', 'web', '--name', 'G', '--hostname', 'g.example.com']);
    assert.match(noProject.stderr, /project_not_found/);
    assert.match((await server.cli(['platform', 'list', '--project', 'ghost'])).stderr, /project_not_found/);

    for (const args of [
      ['--type', 'flutter', '--name', 'F', '--identifier', 'x'],
      ['--type', 'web', '--name', 'W', '--identifier', 'x'],
      ['--type', 'apple', '--name', 'A', '--hostname', 'a.example.com'],
      ['--type', 'web', '--name', 'W'],
      ['--name', 'W', '--hostname', 'w.example.com'],
    ]) {
      const result = await server.cli(['platform', 'add', '--project', 'cli', ...args]);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /Run "plinth help" for usage/, args.join(' '));
    }
    assert.match((await server.cli(['platform', 'list'])).stderr, /--project is required/);
  });

  it('shows the platform commands in the help text', async () => {
    const help = await server.cli(['help']);
    assert.match(help.stdout, /platform add --project ID --type web\|apple\|android\|windows\|linux/);
    assert.match(help.stdout, /platform list --project ID/);
  });
});
