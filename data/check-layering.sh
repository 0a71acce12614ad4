#!/bin/sh
# check-layering.sh
#
# Copyright 2026 The Badge Wallet authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-layering.sh SRCDIR
#
# Fails when a file of src/core or src/cli includes a GTK, GDK, libadwaita
# or librsvg header: the core and the command line must work with no
# display, and only src/ui may depend on a toolkit.

set -u
src=${1:?usage: check-layering.sh SRCDIR}
status=0
found=0

for dir in "$src/core" "$src/cli"; do
  if [ ! -d "$dir" ]; then
    echo "check-layering.sh: no such folder: $dir" >&2
    exit 1
  fi
  for file in "$dir"/*.c "$dir"/*.h; do
    [ -e "$file" ] || continue
    found=$((found + 1))
    # An include of gtk/, gdk/, gsk/, adwaita.h or librsvg/, in quotes or
    # angle brackets, with any spacing after the hash.
    if grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|librsvg/|rsvg\.h|gdk-pixbuf/)' "$file"; then
      echo "check-layering.sh: $file includes a toolkit header" >&2
      status=1
    fi
  done
  # Nor may their build files link a toolkit.
  if [ -e "$dir/meson.build" ] &&
     grep -n -E '\b(gtk_dep|adw_dep|rsvg_dep)\b' "$dir/meson.build"; then
    echo "check-layering.sh: $dir/meson.build depends on a toolkit" >&2
    status=1
  fi
done

if [ "$found" -eq 0 ]; then
  echo "check-layering.sh: no sources found under $src" >&2
  exit 1
fi
exit "$status"
