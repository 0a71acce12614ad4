/* test-window.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application and window under Xvfb: the empty state, importing a
 * folder of badges verified against the test issuer, the library, the
 * details page with removal and undo, the recruiter's flows (drop, paste,
 * command line), preferences, about, shortcuts and the saved window state.
 * Screenshots of each state are written to screenshots/ in the build
 * directory for build-aux/screenshots.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bw-application.h"
#include "bw-badge-page.h"
#include "bw-badge-picture.h"
#include "bw-preferences-window.h"
#include "bw-verify-dialog.h"
#include "bw-window.h"
#include "ui-test-util.h"

#define RECIPIENT "ada@example.org"
#define N_BADGES  4

static struct
{
  char          *tmpdir;
  char          *import_dir;
  BwTestIssuer  *issuer;
  GPtrArray     *badges;      /* (element-type UiTestBadge) */
  UiTestBadge   *unverified;  /* published, but never in the import folder */
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

static BwStore *
store (void)
{
  BwStore *s = bw_application_get_store (fx.app);

  g_assert_nonnull (s);
  return s;
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
}

static void
resize (int width,
        int height)
{
  gtk_window_set_default_size (GTK_WINDOW (fx.window), width, height);
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
}

static void
collect_toast_close_buttons (GtkWidget *widget,
                             GPtrArray *buttons)
{
  /* The close button of a toast is the one with the close icon inside
   * libadwaita's (private) toast widget. */
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "window-close-symbolic") == 0 &&
      g_strcmp0 (G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), "AdwToastWidget") == 0)
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_toast_close_buttons (child, buttons);
}

static gboolean
no_toast_shown (gpointer user_data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_toast_close_buttons (GTK_WIDGET (user_data), buttons);
  return buttons->len == 0;
}

/* Closes the toasts on screen, as the user would with their close button,
 * so the screenshots show the window itself. */
static void
dismiss_toasts (GtkWidget *window)
{
  for (guint round = 0; round < 10 && !no_toast_shown (window); round++)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

      collect_toast_close_buttons (window, buttons);
      for (guint i = 0; i < buttons->len; i++)
        g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
      ui_test_wait_frames (window, 2);
    }
  g_assert_true (no_toast_shown (window));
}

static void
collect_pictures (GtkWidget *widget,
                  GPtrArray *pictures)
{
  if (BW_IS_BADGE_PICTURE (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (pictures, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_pictures (child, pictures);
}

static gboolean
pictures_loaded (gpointer user_data)
{
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();

  collect_pictures (GTK_WIDGET (user_data), pictures);
  for (guint i = 0; i < pictures->len; i++)
    {
      BwBadgePicture *picture = g_ptr_array_index (pictures, i);

      if (bw_badge_picture_get_loading (picture) || bw_badge_picture_get_texture (picture) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Badge images load in worker threads; a screenshot waits for them. */
static void
wait_for_pictures (GtkWidget *window)
{
  g_assert_true (ui_test_wait_until (pictures_loaded, window, 20000));
  ui_test_wait_frames (window, 2);
}

/* The library's header bar shows a whole title at any width: a shorter
 * one where the name of the application would be cut. */
static void
assert_title_fits (gboolean narrow)
{
  GtkWidget *title = template_child ("window_title");
  GtkWidget *squeezer = gtk_widget_get_ancestor (title, ADW_TYPE_SQUEEZER);
  GtkWidget *shown;
  int natural = 0;

  g_assert_nonnull (squeezer);
  if (!gtk_widget_get_mapped (squeezer))
    return;

  shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));
  g_assert_true (shown == (narrow ? template_child ("short_title") : title));
  gtk_widget_measure (shown, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_cmpint (natural, <=, gtk_widget_get_width (shown));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (shown)), ==,
                   adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)));
}

/* Light, dark and narrow shots of the window in its current state. */
static void
shoot_window (const char *name)
{
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);
  g_autofree char *narrow = g_strconcat (name, "-narrow", NULL);
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;

  dismiss_toasts (GTK_WIDGET (fx.window));
  set_dark (FALSE);
  wait_for_pictures (GTK_WIDGET (fx.window));
  p1 = ui_test_save_screenshot (GTK_WIDGET (fx.window), name);
  assert_title_fits (FALSE);
  set_dark (TRUE);
  p2 = ui_test_save_screenshot (GTK_WIDGET (fx.window), dark);
  set_dark (FALSE);
  resize (360, 720);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx.window)), <=, 380);
  wait_for_pictures (GTK_WIDGET (fx.window));
  p3 = ui_test_save_screenshot (GTK_WIDGET (fx.window), narrow);
  assert_title_fits (TRUE);
  resize (960, 680);
}

static gboolean
batch_idle (gpointer user_data)
{
  return !bw_batch_get_running (bw_window_get_batch (fx.window));
}

static gboolean
dialog_count_reached (gpointer user_data)
{
  g_autoptr(GPtrArray) dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);

  return dialogs->len >= GPOINTER_TO_UINT (user_data);
}

static gboolean
dialog_has_report (gpointer user_data)
{
  return bw_verify_dialog_get_report (BW_VERIFY_DIALOG (user_data)) != NULL;
}

/* Closes the verification dialogs once each has its answer, as a recruiter
 * would. */
static void
close_verify_dialogs (void)
{
  g_autoptr(GPtrArray) dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);

  for (guint i = 0; i < dialogs->len; i++)
    g_assert_true (ui_test_wait_until (dialog_has_report, g_ptr_array_index (dialogs, i), 30000));
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (g_ptr_array_index (dialogs, i));
  g_assert_true (ui_test_wait_until (dialog_count_reached, GUINT_TO_POINTER (0), 5000));
}

static guint
count_verify_dialogs (void)
{
  g_autoptr(GPtrArray) dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);

  return dialogs->len;
}

static BwBadge *
find_badge (const char *name)
{
  GListModel *model = G_LIST_MODEL (store ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (model, i);

      if (g_strcmp0 (bw_badge_get_name (badge), name) == 0)
        return g_steal_pointer (&badge);
    }
  return NULL;
}

/* Tests ------------------------------------------------------------------- */

static void
test_empty_state (void)
{
  GtkWidget *empty_page = template_child ("empty_page");

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fx.window)));
  g_assert_cmpuint (bw_store_get_total (store ()), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child ("content_stack"))),
                   ==, "empty");
  g_assert_true (gtk_widget_get_mapped (empty_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)),
                   ==, "Drop Badges Here");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty_page)),
                            "Ctrl+O"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fx.window)), ==, "Badge Wallet");
  g_assert_false (gtk_widget_get_child_visible (template_child ("progress_revealer")) &&
                  gtk_revealer_get_reveal_child (GTK_REVEALER (template_child ("progress_revealer"))));

  /* Nothing to verify in an empty wallet: the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.verify-all", NULL);
  g_assert_false (bw_batch_get_running (bw_window_get_batch (fx.window)));

  shoot_window ("empty");
}

static void
test_import_folder (void)
{
  const char *paths[] = { fx.import_dir, NULL };
  BwBatch *batch = bw_window_get_batch (fx.window);
  GtkWidget *title = template_child ("window_title");
  GPtrArray *failures;
  static const struct { const char *name; const char *verdict; } expected[] = {
    { "Rust Fundamentals", "valid" },
    { "Cloud Architect Associate", "valid" },
    { "Accessibility Champion", "revoked" },
    { "First Aid Responder", "expired" },
  };

  g_assert_nonnull (batch);
  bw_window_import_paths (fx.window, paths);
  g_assert_true (bw_batch_get_running (batch));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (template_child ("progress_revealer"))));
  g_assert_true (ui_test_wait_until (batch_idle, NULL, 60000));

  g_assert_cmpuint (bw_store_get_total (store ()), ==, N_BADGES);
  g_assert_cmpuint (bw_batch_get_added (batch), ==, N_BADGES);
  g_assert_cmpuint (bw_batch_get_verified (batch), ==, N_BADGES);

  /* The holiday photo and the broken JSON are each reported, by name. */
  failures = bw_batch_get_failures (batch);
  g_assert_cmpuint (failures->len, ==, 2);
  for (guint i = 0; i < failures->len; i++)
    {
      BwBatchFailure *failure = g_ptr_array_index (failures, i);

      g_assert_true (g_str_equal (failure->input, "broken.json") ||
                     g_str_equal (failure->input, "holiday.png"));
      g_assert_nonnull (failure->message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(BwBadge) badge = find_badge (expected[i].name);

      g_assert_nonnull (badge);
      g_assert_cmpstr (bw_badge_get_last_verdict (badge), ==, expected[i].verdict);
    }

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child ("content_stack"))),
                   ==, "library");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "4 badges");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (template_child ("progress_revealer"))));

  /* Importing the same folder again adds nothing. */
  bw_window_import_paths (fx.window, paths);
  g_assert_true (ui_test_wait_until (batch_idle, NULL, 60000));
  g_assert_cmpuint (bw_batch_get_added (batch), ==, 0);
  g_assert_cmpuint (bw_store_get_total (store ()), ==, N_BADGES);

  shoot_window ("library");
}

static void
test_search (void)
{
  GtkSearchBar *search_bar = GTK_SEARCH_BAR (template_child ("search_bar"));
  GtkWidget *entry = template_child ("search_entry");

  g_assert_false (gtk_search_bar_get_search_mode (search_bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (search_bar));

  gtk_editable_set_text (GTK_EDITABLE (entry), "Rust");
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, 1);
  ui_test_wait_frames (GTK_WIDGET (fx.window), 2);
  {
    g_autofree char *path = ui_test_save_screenshot (GTK_WIDGET (fx.window), "search");
  }

  /* Stopping the search shows everything again. */
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (search_bar));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, N_BADGES);
}

static void
test_details_and_back (void)
{
  g_autoptr(BwBadge) badge = find_badge ("Rust Fundamentals");
  AdwLeaflet *leaflet = ADW_LEAFLET (template_child ("leaflet"));
  GtkWidget *details_bin = template_child ("details_bin");

  g_assert_nonnull (badge);

  /* The library's own activation signal leads to the details page. */
  g_signal_emit_by_name (bw_window_get_library_view (fx.window), "badge-activated", badge);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == template_child ("details_page"));
  g_assert_true (BW_IS_BADGE_PAGE (adw_bin_get_child (ADW_BIN (details_bin))));
  g_assert_true (bw_badge_page_get_badge (BW_BADGE_PAGE (adw_bin_get_child (ADW_BIN (details_bin)))) == badge);
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (template_child ("details_title"))),
                   ==, "Rust Fundamentals");
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  shoot_window ("details");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.back", NULL));
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == template_child ("library_page"));
  /* The page is dropped once it has slid away. */
  g_assert_null (adw_bin_get_child (ADW_BIN (details_bin)));
}

static void
test_remove_and_undo (void)
{
  g_autoptr(BwBadge) badge = find_badge ("First Aid Responder");
  GtkWidget *page;

  g_assert_nonnull (badge);
  bw_window_show_badge (fx.window, badge);
  page = adw_bin_get_child (ADW_BIN (template_child ("details_bin")));
  g_assert_true (BW_IS_BADGE_PAGE (page));

  g_signal_emit_by_name (page, "remove-requested", badge);
  g_assert_cmpuint (bw_store_get_total (store ()), ==, N_BADGES - 1);
  g_assert_null (find_badge ("First Aid Responder"));
  g_assert_true (adw_leaflet_get_visible_child (ADW_LEAFLET (template_child ("leaflet"))) ==
                 template_child ("library_page"));

  /* Ctrl+Z is the toast's Undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.undo-remove", NULL));
  g_assert_cmpuint (bw_store_get_total (store ()), ==, N_BADGES);
  {
    g_autoptr(BwBadge) back = find_badge ("First Aid Responder");

    g_assert_nonnull (back);
  }
}

static void
test_drop_files (void)
{
  g_autofree char *path = g_build_filename (fx.import_dir, "badge-0.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSList) list = g_slist_prepend (NULL, file);
  GtkDropTarget *target = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fx.window));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GPtrArray) dialogs = NULL;
  BwVerifyDialog *dialog;
  BwReport *report;
  GdkDragAction action = 0;
  gboolean handled = FALSE;
  guint total = bw_store_get_total (store ());

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  /* Hovering a drag highlights the whole window. */
  g_signal_emit_by_name (target, "enter", 10.0, 10.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (template_child ("drop_revealer"))));
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  {
    g_autofree char *shot = ui_test_save_screenshot (GTK_WIDGET (fx.window), "drop");
  }

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_assert_true (handled);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (template_child ("drop_revealer"))));

  g_assert_true (ui_test_wait_until (dialog_count_reached, GUINT_TO_POINTER (1), 5000));
  dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);
  g_assert_cmpuint (dialogs->len, ==, 1);
  dialog = g_ptr_array_index (dialogs, 0);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fx.window));
  g_assert_true (ui_test_wait_until (dialog_has_report, dialog, 30000));
  report = bw_verify_dialog_get_report (dialog);
  g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_VALID);

  /* Verifying is not adding. */
  g_assert_cmpuint (bw_store_get_total (store ()), ==, total);

  wait_for_pictures (GTK_WIDGET (dialog));
  {
    g_autofree char *p1 = ui_test_save_screenshot (GTK_WIDGET (dialog), "verify");
    g_autofree char *p2 = NULL;

    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
    ui_test_wait_frames (GTK_WIDGET (dialog), 3);
    p2 = ui_test_save_screenshot (GTK_WIDGET (dialog), "verify-dark");
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);
  }
  close_verify_dialogs ();
}

static void
test_drop_text (void)
{
  GtkDropTarget *target = NULL;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fx.window));
  g_auto(GValue) value = G_VALUE_INIT;
  UiTestBadge *revoked = g_ptr_array_index (fx.badges, 2);
  g_autofree char *uri_list = NULL;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  /* Two dropped links (as a browser's uri-list) open two dialogs. */
  uri_list = g_strdup_printf ("%s\r\n%s\r\n",
                              ((UiTestBadge *)g_ptr_array_index (fx.badges, 0))->assertion_url,
                              revoked->assertion_url);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, uri_list);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_assert_true (handled);
  g_assert_true (ui_test_wait_until (dialog_count_reached, GUINT_TO_POINTER (2), 5000));
  g_assert_cmpuint (count_verify_dialogs (), ==, 2);
  close_verify_dialogs ();
}

static void
test_paste (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fx.window));
  UiTestBadge *badge = g_ptr_array_index (fx.badges, 1);
  g_autoptr(GPtrArray) dialogs = NULL;
  BwReport *report;

  /* A pasted assertion is verified from the pasted text itself. */
  gdk_clipboard_set_text (clipboard, badge->assertion_json);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx.window), "win.paste", NULL));
  g_assert_true (ui_test_wait_until (dialog_count_reached, GUINT_TO_POINTER (1), 5000));
  dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);
  g_assert_true (ui_test_wait_until (dialog_has_report, g_ptr_array_index (dialogs, 0), 30000));
  report = bw_verify_dialog_get_report (g_ptr_array_index (dialogs, 0));
  g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_VALID);
  close_verify_dialogs ();
}

static void
test_open_from_command_line (void)
{
  g_autofree char *path = g_build_filename (fx.import_dir, "badge-2.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *files[] = { file };
  g_autoptr(GPtrArray) dialogs = NULL;
  BwReport *report;

  g_application_open (G_APPLICATION (fx.app), files, 1, "");
  g_assert_true (ui_test_wait_until (dialog_count_reached, GUINT_TO_POINTER (1), 5000));
  dialogs = ui_test_list_toplevels (BW_TYPE_VERIFY_DIALOG);
  g_assert_cmpuint (dialogs->len, ==, 1);
  g_assert_true (ui_test_wait_until (dialog_has_report, g_ptr_array_index (dialogs, 0), 30000));
  report = bw_verify_dialog_get_report (g_ptr_array_index (dialogs, 0));
  g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_REVOKED);
  close_verify_dialogs ();
}

static void
test_preferences (void)
{
  GSettings *settings = bw_application_get_settings (fx.app);
  g_autoptr(GPtrArray) windows = NULL;
  g_auto(GStrv) identities = NULL;
  g_autoptr(GError) error = NULL;
  BwPreferencesWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "preferences", NULL);
  windows = ui_test_list_toplevels (BW_TYPE_PREFERENCES_WINDOW);
  g_assert_cmpuint (windows->len, ==, 1);
  preferences = g_ptr_array_index (windows, 0);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (fx.window));

  g_assert_true (bw_preferences_window_add_identity (preferences, "https://example.org/ada", &error));
  g_assert_no_error (error);
  g_assert_false (bw_preferences_window_add_identity (preferences, "not an identity", &error));
  g_assert_error (error, BW_ERROR, BW_ERROR_INVALID_DATA);
  identities = g_settings_get_strv (settings, "identities");
  g_assert_cmpuint (g_strv_length (identities), ==, 2);
  g_assert_cmpstr (identities[0], ==, "email:" RECIPIENT);
  g_assert_cmpstr (identities[1], ==, "url:https://example.org/ada");

  ui_test_wait_frames (GTK_WIDGET (preferences), 3);
  {
    g_autofree char *path = ui_test_save_screenshot (GTK_WIDGET (preferences), "preferences");
  }
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_about (void)
{
  g_autoptr(GPtrArray) windows = NULL;
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (fx.app), "about", NULL);
  windows = ui_test_list_toplevels (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpuint (windows->len, ==, 1);
  about = g_ptr_array_index (windows, 0);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, PACKAGE_WEBSITE);
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, PACKAGE_ISSUES);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_developers (about)[0], ==, "The Badge Wallet authors");
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), "GTK 4."));
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), "Badges: 4"));
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *actions,
                   GPtrArray *accelerators)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "action-name", &action, "accelerator", &accelerator, NULL);
      if (action != NULL)
        g_ptr_array_add (actions, g_steal_pointer (&action));
      if (accelerator != NULL)
        g_ptr_array_add (accelerators, g_steal_pointer (&accelerator));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, actions, accelerators);
}

static void
test_shortcuts_window (void)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fx.window));
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accelerators = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) described = NULL;

  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), actions, accelerators);

  /* Every action with an accelerator is listed in the shortcuts window. */
  described = gtk_application_list_action_descriptions (GTK_APPLICATION (fx.app));
  g_assert_cmpuint (g_strv_length (described), >=, 10);
  for (guint i = 0; described[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < actions->len && !found; j++)
        found = g_str_equal (described[i], g_ptr_array_index (actions, j));
      if (!found)
        g_error ("%s has an accelerator but is not in gtk/help-overlay.ui", described[i]);
    }

  /* And the window's own bindings too. */
  for (guint i = 0; i < accelerators->len; i++)
    g_assert_nonnull (g_ptr_array_index (accelerators, i));
  g_assert_true (g_ptr_array_find_with_equal_func (accelerators, "<Control>v", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (accelerators, "<Alt>Left Escape", g_str_equal, NULL));

  gtk_window_present (GTK_WINDOW (overlay));
  ui_test_wait_frames (GTK_WIDGET (overlay), 3);
  {
    g_autofree char *path = ui_test_save_screenshot (GTK_WIDGET (overlay), "shortcuts");
  }
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
}

static void
test_icon_buttons_are_labelled (void)
{
  const char *buttons[] = { "add_button", "primary_menu_button", "search_button", "back_button" };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = template_child (buttons[i]);

      g_assert_nonnull (gtk_widget_get_tooltip_text (button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), !=, "");
    }
}

static void
test_right_to_left (void)
{
  g_autofree char *path = NULL;
  GtkWidget *add_button = template_child ("add_button");
  graphene_point_t point;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
  /* The Add button, at the start of the header bar, is on the right. */
  g_assert_true (gtk_widget_compute_point (add_button, GTK_WIDGET (fx.window),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  g_assert_cmpfloat (point.x, >, gtk_widget_get_width (GTK_WIDGET (fx.window)) / 2.0);
  path = ui_test_save_screenshot (GTK_WIDGET (fx.window), "library-rtl");
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
}

typedef struct
{
  BwWindow *window;
  BwBadge  *badge;
} RecheckWait;

static gboolean
rechecked (gpointer user_data)
{
  RecheckWait *wait = user_data;

  return g_strcmp0 (bw_badge_get_last_verdict (wait->badge), "valid") == 0 &&
         !bw_batch_get_running (bw_window_get_batch (wait->window));
}

static void
test_reverify_on_start (void)
{
  GSettings *settings = bw_application_get_settings (fx.app);
  g_autoptr(BwImportResult) result = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;
  BwWindow *second;
  RecheckWait wait;

  /* A badge added without verification has never been checked. */
  result = bw_store_add_bytes (store (), fx.unverified->baked_png, "data-literacy.png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);
  badge = find_badge ("Data Literacy");
  g_assert_nonnull (badge);
  g_assert_null (bw_badge_get_last_verdict (badge));

  /* A window opening with re-checks on verifies it in the background, and
   * leaves the badges checked just now alone. */
  g_settings_set_uint (settings, "reverify-after-days", 30);
  second = bw_window_new (fx.app);
  gtk_window_present (GTK_WINDOW (second));
  ui_test_wait_frames (GTK_WIDGET (second), 1);
  wait.window = second;
  wait.badge = badge;
  g_assert_true (ui_test_wait_until (rechecked, &wait, 60000));
  g_assert_cmpuint (bw_batch_get_verified (bw_window_get_batch (second)), ==, 1);

  g_settings_set_uint (settings, "reverify-after-days", 0);
  gtk_window_destroy (GTK_WINDOW (second));
  gtk_window_present (GTK_WINDOW (fx.window));
}

static void
test_close_saves_state (void)
{
  GSettings *settings = bw_application_get_settings (fx.app);
  g_autoptr(BwBadge) badge = find_badge ("Accessibility Champion");
  g_autofree char *wallet_dir = NULL;
  g_autoptr(BwStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  /* A removal whose undo toast is still up is committed on close. */
  bw_window_show_badge (fx.window, badge);
  page = adw_bin_get_child (ADW_BIN (template_child ("details_bin")));
  g_signal_emit_by_name (page, "remove-requested", badge);
  g_assert_cmpuint (bw_store_get_total (store ()), ==, N_BADGES);

  resize (820, 600);
  gtk_window_close (GTK_WINDOW (fx.window));
  fx.window = NULL;

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  wallet_dir = g_build_filename (g_get_user_data_dir (), "badge-wallet", NULL);
  reopened = bw_store_open (wallet_dir, &error);
  g_assert_no_error (error);
  /* The four imported and the one re-checked on start, less the removed. */
  g_assert_cmpuint (bw_store_get_total (reopened), ==, N_BADGES);
}

/* Set-up ------------------------------------------------------------------ */

static void
write_import_folder (void)
{
  static const struct
  {
    const char *name;
    const char *description;
    const char *issuer;
    const char *initials;
    double      hue;
    const char *expires;
    gboolean    revoked;
  } fixtures[N_BADGES] = {
    { "Rust Fundamentals", "Writes safe, idiomatic Rust.", "Example Academy", "RS", 0.04, NULL, FALSE },
    { "Cloud Architect Associate", "Designs resilient cloud systems.", "Northwind Institute", "CA", 0.58, NULL, FALSE },
    { "Accessibility Champion", "Builds interfaces everyone can use.", "Open Web Guild", "AC", 0.78, NULL, TRUE },
    { "First Aid Responder", "Gives first aid at work.", "Red Cross Training", "FA", 0.33, "2025-06-01T00:00:00Z", FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) holiday = ui_test_draw_badge_png (64, 0.1, "x");

  fx.import_dir = g_build_filename (fx.tmpdir, "import", NULL);
  g_assert_no_errno (g_mkdir_with_parents (fx.import_dir, 0700));
  fx.badges = g_ptr_array_new_with_free_func ((GDestroyNotify)ui_test_badge_free);

  for (guint i = 0; i < N_BADGES; i++)
    {
      UiTestBadge *badge = ui_test_publish_badge (fx.issuer, i, fixtures[i].name,
                                                  fixtures[i].description, fixtures[i].issuer,
                                                  fixtures[i].initials, fixtures[i].hue,
                                                  RECIPIENT, fixtures[i].expires,
                                                  fixtures[i].revoked);
      g_autofree char *file = g_strdup_printf ("badge-%u.png", i);
      g_autofree char *path = g_build_filename (fx.import_dir, file, NULL);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (badge->baked_png, NULL),
                                          g_bytes_get_size (badge->baked_png), &error));
      g_assert_no_error (error);
      g_ptr_array_add (fx.badges, badge);
    }

  fx.unverified = ui_test_publish_badge (fx.issuer, N_BADGES, "Data Literacy",
                                         "Reads and questions data.", "Example Academy",
                                         "DL", 0.12, RECIPIENT, NULL, FALSE);

  /* Two files that are no badge at all, to be reported, not imported. */
  {
    g_autofree char *photo = g_build_filename (fx.import_dir, "holiday.png", NULL);
    g_autofree char *broken = g_build_filename (fx.import_dir, "broken.json", NULL);

    g_assert_true (g_file_set_contents (photo, g_bytes_get_data (holiday, NULL),
                                        g_bytes_get_size (holiday), NULL));
    g_assert_true (g_file_set_contents (broken, "{\"@context\": ", -1, NULL));
  }
}

static gboolean
window_mapped (gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (fx.app));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static void
start_application (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *identities[] = { "email:" RECIPIENT, NULL };
  g_autoptr(GError) error = NULL;

  /* The memory backend is shared by the whole process, so these are the
   * application's settings: the test issuer lives on loopback, and the
   * start-up re-check would race the tests. */
  g_settings_set_boolean (settings, "allow-local-issuers", TRUE);
  g_settings_set_uint (settings, "reverify-after-days", 0);
  g_settings_set_strv (settings, "identities", identities);
  g_settings_set_boolean (settings, "verify-on-import", TRUE);

  fx.app = bw_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (fx.app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fx.app));
  g_assert_true (ui_test_wait_until (window_mapped, NULL, 20000));

  fx.window = BW_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fx.app)));
  ui_test_wait_frames (GTK_WIDGET (fx.window), 3);
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
  g_autoptr(GError) error = NULL;
  int status;

  fx.tmpdir = g_dir_make_tmp ("bw-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  ui_test_init_environment (fx.tmpdir);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  fx.issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  write_import_folder ();
  start_application ();

  g_test_add_func ("/ui/window/empty-state", test_empty_state);
  g_test_add_func ("/ui/window/labelled-buttons", test_icon_buttons_are_labelled);
  g_test_add_func ("/ui/window/import-folder", test_import_folder);
  g_test_add_func ("/ui/window/search", test_search);
  g_test_add_func ("/ui/window/details-and-back", test_details_and_back);
  g_test_add_func ("/ui/window/remove-and-undo", test_remove_and_undo);
  g_test_add_func ("/ui/window/drop-files", test_drop_files);
  g_test_add_func ("/ui/window/drop-text", test_drop_text);
  g_test_add_func ("/ui/window/paste", test_paste);
  g_test_add_func ("/ui/window/open-from-command-line", test_open_from_command_line);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/about", test_about);
  g_test_add_func ("/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/window/right-to-left", test_right_to_left);
  g_test_add_func ("/ui/window/reverify-on-start", test_reverify_on_start);
  g_test_add_func ("/ui/window/close-saves-state", test_close_saves_state);

  status = g_test_run ();

  /* Every window goes before the application, the application before the
   * issuer it talks to. */
  ui_test_destroy_windows (GTK_APPLICATION (fx.app));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fx.app);
  g_clear_pointer (&fx.badges, g_ptr_array_unref);
  g_clear_pointer (&fx.unverified, ui_test_badge_free);
  g_clear_pointer (&fx.issuer, bw_test_issuer_free);
  remove_tree (fx.tmpdir);
  g_clear_pointer (&fx.tmpdir, g_free);
  g_clear_pointer (&fx.import_dir, g_free);
  return status;
}
