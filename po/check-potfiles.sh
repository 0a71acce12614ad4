#!/bin/sh
# check-potfiles.sh
#
# Copyright 2026 The Badge Wallet authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-potfiles.sh SOURCE_ROOT
#
# Fails when a source file with translatable strings (_(" or N_(" or C_(
# in C, translatable="yes" in GtkBuilder files) is missing from
# po/POTFILES.in, when POTFILES.in names a file that does not exist, or
# when it is not sorted; a string outside POTFILES.in is never translated.

set -u
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
potfiles="$root/po/POTFILES.in"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bw-potfiles.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0

if [ ! -f "$potfiles" ]; then
  echo "check-potfiles.sh: $potfiles is missing" >&2
  exit 1
fi

# The listed files, without comments and blank lines.
grep -v -E '^[[:space:]]*(#|$)' "$potfiles" >"$tmp/listed"

(
  cd "$root" || exit 1
  grep -r -l -E '\b(N_|C_|NC_|_)\("' --include='*.c' --include='*.h' src
  grep -r -l -E 'translatable="(yes|true)"' --include='*.ui' src
) | LC_ALL=C sort -u >"$tmp/needed"

if [ ! -s "$tmp/needed" ]; then
  echo "check-potfiles.sh: found no source with translatable strings under $root/src" >&2
  exit 1
fi

LC_ALL=C sort -u "$tmp/listed" >"$tmp/listed-sorted"
missing=$(LC_ALL=C comm -23 "$tmp/needed" "$tmp/listed-sorted")
if [ -n "$missing" ]; then
  echo "check-potfiles.sh: these files have translatable strings but are not in po/POTFILES.in:" >&2
  echo "$missing" >&2
  status=1
fi

while read -r file; do
  if [ ! -e "$root/$file" ]; then
    echo "check-potfiles.sh: po/POTFILES.in names $file, which does not exist" >&2
    status=1
  fi
done <"$tmp/listed"

if ! LC_ALL=C sort -c "$tmp/listed" 2>/dev/null; then
  echo "check-potfiles.sh: po/POTFILES.in is not sorted (LC_ALL=C sort)" >&2
  status=1
fi

exit "$status"
