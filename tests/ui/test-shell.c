/* test-shell.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts of the application shell that need no display: the background
 * work (BwBatch) against a real wallet and the test issuer, and turning
 * what the user types into identities.
 */

#define G_LOG_DOMAIN "test-shell"

#include "config.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>

#include "bw-batch.h"
#include "bw-preferences-window.h"
#include "ui-test-util.h"

#define N_BADGES 3

typedef struct
{
  char         *tmpdir;
  char         *folder;
  BwTestIssuer *issuer;
  GPtrArray    *badges;
  BwStore      *store;
  BwFetcher    *fetcher;
  BwVerifier   *verifier;
  guint         finished;
  gboolean      cancelled;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wallet = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *nested = NULL;

  fx->tmpdir = g_dir_make_tmp ("bw-test-shell-XXXXXX", &error);
  g_assert_no_error (error);
  fx->folder = g_build_filename (fx->tmpdir, "badges", NULL);
  nested = g_build_filename (fx->folder, "nested", NULL);
  g_assert_no_errno (g_mkdir_with_parents (nested, 0700));

  fx->issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  fx->badges = g_ptr_array_new_with_free_func ((GDestroyNotify)ui_test_badge_free);
  for (guint i = 0; i < N_BADGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Badge %u", i);
      g_autofree char *file = g_strdup_printf ("badge-%u.png", i);
      /* One badge sits in a subfolder: folders are searched recursively. */
      g_autofree char *path = g_build_filename (i == 0 ? nested : fx->folder, file, NULL);
      UiTestBadge *badge = ui_test_publish_badge (fx->issuer, i, name, "A test badge.",
                                                  "Test Issuer", "T", 0.1 * i,
                                                  "ada@example.org", NULL, FALSE);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (badge->baked_png, NULL),
                                          g_bytes_get_size (badge->baked_png), NULL));
      g_ptr_array_add (fx->badges, badge);
    }
  {
    g_autofree char *junk = g_build_filename (fx->folder, "notes.json", NULL);
    g_autofree char *ignored = g_build_filename (fx->folder, "readme.txt", NULL);
    g_autofree char *hidden = g_build_filename (fx->folder, ".hidden.png", NULL);

    g_assert_true (g_file_set_contents (junk, "{\"not\": \"a badge\"}", -1, NULL));
    g_assert_true (g_file_set_contents (ignored, "Not looked at.", -1, NULL));
    g_assert_true (g_file_set_contents (hidden, "Not looked at either.", -1, NULL));
  }

  wallet = g_build_filename (fx->tmpdir, "wallet", NULL);
  cache = g_build_filename (fx->tmpdir, "cache", NULL);
  fx->store = bw_store_open (wallet, &error);
  g_assert_no_error (error);
  fx->fetcher = bw_fetcher_new ();
  bw_fetcher_set_allow_local (fx->fetcher, TRUE);
  bw_fetcher_set_cache_dir (fx->fetcher, cache);
  fx->verifier = bw_verifier_new (fx->fetcher);
  bw_store_set_fetcher (fx->store, fx->fetcher);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->verifier);
  g_clear_object (&fx->fetcher);
  g_clear_object (&fx->store);
  g_clear_pointer (&fx->badges, g_ptr_array_unref);
  g_clear_pointer (&fx->issuer, bw_test_issuer_free);
  remove_tree (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
  g_clear_pointer (&fx->folder, g_free);
}

static void
finished_cb (BwBatch  *batch,
             gboolean  cancelled,
             Fixture  *fx)
{
  g_assert_false (bw_batch_get_running (batch));
  fx->finished++;
  fx->cancelled = cancelled;
}

static gboolean
finished_once (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->finished > 0;
}

static void
run_until_finished (Fixture *fx)
{
  g_assert_true (ui_test_wait_until (finished_once, fx, 60000));
  /* Nothing else is queued: exactly one "finished" per run. */
  g_assert_cmpuint (fx->finished, ==, 1);
}

static void
test_import_folder (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(BwBatch) batch = bw_batch_new (fx->store, fx->verifier);
  const char *paths[] = { fx->folder, NULL };
  GPtrArray *failures;
  BwBatchFailure *failure;

  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), fx);
  g_assert_false (bw_batch_get_running (batch));

  bw_batch_import_paths (batch, paths);
  g_assert_true (bw_batch_get_running (batch));
  g_assert_cmpstr (bw_batch_get_status (batch), !=, "");
  run_until_finished (fx);

  g_assert_false (fx->cancelled);
  g_assert_cmpuint (bw_batch_get_added (batch), ==, N_BADGES);
  g_assert_cmpuint (bw_batch_get_verified (batch), ==, N_BADGES);
  g_assert_cmpuint (bw_store_get_total (fx->store), ==, N_BADGES);
  g_assert_cmpfloat (bw_batch_get_fraction (batch), ==, 1.0);
  g_assert_cmpuint (bw_batch_get_done (batch), ==, bw_batch_get_total (batch));
  /* Three imports and three verifications; the text and hidden files are
   * never looked at. */
  g_assert_cmpuint (bw_batch_get_total (batch), ==, N_BADGES + 1 + N_BADGES);

  failures = bw_batch_get_failures (batch);
  g_assert_cmpuint (failures->len, ==, 1);
  failure = g_ptr_array_index (failures, 0);
  g_assert_cmpstr (failure->input, ==, "notes.json");
  g_assert_nonnull (failure->message);

  /* Every badge got its report, and it is valid. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fx->store)); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (G_LIST_MODEL (fx->store), i);
      g_autoptr(BwReport) report = bw_store_load_report (fx->store, bw_badge_get_wallet_id (badge));

      g_assert_nonnull (report);
      g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_VALID);
    }
}

static void
test_import_without_verifying (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(BwBatch) batch = bw_batch_new (fx->store, fx->verifier);
  const char *paths[] = { fx->folder, NULL };

  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), fx);
  bw_batch_set_verify_on_import (batch, FALSE);
  bw_batch_import_paths (batch, paths);
  run_until_finished (fx);

  g_assert_cmpuint (bw_batch_get_added (batch), ==, N_BADGES);
  g_assert_cmpuint (bw_batch_get_verified (batch), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fx->store)); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (G_LIST_MODEL (fx->store), i);

      g_assert_null (bw_badge_get_last_verdict (badge));
    }
}

static void
test_import_url_and_missing (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(BwBatch) batch = bw_batch_new (fx->store, fx->verifier);
  UiTestBadge *badge = g_ptr_array_index (fx->badges, 1);
  g_autofree char *missing = g_build_filename (fx->tmpdir, "no-such-badge.png", NULL);
  g_autofree char *gone = g_strconcat (bw_test_issuer_get_url (fx->issuer, 0), "/nothing-here", NULL);
  const char *paths[] = { badge->assertion_url, missing, gone, NULL };
  GPtrArray *failures;

  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), fx);
  bw_batch_set_verify_on_import (batch, FALSE);
  bw_batch_import_paths (batch, paths);
  run_until_finished (fx);

  g_assert_cmpuint (bw_batch_get_added (batch), ==, 1);
  g_assert_cmpuint (bw_store_get_total (fx->store), ==, 1);
  failures = bw_batch_get_failures (batch);
  g_assert_cmpuint (failures->len, ==, 2);
  /* Both run at once, so either may fail first. */
  for (guint i = 0; i < failures->len; i++)
    {
      BwBatchFailure *failure = g_ptr_array_index (failures, i);

      g_assert_true (g_str_equal (failure->input, "no-such-badge.png") ||
                     g_str_equal (failure->input, gone));
      g_assert_nonnull (failure->message);
    }
  g_assert_cmpstr (((BwBatchFailure *)g_ptr_array_index (failures, 0))->input, !=,
                   ((BwBatchFailure *)g_ptr_array_index (failures, 1))->input);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(BwBatch) batch = bw_batch_new (fx->store, fx->verifier);
  g_autoptr(GPtrArray) badges = g_ptr_array_new_with_free_func (g_object_unref);
  const char *paths[] = { fx->folder, NULL };

  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), fx);
  bw_batch_set_verify_on_import (batch, FALSE);
  bw_batch_import_paths (batch, paths);
  run_until_finished (fx);
  fx->finished = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fx->store)); i++)
    g_ptr_array_add (badges, g_list_model_get_item (G_LIST_MODEL (fx->store), i));

  /* With a slow issuer and one job at a time, cancelling right away stops
   * the run before it gets through the queue. */
  bw_test_issuer_set_delay (fx->issuer, 3000);
  bw_batch_set_max_jobs (batch, 1);
  bw_batch_verify (batch, badges);
  g_assert_true (bw_batch_get_running (batch));
  bw_batch_cancel (batch);
  run_until_finished (fx);

  g_assert_true (fx->cancelled);
  g_assert_cmpuint (bw_batch_get_verified (batch), <, N_BADGES);
  /* Cancelling is not failing. */
  g_assert_cmpuint (bw_batch_get_failures (batch)->len, ==, 0);
  bw_test_issuer_set_delay (fx->issuer, 0);
}

static void
test_identity_from_text (void)
{
  static const struct { const char *text; const char *expected; } cases[] = {
    { "ada@example.org", "email:ada@example.org" },
    { "  ada@example.org\n", "email:ada@example.org" },
    { "mailto:ada@example.org", "email:ada@example.org" },
    { "email:ada@example.org", "email:ada@example.org" },
    { "https://example.org/ada", "url:https://example.org/ada" },
    { "url:https://example.org/ada", "url:https://example.org/ada" },
    { "+44 20 7946 0000", "telephone:+442079460000" },
    { "tel:+15550100", "telephone:+15550100" },
  };
  static const char *invalid[] = { "", "   ", "Ada Lovelace", "example.org" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *entry = bw_identity_setting_from_text (cases[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (entry, ==, cases[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *entry = bw_identity_setting_from_text (invalid[i], &error);

      g_assert_null (entry);
      g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/shell/batch/import-folder", Fixture, NULL,
              fixture_set_up, test_import_folder, fixture_tear_down);
  g_test_add ("/shell/batch/import-without-verifying", Fixture, NULL,
              fixture_set_up, test_import_without_verifying, fixture_tear_down);
  g_test_add ("/shell/batch/import-url-and-missing", Fixture, NULL,
              fixture_set_up, test_import_url_and_missing, fixture_tear_down);
  g_test_add ("/shell/batch/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add_func ("/shell/identity-from-text", test_identity_from_text);

  status = g_test_run ();

  /* The fixture images are drawn with cairo's text API, whose font caches
   * live until these release them. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
