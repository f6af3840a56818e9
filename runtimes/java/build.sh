#!/bin/sh
# Compiles the deployment's Java sources together with Plinth's runtime server into .plinth/classes.
# Runs in the build sandbox, in the deployment's folder, with this folder shown at $PLINTH_RUNTIME_DIR.
# The entrypoint's class (its package and file name) is the function; it is named in .plinth/main-class.
# A pom.xml's dependencies are copied into .plinth/lib by Maven, offline, from Debian's packaged
# repository (/usr/share/maven-repo, the lib*-java packages); the server starts with them on its classpath.
# A Gradle build file without a pom.xml fails the build, saying so.
set -eu
code="$(pwd)"
runtime="${PLINTH_RUNTIME_DIR:-/runtime}"
entry="${OPEN_RUNTIMES_ENTRYPOINT:-src/Main.java}"
package="$(sed -n 's/^[[:space:]]*package[[:space:]]*\([A-Za-z0-9_.]*\)[[:space:]]*;.*/\1/p' "$entry" | head -1)"
main_class="${package:+$package.}$(basename "$entry" .java)"
sources="${TMPDIR:-/tmp}/plinth-java-sources"
rm -rf "$code/.plinth" && mkdir -p "$code/.plinth/classes"
find "$runtime/src" -name '*.java' > "$sources"
find . -path ./.plinth -prune -o -name '*.java' -print >> "$sources"
# Gradle is not run: Debian's only Gradle (4.4.1, from 2017) reads none of today's build files, and a
# newer one cannot be installed offline. A build file that would go unread fails the build instead.
for gradle in build.gradle build.gradle.kts settings.gradle settings.gradle.kts; do
  if [ -f "$gradle" ]; then
    if [ -f pom.xml ]; then echo "$gradle is not read (Plinth does not run Gradle); the dependencies come from pom.xml"; break; fi
    echo "$gradle needs Gradle, which Plinth does not run for Java functions: declare the dependencies in a pom.xml (resolved offline from Debian's Maven repository), or remove $gradle to compile the sources alone" >&2
    exit 1
  fi
done
if [ -f pom.xml ]; then
  if ! command -v mvn > /dev/null; then echo "pom.xml needs Maven, which this server lacks (Debian's maven)" >&2; exit 1; fi
  echo "Copying pom.xml's dependencies from Debian's Maven repository (offline)"
  mvn --offline --batch-mode --quiet -Dstyle.color=never -Dmaven.repo.local=/usr/share/maven-repo \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$code/.plinth/lib"
fi
echo "Compiling with $(javac -version 2>&1)"
javac -encoding UTF-8 -nowarn -cp "$code/.plinth/lib/*" -d "$code/.plinth/classes" @"$sources"
printf '%s\n' "$main_class" > "$code/.plinth/main-class"
echo "Compiled $main_class"
