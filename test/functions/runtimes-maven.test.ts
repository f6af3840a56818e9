// @engine-independent: how a Java deployment builds is the runtime's contract, which no engine changes.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'maven';
/** Maven, its dependency plugin and commons-lang3 from Debian's packages, as .ci/run installs them. */
const HOST_HAS_MAVEN = ['/usr/bin/mvn', '/usr/share/maven-repo/org/apache/maven/plugins/maven-dependency-plugin', '/usr/share/maven-repo/org/apache/commons/commons-lang3'].every(existsSync);

const pom = (dependency: string) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>greeting</artifactId>
  <version>1.0</version>
  <dependencies>
    ${dependency}
  </dependencies>
</project>
`;
const COMMONS_LANG = '<dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId><version>3.12.0</version></dependency>';
const MISSING = '<dependency><groupId>com.example.nowhere</groupId><artifactId>absent</artifactId><version>9.9</version></dependency>';

const FUNCTION = `package io.openruntimes.java.src;

import io.openruntimes.java.RuntimeContext;
import io.openruntimes.java.RuntimeOutput;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;

public class Main {
    public RuntimeOutput main(RuntimeContext context) {
        return context.getRes().json(Map.of("greeting", "Hello, " + StringUtils.capitalize(context.getReq().getBodyText())));
    }
}
`;

/** A function that needs no dependency, so only its build file decides the build. */
const PLAIN_FUNCTION = `package io.openruntimes.java.src;

import io.openruntimes.java.RuntimeContext;
import io.openruntimes.java.RuntimeOutput;

public class Main {
    public RuntimeOutput main(RuntimeContext context) throws Exception {
        return context.getRes().text("plain");
    }
}
`;
const MAVEN_MISSING = !HOST_HAS_MAVEN && "this host lacks Debian's maven, libmaven-dependency-plugin-java or libcommons-lang3-java";
const JAVA_MISSING = !existsSync('/usr/bin/javac') && "this host lacks Debian's OpenJDK";

describe("a Java deployment's build file: a pom.xml brings its dependencies from Debian's Maven repository, Gradle's is refused", { skip: (MAVEN_MISSING && JAVA_MISSING) || false }, () => {
  let server: TestServer;
  let functions: Functions;
  let built: ReturnType<typeof deployBoth>;

  function deployBoth() {
    return Promise.all([
      deployFunction(functions, { runtime: 'java-17.0', files: { 'pom.xml': pom(COMMONS_LANG), 'src/Main.java': FUNCTION }, entrypoint: 'src/Main.java' }),
      deployFunction(functions, { runtime: 'java-17.0', files: { 'pom.xml': pom(MISSING), 'src/Main.java': FUNCTION }, entrypoint: 'src/Main.java' }),
    ]);
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    built = MAVEN_MISSING ? Promise.reject(new Error(MAVEN_MISSING)) : deployBoth();
    built.catch(() => {});
  });
  after(() => server?.stop());

  test('compiles with the dependency, offline, and runs with it on the classpath', { skip: MAVEN_MISSING }, async () => {
    const [{ functionId, deployment }] = await built;
    assert.equal(deployment.status, 'ready', deployment.buildLogs);
    assert.match(deployment.buildLogs, /Copying pom\.xml's dependencies/);
    const execution = await functions.createExecution({ functionId, body: 'world' });
    assert.equal(execution.status, 'completed', execution.errors);
    assert.deepEqual(JSON.parse(execution.responseBody), { greeting: 'Hello, World' });
  });

  test("fails the build with Maven's reason when a dependency is not among Debian's", { skip: MAVEN_MISSING }, async () => {
    const [, { deployment }] = await built;
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.buildLogs, /com\.example\.nowhere:absent/);
    assert.match(deployment.buildLogs, /Compiling the function failed/);
  });

  test('a build.gradle without a pom.xml fails the build, saying Gradle is not run, rather than being ignored', { skip: JAVA_MISSING }, async () => {
    const { deployment } = await deployFunction(functions, {
      runtime: 'java-17.0',
      files: { 'build.gradle': "plugins { id 'java' }\n", 'src/Main.java': PLAIN_FUNCTION },
      entrypoint: 'src/Main.java',
    });
    assert.equal(deployment.status, 'failed');
    assert.match(deployment.buildLogs, /build\.gradle needs Gradle, which Plinth does not run for Java functions: declare the dependencies in a pom\.xml/);
    assert.match(deployment.buildLogs, /Compiling the function failed/);
  });
});
