#!/bin/sh
# Compiles the deployment's C++ function together with Plinth's runtime server into .plinth/server.
# Runs in the build sandbox, in the deployment's folder, with this folder shown at $PLINTH_RUNTIME_DIR.
# The entrypoint is included into the server, after the runtime's headers; it may include other files
# of the deployment. jsoncpp and libcurl are linked (each only when the function uses it).
set -eu
code="$(pwd)"
runtime="${PLINTH_RUNTIME_DIR:-/runtime}"
entry="${OPEN_RUNTIMES_ENTRYPOINT:-src/main.cc}"
standard="${PLINTH_CPP_STANDARD:-c++17}"
if [ ! -f "$entry" ]; then
  echo "The entrypoint $entry is not in the deployment." >&2
  exit 1
fi
echo "Compiling with $(g++ --version | head -1), -std=$standard"
rm -rf "$code/.plinth" && mkdir -p "$code/.plinth"
# -Werror=return-type: a path that ends without returning an answer is a compile error, not undefined behaviour.
g++ -std="$standard" -O2 -pthread -Werror=return-type \
  -I"$runtime/include" -I"$runtime/include/runtime" -I/usr/include/jsoncpp \
  -DPLINTH_FUNCTION="\"$code/$entry\"" \
  "$runtime/server/server.cc" "$runtime/server/http.cc" "$runtime/server/capture.cc" \
  -o "$code/.plinth/server" -Wl,--as-needed -ljsoncpp -lcurl
echo "Compiled .plinth/server"
