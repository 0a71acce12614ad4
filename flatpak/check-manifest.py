#!/usr/bin/env python3
# check-manifest.py
#
# Copyright 2026 The Badge Wallet authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-manifest.py MANIFEST APP_ID COMMAND
#
# Checks that the Flatpak manifest parses, names this application and its
# command, builds this source tree with meson, and asks for exactly the
# sandbox holes the application needs and no more.  When flatpak-builder is
# installed, it must also accept the manifest without a warning.

import json
import os
import shutil
import subprocess
import sys
import tempfile

EXPECTED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}


def fail(message):
    print("check-manifest.py: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        fail("usage: check-manifest.py MANIFEST APP_ID COMMAND")
    path, app_id, command = sys.argv[1:]

    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))

    found_id = manifest.get("id", manifest.get("app-id"))
    if found_id != app_id:
        fail("id is %r, not %r" % (found_id, app_id))
    if manifest.get("command") != command:
        fail("command is %r, not %r" % (manifest.get("command"), command))
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        fail("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")
    version = str(manifest.get("runtime-version", ""))
    if not version.isdigit():
        fail("runtime-version %r is not a stable GNOME branch" % version)

    finish_args = manifest.get("finish-args", [])
    if len(finish_args) != len(set(finish_args)) or set(finish_args) != EXPECTED_FINISH_ARGS:
        fail("finish-args are %r, expected exactly %r" % (finish_args, sorted(EXPECTED_FINISH_ARGS)))

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict):
        fail("the last module must be the application itself")
    app = modules[-1]
    if app.get("buildsystem") != "meson":
        fail("the application module must use the meson buildsystem")
    if {"type": "dir", "path": ".."} not in app.get("sources", []):
        fail('the application module must build the source tree ({"type": "dir", "path": ".."})')

    builder = shutil.which("flatpak-builder")
    if builder is not None:
        # flatpak-builder writes caches under HOME; keep them out of the
        # user's home, and make its warnings (unknown keys) fatal.
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, HOME=home, XDG_CACHE_HOME=home, XDG_DATA_HOME=home,
                       G_DEBUG="fatal-warnings")
            result = subprocess.run([builder, "--show-manifest", os.path.abspath(path)],
                                    cwd=home, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                fail("flatpak-builder rejects the manifest:\n" + result.stderr)

    print("ok: %s runs %s on org.gnome.Platform//%s" % (app_id, command, version))


if __name__ == "__main__":
    main()
