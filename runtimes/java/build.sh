#!/bin/sh
# Compiles the deployment's Java sources together with Plinth's runtime server into .plinth/classes.
# Runs in the build sandbox, in the deployment's folder, with this folder shown at $PLINTH_RUNTIME_DIR.
# The entrypoint's class (its package and file name) is the function; it is named in .plinth/main-class.
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
echo "Compiling with $(javac -version 2>&1)"
javac -encoding UTF-8 -nowarn -d "$code/.plinth/classes" @"$sources"
printf '%s\n' "$main_class" > "$code/.plinth/main-class"
echo "Compiled $main_class"
