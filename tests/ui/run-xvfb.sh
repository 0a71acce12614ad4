#!/bin/sh
# run-xvfb.sh
#
# Copyright 2026 The Badge Wallet authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-xvfb.sh COMMAND [ARGS...]
#
# Runs COMMAND against a private Xvfb server and a private D-Bus session
# bus, with throwaway XDG directories, so a UI test never touches the
# user's display, bus, wallet, caches or settings.

set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bw-xvfb.XXXXXX") || exit 99

# The server picks a free display itself (-displayfd), so parallel runs
# cannot race for a display number.  The file must exist before the
# background job opens it, or the poll below could read nothing.
: >"$tmp/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset \
     3>"$tmp/display" 2>"$tmp/xvfb.log" &
xpid=$!

cleanup ()
{
  kill "$xpid" 2>/dev/null
  wait "$xpid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

i=0
while ! grep -q '^[0-9][0-9]*$' "$tmp/display"; do
  if ! kill -0 "$xpid" 2>/dev/null || [ "$i" -ge 400 ]; then
    echo "run-xvfb.sh: Xvfb failed to start" >&2
    cat "$tmp/xvfb.log" >&2
    exit 99
  fi
  i=$((i + 1))
  sleep 0.05
done

DISPLAY=":$(head -n1 "$tmp/display")"
export DISPLAY
unset WAYLAND_DISPLAY

# Private homes: the application creates its wallet, caches and settings
# there, and a D-Bus-activated service cannot reach the real ones either.
mkdir -p "$tmp/home" "$tmp/data" "$tmp/cache" "$tmp/config" "$tmp/runtime" "$tmp/tmp"
chmod 700 "$tmp/runtime"
# Temporary files of the test land here too, so even a test that aborts
# leaves nothing behind.
TMPDIR="$tmp/tmp"
export TMPDIR
HOME="$tmp/home"
XDG_DATA_HOME="$tmp/data"
XDG_CACHE_HOME="$tmp/cache"
XDG_CONFIG_HOME="$tmp/config"
XDG_RUNTIME_DIR="$tmp/runtime"
export HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_CONFIG_HOME XDG_RUNTIME_DIR

: "${GDK_BACKEND:=x11}"
: "${GSK_RENDERER:=cairo}"
: "${GTK_A11Y:=none}"
: "${NO_AT_BRIDGE:=1}"
: "${ADW_DISABLE_PORTAL:=1}"
export GDK_BACKEND GSK_RENDERER GTK_A11Y NO_AT_BRIDGE ADW_DISABLE_PORTAL

# Fontconfig and the X libraries keep caches for the life of the process,
# which LeakSanitizer reports as leaks it cannot attribute; AddressSanitizer
# and UBSan still run in full.
if [ -n "${ASAN_OPTIONS:-}" ]; then
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  export ASAN_OPTIONS
fi

# A private session bus: without one GDBus would autolaunch a bus bound to
# this display, and the application must register its own unique name.
unset DBUS_SESSION_BUS_ADDRESS
dbus-run-session -- "$@"
rc=$?
exit "$rc"
