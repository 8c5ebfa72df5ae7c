#!/usr/bin/env bash
# Runs a command in a private, loopback-only network namespace (FACTS.md): Orthanc 1.10 and DCMTK's
# storescp bind every interface, so tests that start them must not run on the host network.
# Needs root and iproute2. Already inside such a namespace (PACSKIT_LOOPBACK_NS=1)? Run as is.
set -euo pipefail
if [ "${PACSKIT_LOOPBACK_NS:-}" = 1 ]; then exec "$@"; fi
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
  echo "✖ loopback namespace needs root, unshare and iproute2 (apt-get install -y iproute2)" >&2
  exit 1
fi
export PACSKIT_LOOPBACK_NS=1
exec unshare -n -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
