#!/bin/sh
# run-fuzz.sh
#
# Copyright 2026 The Badge Wallet authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one libFuzzer target for a while: run-fuzz.sh TARGET SECONDS
# (TARGET is png, svg or ob). The seed corpus in tests/fuzz/corpus-TARGET
# is only read; new inputs go to a work corpus in the build directory, and
# crashes to artifacts-TARGET/ beside it. FUZZ_BUILD_DIR names the build
# directory of the targets (default: build-fuzz/tests/fuzz).

set -eu

target=${1:?usage: run-fuzz.sh TARGET SECONDS}
seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
build=${FUZZ_BUILD_DIR:-$here/../../build-fuzz/tests/fuzz}
exe=$build/fuzz-$target
seeds=$here/corpus-$target
work=$build/corpus-$target-work
artifacts=$build/artifacts-$target

if [ ! -x "$exe" ]; then
  echo "run-fuzz.sh: $exe is not built (configure with CC=clang -Dfuzzing=true)" >&2
  exit 1
fi

mkdir -p "$work" "$artifacts"

set -- "$exe" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=262144 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work"
if [ -d "$seeds" ]; then
  set -- "$@" "$seeds"
fi

exec "$@"
