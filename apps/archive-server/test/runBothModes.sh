#!/usr/bin/env bash
# The archive's suite, twice (issue 9): every test in the embedded mode (SQLite + files), then the
# storage-touching ones again with PostgreSQL + an S3-protocol server (test/storageMode.ts lists
# them). Both runs always happen; the exit status fails if either failed. Extra arguments go to
# both vitest runs.
set -u
vitest run "$@"
embedded=$?
PACSKIT_TEST_STORAGE=postgres vitest run "$@"
postgres=$?
exit $(( embedded != 0 || postgres != 0 ))
