/* bw-test-issuer-main.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-test-issuer"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "bw-test-issuer.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BwTestIssuer) issuer = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  int port = 0;
  int delay_ms = 0;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port of 127.0.0.1 (0: any free port)", "PORT" },
    { "delay-ms", 'd', 0, G_OPTION_ARG_INT, &delay_ms, "Delay every response", "MS" },
    { NULL }
  };

  context = g_option_context_new ("DIR — serve DIR on 127.0.0.1 for tests and benchmarks");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 ||
      port < 0 || port > 65535 || delay_ms < 0)
    {
      fprintf (stderr, "usage: bw-test-issuer [--port N] [--delay-ms N] DIR%s%s\n",
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 2;
    }

  issuer = bw_test_issuer_new_on_port ((guint)port, &error);
  if (issuer == NULL)
    {
      fprintf (stderr, "bw-test-issuer: %s\n", error->message);
      return 1;
    }
  bw_test_issuer_serve_directory (issuer, "/", argv[1]);
  bw_test_issuer_set_delay (issuer, (guint)delay_ms);

  printf ("%s\n", bw_test_issuer_get_url (issuer, 0));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  return 0;
}
