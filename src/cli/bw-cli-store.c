/* bw-cli-store.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "bw-cli.h"
#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-store.h"
#include "bw-util.h"
#include "bw-verifier.h"

#define DEFAULT_TIMEOUT 30

/* The short id the human listing shows; remove accepts any unique prefix. */
#define SHORT_ID 12

static BwStore *
open_wallet (const char *command)
{
  g_autofree char *directory = bw_cli_wallet_dir ();
  g_autoptr(GError) error = NULL;
  BwStore *store;

  store = bw_store_open (directory, &error);
  if (store == NULL)
    {
      bw_cli_printerr (_("%s: cannot open the wallet in %s: %s"), command, directory,
                       error->message);
      return NULL;
    }
  if (bw_store_get_recovery_message (store) != NULL)
    bw_cli_printerr ("%s", bw_store_get_recovery_message (store));
  return store;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      bw_cli_printerr ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* import                                                                    */
/* ------------------------------------------------------------------------- */

typedef struct
{
  gboolean json;
  guint    failed;
} ImportRun;

static void
print_result_cb (BwStore              *store,
                 const BwImportResult *result,
                 gpointer              user_data)
{
  ImportRun *run = user_data;

  if (result->status == BW_IMPORT_NOT_A_BADGE || result->status == BW_IMPORT_FAILED)
    run->failed++;

  if (run->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *line = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input");
      json_builder_add_string_value (builder, result->input != NULL ? result->input : "");
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, bw_import_status_to_string (result->status));
      bw_json_builder_add_string (builder, "id", result->wallet_id);
      bw_json_builder_add_string (builder, "message", result->message);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      line = json_to_string (root, FALSE);
      printf ("%s\n", line);
    }
  else
    {
      switch (result->status)
        {
        case BW_IMPORT_ADDED:
          /* Translators: an imported file and the wallet id it got. */
          printf (_("added: %s (%s)\n"), result->input, result->wallet_id);
          break;
        case BW_IMPORT_ALREADY_PRESENT:
          printf (_("already in the wallet: %s (%s)\n"), result->input, result->wallet_id);
          break;
        case BW_IMPORT_NOT_A_BADGE:
          /* Translators: a file, then why it holds no badge. */
          printf (_("not a badge: %s: %s\n"), result->input, result->message);
          break;
        case BW_IMPORT_FAILED:
        default:
          printf (_("failed: %s: %s\n"), result->input, result->message);
          break;
        }
    }

  /* A line is printed only for a result already safe on disk, and is
   * flushed at once: what a script has read is never lost. */
  fflush (stdout);
}

int
bw_cli_import (int    argc,
               char **argv)
{
  g_auto(GStrv) maps = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *credly = NULL;
  g_autofree char *backpack = NULL;
  gboolean allow_local = FALSE;
  gboolean verify = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "allow-local", 0, 0, G_OPTION_ARG_NONE, &allow_local,
      N_("Allow fetching from loopback and private addresses"), NULL },
    { "map-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Fetch URLs starting with FROM from TO instead (repeatable)"), N_("FROM=TO") },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Verify each badge as it is added and keep the report"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per input, one per line"), NULL },
    { "credly", 0, 0, G_OPTION_ARG_STRING, &credly,
      N_("Import the badges of a Credly public profile"), N_("USERNAME|PROFILE-URL") },
    { "backpack", 0, 0, G_OPTION_ARG_STRING, &backpack,
      N_("Import the badges of a Badgr-compatible backpack"), N_("SERVER-URL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwStore) store = NULL;
  g_autoptr(BwFetcher) fetcher = NULL;
  g_autoptr(BwVerifier) verifier = NULL;
  g_autoptr(GPtrArray) results = NULL;
  ImportRun run = { 0 };

  context = g_option_context_new (_("FILE|DIR|URL…"));
  g_option_context_set_summary (context,
                                _("Add badges to the wallet. A folder is imported with every "
                                  "badge below it; - reads one badge from standard input. "
                                  "A folder written by “badge-wallet export” brings back its "
                                  "added dates, notes and verification results."));
  g_option_context_set_description (context,
                                    _("Prints one line per input: added, already in the wallet, "
                                      "not a badge (with the reason) or failed.\n"
                                      "Exit status: 0 every input was added or already present; "
                                      "1 at least one was not a badge or could not be imported; "
                                      "2 usage error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return BW_EXIT_USAGE;

  if (credly != NULL || backpack != NULL)
    {
      bw_cli_printerr (_("import: %s is not supported yet"),
                       credly != NULL ? "--credly" : "--backpack");
      return BW_EXIT_USAGE;
    }
  if (inputs == NULL || inputs[0] == NULL)
    {
      bw_cli_printerr ("%s", _("import: no input given (try “badge-wallet import --help”)"));
      return BW_EXIT_USAGE;
    }

  fetcher = bw_fetcher_new ();
  bw_fetcher_set_allow_local (fetcher, allow_local);
  bw_fetcher_set_timeout (fetcher, DEFAULT_TIMEOUT);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      if (!bw_fetcher_add_url_map (fetcher, maps[i], &error))
        {
          bw_cli_printerr (_("import: --map-url %s: %s"), maps[i], error->message);
          return BW_EXIT_USAGE;
        }
    }

  store = open_wallet ("import");
  if (store == NULL)
    return BW_EXIT_FAILED;
  bw_store_set_fetcher (store, fetcher);
  if (verify)
    {
      verifier = bw_verifier_new (fetcher);
      bw_verifier_set_timeout (verifier, DEFAULT_TIMEOUT);
      bw_store_set_verifier (store, verifier);
    }

  run.json = json;
  results = bw_store_import_paths_full (store, (const char * const *)inputs,
                                        print_result_cb, &run, NULL, &error);
  if (results == NULL)
    {
      bw_cli_printerr (_("import stopped: %s"), error->message);
      return BW_EXIT_FAILED;
    }

  return run.failed > 0 ? BW_EXIT_FAILED : BW_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* list                                                                      */
/* ------------------------------------------------------------------------- */

static const char *
member_or (JsonObject *object,
           const char *member,
           const char *fallback)
{
  const char *value = bw_json_object_get_string (object, member);

  return value != NULL ? value : fallback;
}

/* The date part of an ISO 8601 time, for the table. */
static char *
short_date (JsonObject *object,
            const char *member)
{
  const char *value = bw_json_object_get_string (object, member);

  if (value == NULL)
    return g_strdup ("—");
  return g_strndup (value, 10);
}

static void
print_cell (const char *text,
            guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  if ((guint)length > width)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, width - 1);

      printf ("%s… ", cut);
      return;
    }
  printf ("%s%*s ", text, (int)(width - (guint)length), "");
}

int
bw_cli_list (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per badge, one per line"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BwStore) store = NULL;
  guint n;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("List the badges in the wallet, most recently added first. "
                                  "With --json each line holds id, name, issuer, issued, "
                                  "expires, added, verdict and checked (the time of the last "
                                  "verification)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return BW_EXIT_USAGE;
  if (argc > 1)
    {
      bw_cli_printerr (_("list: unexpected argument “%s”"), argv[1]);
      return BW_EXIT_USAGE;
    }

  store = open_wallet ("list");
  if (store == NULL)
    return BW_EXIT_FAILED;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  if (!json)
    {
      print_cell (_("ID"), SHORT_ID);
      print_cell (_("NAME"), 32);
      print_cell (_("ISSUER"), 24);
      print_cell (_("ISSUED"), 10);
      print_cell (_("EXPIRES"), 10);
      printf ("%s\n", _("VERIFIED"));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) summary = bw_store_dup_summary (store, i);
      JsonObject *object = json_node_get_object (summary);

      if (json)
        {
          g_autofree char *line = json_to_string (summary, FALSE);

          printf ("%s\n", line);
        }
      else
        {
          g_autofree char *id = g_strndup (member_or (object, "id", ""), SHORT_ID);
          g_autofree char *issued = short_date (object, "issued");
          g_autofree char *expires = short_date (object, "expires");
          g_autofree char *checked = short_date (object, "checked");
          const char *verdict = bw_json_object_get_string (object, "verdict");

          print_cell (id, SHORT_ID);
          print_cell (member_or (object, "name", _("(unnamed)")), 32);
          print_cell (member_or (object, "issuer", _("(unknown issuer)")), 24);
          print_cell (issued, 10);
          print_cell (expires, 10);
          if (verdict != NULL)
            printf ("%s %s\n", verdict, checked);
          else
            printf ("%s\n", _("never"));
        }
    }

  return BW_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* export                                                                    */
/* ------------------------------------------------------------------------- */

int
bw_cli_export (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  context = g_option_context_new (_("DIR"));
  g_option_context_set_summary (context,
                                _("Write every original byte-exact, and a manifest.json with the "
                                  "wallet's ids, added dates, notes and last verification "
                                  "results, to DIR. Importing DIR into an empty wallet gives "
                                  "the same wallet."));
  if (!parse_options (context, &argc, &argv))
    return BW_EXIT_USAGE;
  if (argc != 2)
    {
      bw_cli_printerr ("%s",
                       _("export: give exactly one folder (try “badge-wallet export --help”)"));
      return BW_EXIT_USAGE;
    }

  store = open_wallet ("export");
  if (store == NULL)
    return BW_EXIT_FAILED;

  if (!bw_store_export (store, argv[1], &error))
    {
      bw_cli_printerr (_("export: %s"), error->message);
      return BW_EXIT_FAILED;
    }

  printf (g_dngettext (GETTEXT_PACKAGE,
                       "Exported %u badge to %s\n",
                       "Exported %u badges to %s\n",
                       bw_store_get_total (store)),
          bw_store_get_total (store), argv[1]);
  return BW_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* remove                                                                    */
/* ------------------------------------------------------------------------- */

int
bw_cli_remove (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(BwStore) store = NULL;
  gboolean any_failed = FALSE;

  context = g_option_context_new (_("ID…"));
  g_option_context_set_summary (context,
                                _("Remove badges from the wallet, with their originals. ID is a "
                                  "wallet id as “badge-wallet list” shows it, or its first 4 or "
                                  "more characters when no other badge starts with them.\n"
                                  "Exit status: 0 all removed; 1 an id is not in the wallet, too "
                                  "short or matches more than one badge; 2 usage error."));
  if (!parse_options (context, &argc, &argv))
    return BW_EXIT_USAGE;
  if (argc < 2)
    {
      bw_cli_printerr ("%s", _("remove: no id given (try “badge-wallet remove --help”)"));
      return BW_EXIT_USAGE;
    }
  /* An empty argument is a script's unset variable, never an id. */
  for (int i = 1; i < argc; i++)
    {
      if (*argv[i] == '\0')
        {
          bw_cli_printerr ("%s",
                           _("remove: an empty id was given (try “badge-wallet remove --help”)"));
          return BW_EXIT_USAGE;
        }
    }

  store = open_wallet ("remove");
  if (store == NULL)
    return BW_EXIT_FAILED;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *wallet_id = bw_store_resolve_id (store, argv[i], &error);

      if (wallet_id == NULL || !bw_store_remove (store, wallet_id, &error))
        {
          bw_cli_printerr (_("remove: %s"), error->message);
          any_failed = TRUE;
          continue;
        }
      printf (_("removed: %s\n"), wallet_id);
      fflush (stdout);
    }

  return any_failed ? BW_EXIT_FAILED : BW_EXIT_OK;
}
