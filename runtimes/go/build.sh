#!/bin/sh
# Compiles the deployment's Go function together with Plinth's runtime server into .plinth/server.
# Runs in the build sandbox, in the deployment's folder, with this folder shown at $PLINTH_RUNTIME_DIR.
# The function is the package of the entrypoint's folder; its module (its go.mod, or one made here)
# is joined to the server's module, and `openruntimes` is this runtime's own package.
set -eu
code="$(pwd)"
runtime="${PLINTH_RUNTIME_DIR:-/runtime}"
work="${TMPDIR:-/tmp}/plinth-go"
export GOCACHE="${TMPDIR:-/tmp}/go-cache" GOPATH="${TMPDIR:-/tmp}/go" GOFLAGS=-mod=mod GOTOOLCHAIN=local GO111MODULE=on GOTELEMETRY=off

host_version="$(go env GOVERSION | sed 's/^go//')"
echo "Compiling with Go $host_version"
rm -rf "$work" && mkdir -p "$work/function" "$work/server"
(cd "$code" && tar -cf - --exclude=./.plinth .) | (cd "$work/function" && tar -xf -)

if [ -f "$work/function/go.mod" ]; then
  module="$(sed -n 's/^module[[:space:]]*//p' "$work/function/go.mod" | head -1 | tr -d '"')"
  wanted="$(sed -n 's/^go[[:space:]]*//p' "$work/function/go.mod" | head -1)"
  if [ -n "$wanted" ] && [ "$(printf '%s\n%s\n' "$wanted" "$host_version" | sort -V | tail -1)" != "$host_version" ]; then
    echo "go.mod asks for Go $wanted; this runtime has Go $host_version." >&2
    exit 1
  fi
else
  module=plinth.run/function
  printf 'module %s\n\ngo 1.19\n' "$module" > "$work/function/go.mod"
fi
package_dir="$(dirname "${OPEN_RUNTIMES_ENTRYPOINT:-main.go}")"
package="$module"
[ "$package_dir" = "." ] || package="$module/$package_dir"

sed "s#handler \"plinth.run/function\"#handler \"$package\"#" "$runtime/server/main.go" > "$work/server/main.go"
cat > "$work/server/go.mod" <<MOD
module plinth.run/server

go 1.19

require (
	$module v0.0.0
	github.com/open-runtimes/types-for-go/v4 v4.0.0
)

replace $module => $work/function

replace github.com/open-runtimes/types-for-go/v4 => $runtime/types
MOD
[ -f "$work/function/go.sum" ] && cp "$work/function/go.sum" "$work/server/go.sum"
mkdir -p "$code/.plinth"
cd "$work/server"
# Without -trimpath: Debian's precompiled standard library is used as it is, not compiled again.
go build -o "$code/.plinth/server" .
echo "Compiled .plinth/server"
