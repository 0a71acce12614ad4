/* test-window-states.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window when the wallet is not what it should be, one scenario per
 * process (an application registers once): --scenario=broken, a wallet
 * that cannot be opened at all; --scenario=recovered, a wallet whose index
 * was lost and rebuilt from the originals.
 */

#define G_LOG_DOMAIN "test-window-states"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bw-application.h"
#include "bw-verify-dialog.h"
#include "bw-window.h"
#include "ui-test-util.h"

static struct
{
  char          *tmpdir;
  char          *wallet_dir;
  BwApplication *app;
  BwWindow      *window;
} fx;

static GtkWidget *
template_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fx.window), BW_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static GBytes *
embedded_badge_png (void)
{
  g_autoptr(GBytes) image = ui_test_draw_badge_png (128, 0.6, "OK");
  g_autoptr(GError) error = NULL;
  GBytes *baked;
  /* Everything embedded, and every URL on a closed loopback port, so
   * nothing here ever reaches a network. */
  static const char json[] =
    "{\"@context\": \"https://w3id.org/openbadges/v2\", \"type\": \"Assertion\", "
    "\"id\": \"http://127.0.0.1:9/assertions/1\", "
    "\"recipient\": {\"type\": \"email\", \"hashed\": false, \"identity\": \"ada@example.org\"}, "
    "\"badge\": {\"type\": \"BadgeClass\", \"id\": \"http://127.0.0.1:9/badges/1\", "
    "\"name\": \"Kept Safe\", \"description\": \"A badge that survived.\", "
    "\"image\": \"http://127.0.0.1:9/images/1.png\", \"criteria\": {\"narrative\": \"Survive.\"}, "
    "\"issuer\": {\"type\": \"Profile\", \"id\": \"http://127.0.0.1:9/issuer\", "
    "\"name\": \"Example Academy\", \"url\": \"http://127.0.0.1:9/\"}}, "
    "\"verification\": {\"type\": \"HostedBadge\"}, \"issuedOn\": \"2025-01-01T00:00:00Z\"}";

  baked = bw_baked_bake_png (image, "openbadges", json, &error);
  g_assert_no_error (error);
  return baked;
}

static gboolean
dialog_opened (gpointer user_data)
{
  g_autoptr(GPtrArray) dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);

  return dialogs->len > 0;
}

static gboolean
dialog_has_report (gpointer user_data)
{
  return bw_verify_dialog_get_report (BW_VERIFY_DIALOG (user_data)) != NULL;
}

static void
test_broken_wallet (void)
{
  g_autoptr(GBytes) png = embedded_badge_png ();
  g_autofree char *path = g_build_filename (fx.tmpdir, "candidate.png", NULL);
  const char *inputs[] = { path, NULL };
  g_autoptr(GPtrArray) dialogs = NULL;

  g_assert_null (bw_application_get_store (fx.app));
  g_assert_nonnull (bw_application_get_store_error (fx.app));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child ("content_stack"))),
                   ==, "error");
  g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (template_child ("error_page"))));
  g_assert_null (bw_window_get_batch (fx.window));
  g_assert_null (bw_window_get_library_view (fx.window));

  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  {
    g_autofree char *shot = ui_test_save_screenshot (GTK_WIDGET (fx.window), "broken-wallet");
  }

  /* A recruiter can still check a badge without a wallet. */
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  bw_window_open_inputs (fx.window, inputs, NULL);
  g_assert_true (ui_test_wait_until (dialog_opened, NULL, 5000));
  dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);
  g_assert_cmpuint (dialogs->len, ==, 1);
  /* Closed once it has its answer, as a recruiter would. */
  g_assert_true (ui_test_wait_until (dialog_has_report, g_ptr_array_index (dialogs, 0), 30000));
  gtk_window_destroy (g_ptr_array_index (dialogs, 0));
}

static void
test_recovered_wallet (void)
{
  GtkRevealer *banner = GTK_REVEALER (template_child ("banner_revealer"));
  const char *message = bw_store_get_recovery_message (bw_application_get_store (fx.app));

  g_assert_nonnull (message);
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (template_child ("banner_label"))), ==, message);
  g_assert_cmpuint (bw_store_get_total (bw_application_get_store (fx.app)), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child ("content_stack"))),
                   ==, "library");

  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  {
    g_autofree char *shot = ui_test_save_screenshot (GTK_WIDGET (fx.window), "recovered-wallet");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.dismiss-banner", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (banner));
}

/* A wallet with one badge whose index is then lost: the originals are the
 * truth, so the store rebuilds it and says so. */
static void
prepare_recovered_wallet (void)
{
  g_autoptr(GBytes) png = embedded_badge_png ();
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fx.wallet_dir, "wallet.db", NULL);

  {
    g_autoptr(BwStore) store = bw_store_open (fx.wallet_dir, &error);
    g_autoptr(BwImportResult) result = NULL;

    g_assert_no_error (error);
    result = bw_store_add_bytes (store, png, "kept-safe.png", &error);
    g_assert_no_error (error);
    g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
  }
  g_assert_no_errno (g_unlink (db));
}

static void
prepare_broken_wallet (void)
{
  g_autofree char *parent = g_path_get_dirname (fx.wallet_dir);

  /* A file where the wallet folder should be cannot be opened. */
  g_assert_no_errno (g_mkdir_with_parents (parent, 0700));
  g_assert_true (g_file_set_contents (fx.wallet_dir, "not a folder", -1, NULL));
}

static gboolean
window_mapped (gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (fx.app));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *scenario = NULL;
  int status;

  /* The scenario is ours; the rest of the command line is GTest's. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--scenario="))
      {
        scenario = argv[i] + strlen ("--scenario=");
        for (int j = i; j < argc; j++)
          argv[j] = argv[j + 1];
        argc--;
        break;
      }
  if (g_strcmp0 (scenario, "broken") != 0 && g_strcmp0 (scenario, "recovered") != 0)
    {
      g_printerr ("Usage: %s --scenario=broken|recovered [GTEST-OPTION…]\n", argv[0]);
      return 2;
    }

  fx.tmpdir = g_dir_make_tmp ("bw-test-window-states-XXXXXX", &error);
  g_assert_no_error (error);
  ui_test_init_environment (fx.tmpdir);
  fx.wallet_dir = g_build_filename (g_get_user_data_dir (), "badge-wallet", NULL);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (g_str_equal (scenario, "broken"))
    prepare_broken_wallet ();
  else
    prepare_recovered_wallet ();

  settings = g_settings_new (APP_ID);
  g_settings_set_uint (settings, "reverify-after-days", 0);

  fx.app = bw_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (fx.app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fx.app));
  g_assert_true (ui_test_wait_until (window_mapped, NULL, 20000));
  fx.window = BW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fx.app)));

  if (g_str_equal (scenario, "broken"))
    g_test_add_func ("/ui/window-states/broken-wallet", test_broken_wallet);
  else
    g_test_add_func ("/ui/window-states/recovered-wallet", test_recovered_wallet);

  status = g_test_run ();

  ui_test_destroy_windows (GTK_APPLICATION (fx.app));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fx.app);
  remove_tree (fx.tmpdir);
  g_clear_pointer (&fx.tmpdir, g_free);
  g_clear_pointer (&fx.wallet_dir, g_free);
  return status;
}
