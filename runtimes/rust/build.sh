#!/bin/sh
# Compiles the deployment's Rust function together with Plinth's runtime server into .plinth/server.
# Runs in the build sandbox, in the deployment's folder, with this folder shown at $PLINTH_RUNTIME_DIR.
# The function is a library crate (its Cargo.toml, or one made here around the entrypoint) that the
# server depends on as `handler`; `openruntimes` is this runtime's own crate. Crates come from Debian's
# packaged registry (/usr/share/cargo/registry, the librust-*-dev packages), never from the network.
# With $PLINTH_BUILD_CACHE (read-only), the crates an earlier build of this toolchain compiled
# are copied in first and cargo reuses them; with $PLINTH_BUILD_CACHE_FILL too, this build (the
# runtime's own seed function) writes them there instead.
set -eu
code="$(pwd)"
runtime="${PLINTH_RUNTIME_DIR:-/runtime}"
entry="${OPEN_RUNTIMES_ENTRYPOINT:-src/lib.rs}"
work="${TMPDIR:-/tmp}/plinth-rust"
registry="${PLINTH_CARGO_REGISTRY:-/usr/share/cargo/registry}"
# Debian's toolchain, whatever else PATH may offer (rustup's, say).
export RUSTC=/usr/bin/rustc CARGO_HOME="$work/cargo-home" CARGO_TARGET_DIR="$work/target" CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
# Messages and panics name the function's files as the deployment has them, not the build's copy.
export RUSTFLAGS="--remap-path-prefix=$work/function/="

echo "Compiling with $("$RUSTC" --version)"
rm -rf "$work" && mkdir -p "$work/function" "$work/server/src" "$CARGO_HOME"
(cd "$code" && tar -cf - --exclude=./.plinth --exclude=./target .) | (cd "$work/function" && tar -xf -)
cache="${PLINTH_BUILD_CACHE:-}"
if [ -n "$cache" ] && [ -z "${PLINTH_BUILD_CACHE_FILL:-}" ] && [ -d "$cache/release" ]; then
  # Copied with their times: cargo trusts a registry crate's artifacts when its fingerprint matches.
  mkdir -p "$CARGO_TARGET_DIR" && cp -a "$cache/release" "$CARGO_TARGET_DIR/"
  echo "Reusing the crates compiled by an earlier build"
fi
cat > "$CARGO_HOME/config.toml" <<CONFIG
[source.crates-io]
replace-with = "debian-packages"

[source.debian-packages]
directory = "$registry"

[net]
offline = true
CONFIG

if [ -f "$work/function/Cargo.toml" ]; then
  package="$(sed -n 's/^name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$work/function/Cargo.toml" | head -1)"
  # The function's own openruntimes dependency, wherever it pointed, is this runtime's crate.
  sed -i "s#^openruntimes[[:space:]]*=.*#openruntimes = { path = \"$runtime/types\" }#" "$work/function/Cargo.toml"
  rm -f "$work/function/Cargo.lock"
else
  package=handler
  cat > "$work/function/Cargo.toml" <<MANIFEST
[package]
name = "handler"
version = "0.1.0"
edition = "2021"

[lib]
path = "$entry"

[dependencies]
openruntimes = { path = "$runtime/types" }
serde_json = "1"
MANIFEST
fi

cp "$runtime/server/"*.rs "$work/server/src/"
cat > "$work/server/Cargo.toml" <<MANIFEST
[package]
name = "plinth-runtime-server"
version = "0.1.0"
edition = "2021"

[[bin]]
name = "server"
path = "src/main.rs"

[dependencies]
handler = { path = "$work/function", package = "$package" }
openruntimes = { path = "$runtime/types" }
serde_json = "1"

# Crates from the registry at opt-level 1, the server and the function at 2: a build takes half the time of
# full optimisation, and the function's own code keeps most of the speed.
[profile.release]
opt-level = 2
debug = false

[profile.release.package."*"]
opt-level = 1

[profile.release.package.$package]
opt-level = 2

[workspace]
MANIFEST
mkdir -p "$code/.plinth"
cd "$work/server"
/usr/bin/cargo build --release --offline --quiet
cp "$CARGO_TARGET_DIR/release/server" "$code/.plinth/server"
echo "Compiled .plinth/server"

if [ -n "$cache" ] && [ -n "${PLINTH_BUILD_CACHE_FILL:-}" ]; then
  # Not the function's or the server's artifacts: every build compiles those from its own sources (the
  # runtime's crate stays, as its files are the cache's own key).
  mkdir -p "$cache/release"
  for dir in deps build .fingerprint; do
    if [ -d "$CARGO_TARGET_DIR/release/$dir" ]; then cp -a "$CARGO_TARGET_DIR/release/$dir" "$cache/release/"; fi
  done
  find "$cache/release" -mindepth 1 -maxdepth 2 \( -name 'handler-*' -o -name 'libhandler-*' -o -name 'plinth-runtime-server-*' -o -name 'server-*' \) -exec rm -rf {} +
fi
