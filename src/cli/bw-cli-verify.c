/* bw-cli-verify.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli-verify"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bw-baked.h"
#include "bw-cli.h"
#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-identity.h"
#include "bw-report.h"
#include "bw-verifier.h"

/* Verification waits on the network far more than it computes, so many
 * inputs run at once; the fetcher's per-host limit keeps each issuer's load
 * polite whatever this is. */
#define DEFAULT_JOBS     32
#define MAX_JOBS         256
#define DEFAULT_TIMEOUT  30

typedef struct
{
  GMainLoop   *loop;
  BwVerifier  *verifier;
  char       **inputs;
  guint        n_inputs;
  GBytes      *stdin_data;
  /* Why standard input could not be used, when it could not: that input
   * alone gets an invalid report, the others are verified as usual. */
  GError      *stdin_error;
  BwReport   **reports;
  guint        next_to_start;
  guint        next_to_print;
  guint        running;
  guint        jobs;
  gboolean     json;
  gboolean     any_failed;
  gboolean     any_unreachable;
} VerifyRun;

typedef struct
{
  VerifyRun *run;
  guint      index;
} VerifyItem;

static const char *
status_mark (BwCheckStatus status)
{
  switch (status)
    {
    case BW_CHECK_PASS:
      return "✓";
    case BW_CHECK_FAIL:
      return "✗";
    case BW_CHECK_WARN:
      return "!";
    case BW_CHECK_SKIP:
    default:
      return "–";
    }
}

static void
print_human (BwReport *report)
{
  g_autofree char *summary = bw_report_dup_summary (report);
  g_autofree char *input = NULL;
  BwBadge *badge = bw_report_get_badge (report);
  GPtrArray *checks = bw_report_get_checks (report);

  input = g_filename_display_name (bw_report_get_input (report));
  printf ("%s\n", input);
  printf ("  %s\n", summary);
  if (badge != NULL && bw_badge_get_name (badge) != NULL)
    printf ("  %s %s\n", _("Badge:"), bw_badge_get_name (badge));
  for (guint i = 0; i < checks->len; i++)
    {
      const BwCheck *check = g_ptr_array_index (checks, i);

      printf ("    %s %-20s %s\n", status_mark (check->status), check->id, check->message);
    }
  printf ("\n");
}

static void
print_report (VerifyRun *run,
              BwReport  *report)
{
  if (run->json)
    {
      g_autofree char *line = bw_report_to_json_string (report);

      printf ("%s\n", line);
    }
  else
    print_human (report);
}

static void
note_outcome (VerifyRun *run,
              BwReport  *report)
{
  switch (bw_report_get_verdict (report))
    {
    case BW_VERDICT_VALID:
      break;
    case BW_VERDICT_UNREACHABLE:
      run->any_unreachable = TRUE;
      break;
    case BW_VERDICT_EXPIRED:
    case BW_VERDICT_REVOKED:
    case BW_VERDICT_INVALID:
    default:
      run->any_failed = TRUE;
      break;
    }
  if (bw_report_get_recipient_match (report) == BW_MATCH_MISMATCH)
    run->any_failed = TRUE;
}

/* Results are printed in input order, each as soon as all before it are. */
static void
flush_reports (VerifyRun *run)
{
  while (run->next_to_print < run->n_inputs && run->reports[run->next_to_print] != NULL)
    {
      BwReport *report = run->reports[run->next_to_print];

      print_report (run, report);
      note_outcome (run, report);
      g_clear_object (&run->reports[run->next_to_print]);
      run->next_to_print++;
    }
  fflush (stdout);
}

static gboolean
run_done (VerifyRun *run)
{
  return run->running == 0 && run->next_to_print >= run->n_inputs;
}

static void start_more (VerifyRun *run);

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree VerifyItem *item = user_data;
  VerifyRun *run = item->run;
  g_autoptr(GError) error = NULL;
  BwReport *report;

  report = bw_verifier_verify_finish (BW_VERIFIER (source), result, &error);
  if (report == NULL)
    {
      /* The check could not be run at all; the input still gets its
       * object, so the output keeps one line per input. */
      report = bw_report_new ();
      bw_report_set_input (report, run->inputs[item->index]);
      bw_report_add_check (report, "error", BW_CHECK_FAIL,
                           _("The verification could not be run: %s"), error->message);
      bw_report_set_verdict (report, BW_VERDICT_UNREACHABLE);
    }
  run->reports[item->index] = report;
  run->running--;

  flush_reports (run);
  start_more (run);
  if (run_done (run))
    g_main_loop_quit (run->loop);
}

static BwReport *
stdin_failed_report (VerifyRun *run)
{
  BwReport *report = bw_report_new ();

  bw_report_set_input (report, "-");
  bw_report_set_spec (report, NULL);
  bw_report_set_recipient (report, BW_MATCH_UNKNOWN, NULL);
  bw_report_add_check (report, "payload", BW_CHECK_FAIL,
                       _("No badge could be read from standard input: %s"),
                       run->stdin_error->message);
  bw_report_set_verdict (report, BW_VERDICT_INVALID);
  return report;
}

static void
start_more (VerifyRun *run)
{
  while (run->running < run->jobs && run->next_to_start < run->n_inputs)
    {
      VerifyItem *item;
      const char *input = run->inputs[run->next_to_start];

      if (run->stdin_error != NULL && g_str_equal (input, "-"))
        {
          run->reports[run->next_to_start++] = stdin_failed_report (run);
          flush_reports (run);
          continue;
        }

      item = g_new0 (VerifyItem, 1);
      item->run = run;
      item->index = run->next_to_start++;
      run->running++;
      bw_verifier_verify_input_async (run->verifier, input,
                                      g_str_equal (input, "-") ? run->stdin_data : NULL,
                                      NULL, verify_cb, item);
    }
}

int
bw_cli_verify (int    argc,
               char **argv)
{
  g_auto(GStrv) emails = NULL;
  g_auto(GStrv) identity_args = NULL;
  g_auto(GStrv) maps = NULL;
  g_auto(GStrv) inputs = NULL;
  gboolean json = FALSE;
  gboolean offline = FALSE;
  gboolean allow_local = FALSE;
  int timeout = DEFAULT_TIMEOUT;
  int jobs = DEFAULT_JOBS;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING_ARRAY, &emails,
      N_("An e-mail address of the person the badge should belong to (repeatable)"), N_("ADDR") },
    { "identity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &identity_args,
      N_("An identity of that person: url:, telephone: or email: (repeatable)"), N_("TYPE:VALUE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per input, one per line"), NULL },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Use no network, only the input and the documents cache"), NULL },
    { "allow-local", 0, 0, G_OPTION_ARG_NONE, &allow_local,
      N_("Allow fetching from loopback and private addresses"), NULL },
    { "map-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Fetch URLs starting with FROM from TO instead (repeatable)"), N_("FROM=TO") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Bound on the whole verification of one input (default 30)"), N_("SECONDS") },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &jobs,
      N_("Inputs verified concurrently (default 32)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("INPUT…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetcher) fetcher = NULL;
  g_autoptr(BwVerifier) verifier = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GBytes) stdin_data = NULL;
  g_autoptr(GError) stdin_error = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree BwReport **reports = NULL;
  VerifyRun run = { 0 };
  guint n_inputs;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Check that badges are genuine, current and issued to the right "
                                  "person.\nINPUT is a baked PNG or SVG, an assertion or "
                                  "credential JSON file, a file holding a JWS, an http(s) URL, "
                                  "or - for standard input."));
  g_option_context_set_description (context,
                                    _("Exit status: 0 every input is valid and no recipient "
                                      "check is a mismatch; 1 at least one input is invalid, "
                                      "revoked, expired or a recipient mismatch; 3 none of "
                                      "those, but at least one is unreachable; 2 usage error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      bw_cli_printerr ("%s", error->message);
      return BW_EXIT_USAGE;
    }

  n_inputs = inputs != NULL ? g_strv_length (inputs) : 0;
  if (n_inputs == 0)
    {
      bw_cli_printerr ("%s", _("verify: no input given (try “badge-wallet verify --help”)"));
      return BW_EXIT_USAGE;
    }
  if (timeout <= 0)
    {
      bw_cli_printerr (_("verify: --timeout must be a positive number of seconds, not %d"), timeout);
      return BW_EXIT_USAGE;
    }
  if (jobs <= 0 || jobs > MAX_JOBS)
    {
      bw_cli_printerr (_("verify: --jobs must be between 1 and %d, not %d"), MAX_JOBS, jobs);
      return BW_EXIT_USAGE;
    }

  fetcher = bw_fetcher_new ();
  bw_fetcher_set_allow_local (fetcher, allow_local);
  bw_fetcher_set_offline (fetcher, offline);
  bw_fetcher_set_timeout (fetcher, (guint)timeout);
  cache_dir = g_build_filename (g_get_user_cache_dir (), "badge-wallet", "documents", NULL);
  bw_fetcher_set_cache_dir (fetcher, cache_dir);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      if (!bw_fetcher_add_url_map (fetcher, maps[i], &error))
        {
          bw_cli_printerr (_("verify: --map-url %s: %s"), maps[i], error->message);
          return BW_EXIT_USAGE;
        }
    }

  verifier = bw_verifier_new (fetcher);
  bw_verifier_set_timeout (verifier, (guint)timeout);
  bw_verifier_set_offline (verifier, offline);
  for (guint i = 0; emails != NULL && emails[i] != NULL; i++)
    {
      g_autoptr(BwIdentity) identity = NULL;

      if (emails[i][0] == '\0' || strchr (emails[i], '@') == NULL)
        {
          bw_cli_printerr (_("verify: --email “%s” is not an e-mail address"), emails[i]);
          return BW_EXIT_USAGE;
        }
      identity = bw_identity_new ("email", emails[i]);
      bw_verifier_add_identity (verifier, identity);
    }
  for (guint i = 0; identity_args != NULL && identity_args[i] != NULL; i++)
    {
      g_autoptr(BwIdentity) identity = bw_identity_parse (identity_args[i], &error);

      if (identity == NULL)
        {
          bw_cli_printerr (_("verify: --identity %s: %s"), identity_args[i], error->message);
          return BW_EXIT_USAGE;
        }
      bw_verifier_add_identity (verifier, identity);
    }

  if (g_strv_contains ((const char * const *)inputs, "-"))
    {
      /* Standard input that cannot be used (too large, unreadable) is a
       * bad input, not a bad command line: it is reported like any other
       * input that holds no badge. */
      stdin_data = bw_cli_read_stdin (&stdin_error);
    }

  loop = g_main_loop_new (NULL, FALSE);
  reports = g_new0 (BwReport *, n_inputs);
  run.loop = loop;
  run.verifier = verifier;
  run.inputs = inputs;
  run.n_inputs = n_inputs;
  run.stdin_data = stdin_data;
  run.stdin_error = stdin_error;
  run.reports = reports;
  run.jobs = (guint)jobs;
  run.json = json;

  start_more (&run);
  if (!run_done (&run))
    g_main_loop_run (loop);

  /* Cache writes finish in the background; waiting for them keeps the
   * documents for the next run (and for --offline). */
  while (bw_fetcher_get_pending_writes (fetcher) > 0)
    g_main_context_iteration (NULL, TRUE);

  if (run.any_failed)
    return BW_EXIT_FAILED;
  if (run.any_unreachable)
    return BW_EXIT_UNREACHABLE;
  return BW_EXIT_OK;
}
