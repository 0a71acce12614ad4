/* bw-cli.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <unistd.h>

#include "bw-cli.h"
#include "bw-error.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *synopsis;
  const char *summary;
} BwCommand;

static const BwCommand commands[] = {
  { "verify",  bw_cli_verify,
    N_("[OPTIONS] INPUT…"),
    N_("Check that badges are genuine, current and issued to the right person") },
  { "inspect", bw_cli_inspect,
    N_("[--json] FILE…"),
    N_("Show the Open Badges data baked into images, without the network") },
  { "import",  bw_cli_import,
    N_("[--verify] FILE|DIR|URL…"),
    N_("Add badges to the wallet") },
  { "list",    bw_cli_list,
    N_("[--json]"),
    N_("List the badges in the wallet") },
  { "export",  bw_cli_export,
    N_("DIR"),
    N_("Write every original and a manifest to a folder") },
  { "remove",  bw_cli_remove,
    N_("ID…"),
    N_("Remove badges from the wallet") },
  { "share",   bw_cli_share,
    N_("[--json] ID|FILE"),
    N_("Print the share links and embed code of a badge") },
};

void
bw_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "badge-wallet: %s\n", message);
}

/**
 * bw_cli_read_stdin:
 *
 * Reads all of standard input, up to %BW_CLI_MAX_STDIN bytes; more is an
 * error, so a runaway pipe cannot exhaust memory.
 *
 * Returns: (transfer full): the bytes read
 */
GBytes *
bw_cli_read_stdin (GError **error)
{
  g_autoptr(GInputStream) stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[65536];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len + (gsize)n > BW_CLI_MAX_STDIN)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("standard input is too large (more than %d bytes)"), BW_CLI_MAX_STDIN);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint)n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

char *
bw_cli_wallet_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "badge-wallet", NULL);
}

static const BwCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

gboolean
bw_cli_is_command (const char *arg)
{
  if (arg == NULL)
    return FALSE;

  /* Options before any command are the command line's, so a mistyped one is a
   * usage error and never starts the window; only GApplication's own service
   * option goes to the application. */
  if (arg[0] == '-' && arg[1] != '\0')
    return !g_str_has_prefix (arg, "--gapplication-");

  return find_command (arg) != NULL || g_str_equal (arg, "help");
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage:"));
  fprintf (out, "  badge-wallet [FILE…]\n");
  fprintf (out, "  badge-wallet COMMAND [OPTIONS…]\n\n");
  fprintf (out, "%s\n\n",
           _("Keep, verify and share Open Badges. With no command, or with files,\n"
             "the application opens; the files are checked as if dropped on its window."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "  %-8s %s\n\n", "help", _("Show help for a command"));
  fprintf (out, "%s\n", _("Options:"));
  fprintf (out, "  -h, --help     %s\n", _("Show this help"));
  fprintf (out, "  --version      %s\n\n", _("Show the version"));
  fprintf (out, "%s\n", _("Run “badge-wallet help COMMAND” for a command’s options."));
}

int
bw_cli_main (int    argc,
             char **argv)
{
  const BwCommand *command;

  g_return_val_if_fail (argc >= 2, BW_EXIT_USAGE);

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("badge-wallet %s\n", PACKAGE_VERSION);
      return BW_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_help (stdout);
      return BW_EXIT_OK;
    }

  if (g_str_equal (argv[1], "help"))
    {
      if (argc < 3)
        {
          print_help (stdout);
          return BW_EXIT_OK;
        }
      if (g_str_equal (argv[2], "help"))
        {
          print_help (stdout);
          return BW_EXIT_OK;
        }
      command = find_command (argv[2]);
      if (command == NULL)
        {
          bw_cli_printerr (_("unknown command “%s”"), argv[2]);
          return BW_EXIT_USAGE;
        }
      else
        {
          char *help_argv[] = { (char *)command->name, (char *)"--help", NULL };

          return command->run (2, help_argv);
        }
    }

  if (argv[1][0] == '-')
    {
      bw_cli_printerr (_("unknown option “%s”"), argv[1]);
      print_help (stderr);
      return BW_EXIT_USAGE;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      bw_cli_printerr (_("unknown command “%s”"), argv[1]);
      print_help (stderr);
      return BW_EXIT_USAGE;
    }

  return command->run (argc - 1, argv + 1);
}
