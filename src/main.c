/* main.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bw-cli.h"
#include "bw-application.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A subcommand never initialises GTK, so it works with no display. */
  if (argc >= 2 && bw_cli_is_command (argv[1]))
    return bw_cli_main (argc, argv);

  return bw_application_run (argc, argv);
}
