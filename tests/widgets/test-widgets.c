/* test-widgets.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-widgets"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "bw-badge-image.h"
#include "bw-badge-page.h"
#include "bw-badge-picture.h"
#include "bw-badge-tile.h"
#include "bw-library-view.h"
#include "bw-widgets.h"
#include "bw-share-dialog.h"
#include "bw-verify-dialog.h"
#include "widgets-fixtures.h"

/* The wallet every test looks at, built once: verifying against the test
 * issuer is the slow part. */
static WfWorld *world;
static GBytes *valid_badge;
static GBytes *revoked_badge;
static GBytes *forged_badge;

static const WfBadgeSpec wallet_specs[] = {
  { "Rust Programming", "Writes safe and fast systems code in Rust.", "[\"rust\", \"systems\"]",
    0xe66100, FALSE, WF_STATE_VALID },
  { "Accessible Design", "Designs interfaces everyone can use.", "[\"design\", \"accessibility\"]",
    0x1c71d8, TRUE, WF_STATE_VALID },
  { "Cloud Fundamentals", "Knows the basics of cloud computing.", "[\"cloud\"]",
    0x2ec27e, FALSE, WF_STATE_REVOKED },
  { "Team Leadership", "Leads small teams through change.", "[\"leadership\"]",
    0x9141ac, TRUE, WF_STATE_EXPIRING },
  { "Data Privacy Essentials", "Handles personal data lawfully.", "[\"privacy\"]",
    0x865e3c, FALSE, WF_STATE_EXPIRED },
  { "Public Speaking", "Speaks clearly to large audiences.", "[\"communication\"]",
    0xe5a50a, FALSE, WF_STATE_VALID },
};

/* Waiting. */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition condition,
            gpointer  data,
            guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_true (condition (data));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GtkWidget *widget;
  guint      frames;
  guint      wanted;
} FrameWait;

static gboolean
frames_done (gpointer data)
{
  FrameWait *wait = data;

  return gtk_widget_get_mapped (wait->widget) && wait->frames >= wait->wanted;
}

/* Lets the window lay out and paint: a few frames after it is mapped. */
static void
wait_frames (GtkWidget *widget,
             guint      frames)
{
  FrameWait wait = { widget, 0, frames };
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &wait.frames, NULL);

  gtk_widget_queue_draw (widget);
  wait_until (frames_done, &wait, 20);
  gtk_widget_remove_tick_callback (widget, id);
}

/* Screenshots. */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* Beside the test program in the build folder, unless told otherwise. */
  if (g_getenv ("BW_SCREENSHOT_DIR") != NULL)
    dir = g_strdup (g_getenv ("BW_SCREENSHOT_DIR"));
  else
    dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "widgets", "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_strdup_printf ("%s/%s.png", dir, name);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static GtkWindow *
make_window (GtkWidget *content,
             int        width,
             int        height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Badge Wallet");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (window, 3);

  return GTK_WINDOW (window);
}

/* Walking the widget tree. */

static void
collect_tiles (GtkWidget *widget,
               GPtrArray *tiles)
{
  if (BW_IS_BADGE_TILE (widget) && bw_badge_tile_get_badge (BW_BADGE_TILE (widget)) != NULL &&
      gtk_widget_get_mapped (widget))
    g_ptr_array_add (tiles, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tiles (child, tiles);
}

static GPtrArray *
get_tiles (GtkWidget *root)
{
  GPtrArray *tiles = g_ptr_array_new ();

  collect_tiles (root, tiles);
  return tiles;
}

static GObject *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
tiles_loaded (gpointer data)
{
  g_autoptr(GPtrArray) tiles = get_tiles (data);

  for (guint i = 0; i < tiles->len; i++)
    {
      GtkWidget *picture = bw_badge_tile_get_picture (tiles->pdata[i]);

      if (bw_badge_picture_get_texture (BW_BADGE_PICTURE (picture)) == NULL)
        return FALSE;
    }

  return tiles->len > 0;
}

/* The texts a tile draws, in the order it draws them. */
static GStrv
tile_texts (GtkWidget *tile)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GtkWidget *part = gtk_widget_get_first_child (tile);
       part != NULL;
       part = gtk_widget_get_next_sibling (part))
    {
      if (GTK_IS_INSCRIPTION (part))
        g_strv_builder_add (builder, gtk_inscription_get_text (GTK_INSCRIPTION (part)));
    }

  return g_strv_builder_end (builder);
}

static gboolean
picture_loaded (gpointer data)
{
  return bw_badge_picture_get_texture (data) != NULL;
}


static gpointer
page_child (gpointer    page,
            const char *name)
{
  return child (page, BW_TYPE_BADGE_PAGE, name);
}

static gpointer
dialog_child (gpointer    dialog,
              const char *name)
{
  return child (dialog, BW_TYPE_VERIFY_DIALOG, name);
}

static BwBadge *
find_badge (const char *name)
{
  BwStore *store = world->store;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (bw_badge_get_name (badge), name) == 0)
        return badge;
    }

  g_assert_not_reached ();
  return NULL;
}

static GStrv
shown_names (BwLibraryView *view)
{
  GListModel *model = G_LIST_MODEL (bw_library_view_get_store (view));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BwBadge) badge = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, bw_badge_get_name (badge));
    }

  return g_strv_builder_end (builder);
}

/* The library. */

static void
activated_cb (BwLibraryView *view,
              BwBadge       *badge,
              BwBadge      **out)
{
  *out = badge;
}

static void
test_library_grid (void)
{
  GtkWidget *view = bw_library_view_new (world->store);
  GtkWindow *window = make_window (view, 960, 720);
  g_autoptr(GPtrArray) tiles = NULL;
  GObject *grid;
  BwBadge *activated = NULL;
  gboolean revoked_seen = FALSE;

  g_assert_cmpstr (bw_library_view_get_state (BW_LIBRARY_VIEW (view)), ==, "grid");
  g_assert_cmpuint (bw_library_view_get_n_shown (BW_LIBRARY_VIEW (view)), ==,
                    G_N_ELEMENTS (wallet_specs));

  /* Every badge has its tile, with its real image once loaded. */
  wait_until (tiles_loaded, view, 30);
  tiles = get_tiles (view);
  g_assert_cmpuint (tiles->len, ==, G_N_ELEMENTS (wallet_specs));
  for (guint i = 0; i < tiles->len; i++)
    {
      BwBadge *badge = bw_badge_tile_get_badge (tiles->pdata[i]);
      g_auto(GStrv) texts = tile_texts (tiles->pdata[i]);
      const char *tooltip = bw_badge_tile_get_emblem_tooltip (tiles->pdata[i]);
      const char *label = bw_badge_tile_get_accessible_label (tiles->pdata[i]);
      const char *verdict = NULL;

      /* The name above the issuer, and a screen reader hears both and
       * the verdict. */
      g_assert_cmpuint (g_strv_length (texts), ==, 2);
      g_assert_cmpstr (texts[0], ==, bw_badge_get_name (badge));
      g_assert_cmpstr (texts[1], ==, bw_badge_get_issuer_name (badge));
      g_assert_nonnull (tooltip);
      g_assert_nonnull (label);
      g_assert_true (strstr (label, bw_badge_get_name (badge)) != NULL);
      g_assert_true (strstr (label, bw_badge_get_issuer_name (badge)) != NULL);
      if (g_strcmp0 (bw_badge_get_name (badge), "Cloud Fundamentals") == 0)
        {
          g_assert_true (g_str_has_prefix (tooltip, "Revoked"));
          verdict = "Revoked";
          revoked_seen = TRUE;
        }
      else if (g_strcmp0 (bw_badge_get_name (badge), "Public Speaking") == 0)
        {
          g_assert_true (g_str_has_prefix (tooltip, "Not Checked"));
          verdict = "Not Checked";
        }
      else if (g_strcmp0 (bw_badge_get_name (badge), "Team Leadership") == 0)
        {
          g_assert_true (g_str_has_prefix (tooltip, "Valid, expires on"));
          verdict = "Valid, expires soon";
        }
      if (verdict != NULL)
        g_assert_true (strstr (label, verdict) != NULL);
    }
  g_assert_true (revoked_seen);

  wait_frames (GTK_WIDGET (window), 2);
  save_screenshot (GTK_WIDGET (window), "library");
  set_dark (TRUE);
  wait_frames (GTK_WIDGET (window), 3);
  save_screenshot (GTK_WIDGET (window), "library-dark");
  set_dark (FALSE);

  /* Activating a tile names its badge. */
  grid = child (view, BW_TYPE_LIBRARY_VIEW, "grid_view");
  g_signal_connect (view, "badge-activated", G_CALLBACK (activated_cb), &activated);
  g_signal_emit_by_name (grid, "activate", 0);
  g_assert_nonnull (activated);
  {
    g_autoptr(BwBadge) first = g_list_model_get_item (G_LIST_MODEL (world->store), 0);

    g_assert_true (activated == first);
  }

  gtk_window_destroy (window);
}

static void
test_library_narrow (void)
{
  GtkWidget *view = bw_library_view_new (world->store);
  GtkWindow *window = make_window (view, 360, 720);

  wait_until (tiles_loaded, view, 30);
  wait_frames (GTK_WIDGET (window), 2);
  /* Nothing overflows the window, and two columns of tiles still fit. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  {
    g_autoptr(GPtrArray) tiles = get_tiles (view);
    graphene_point_t first;
    graphene_point_t second;

    g_assert_cmpuint (tiles->len, >=, 2);
    graphene_point_t origin = GRAPHENE_POINT_INIT (0, 0);

    g_assert_true (gtk_widget_compute_point (tiles->pdata[0], view, &origin, &first));
    g_assert_true (gtk_widget_compute_point (tiles->pdata[1], view, &origin, &second));
    g_assert_cmpfloat (first.y, ==, second.y);
    g_assert_cmpfloat (first.x, !=, second.x);
  }
  save_screenshot (GTK_WIDGET (window), "library-narrow");

  gtk_window_destroy (window);
}

static void
test_library_filter_search (void)
{
  GtkWidget *view = bw_library_view_new (world->store);
  GtkWindow *window = make_window (view, 960, 720);
  BwLibraryView *library = BW_LIBRARY_VIEW (view);
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) tiles = NULL;

  bw_library_view_set_filter (library, BW_STORE_FILTER_REVOKED);
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Cloud Fundamentals");
  wait_frames (GTK_WIDGET (window), 2);
  tiles = get_tiles (view);
  g_assert_cmpuint (tiles->len, ==, 1);
  g_clear_pointer (&tiles, g_ptr_array_unref);
  g_clear_pointer (&names, g_strfreev);

  bw_library_view_set_filter (library, BW_STORE_FILTER_EXPIRING);
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Team Leadership");
  g_clear_pointer (&names, g_strfreev);

  bw_library_view_set_filter (library, BW_STORE_FILTER_EXPIRED);
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Data Privacy Essentials");
  g_clear_pointer (&names, g_strfreev);

  bw_library_view_set_filter (library, BW_STORE_FILTER_UNVERIFIED);
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Public Speaking");
  g_clear_pointer (&names, g_strfreev);

  bw_library_view_set_filter (library, BW_STORE_FILTER_VALID);
  names = shown_names (library);
  g_assert_true (g_strv_contains ((const char * const *) names, "Rust Programming"));
  g_assert_true (g_strv_contains ((const char * const *) names, "Accessible Design"));
  g_assert_false (g_strv_contains ((const char * const *) names, "Cloud Fundamentals"));
  g_assert_false (g_strv_contains ((const char * const *) names, "Public Speaking"));
  g_clear_pointer (&names, g_strfreev);

  /* Search narrows whatever the filter shows. */
  bw_library_view_set_filter (library, BW_STORE_FILTER_ALL);
  g_assert_cmpuint (bw_library_view_get_n_shown (library), ==, G_N_ELEMENTS (wallet_specs));
  bw_library_view_set_search_text (library, "rust");
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Rust Programming");
  g_assert_cmpstr (bw_library_view_get_state (library), ==, "grid");
  g_clear_pointer (&names, g_strfreev);

  bw_library_view_set_filter (library, BW_STORE_FILTER_REVOKED);
  g_assert_cmpuint (bw_library_view_get_n_shown (library), ==, 0);
  g_assert_cmpstr (bw_library_view_get_state (library), ==, "no-results");

  bw_library_view_set_filter (library, BW_STORE_FILTER_ALL);
  bw_library_view_set_search_text (library, "no such badge anywhere");
  g_assert_cmpstr (bw_library_view_get_state (library), ==, "no-results");
  wait_frames (GTK_WIDGET (window), 2);
  save_screenshot (GTK_WIDGET (window), "library-no-results");

  bw_library_view_set_search_text (library, NULL);
  g_assert_cmpuint (bw_library_view_get_n_shown (library), ==, G_N_ELEMENTS (wallet_specs));
  g_assert_cmpstr (bw_library_view_get_state (library), ==, "grid");

  gtk_window_destroy (window);
}

/* The library opens with the sort and filter last chosen, and remembers
 * new choices. */
static void
test_library_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *view = bw_library_view_new (world->store);
  BwLibraryView *library = BW_LIBRARY_VIEW (view);
  GObject *sort_dropdown = child (view, BW_TYPE_LIBRARY_VIEW, "sort_dropdown");
  GtkWindow *window;
  g_auto(GStrv) names = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *sort = NULL;

  g_settings_set_string (settings, "filter", "revoked");
  g_settings_set_string (settings, "sort", "name");
  bw_library_view_bind_settings (library, settings);
  window = make_window (view, 960, 720);

  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Cloud Fundamentals");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (sort_dropdown)), ==, 1);
  g_clear_pointer (&names, g_strfreev);

  /* Names sort alphabetically once every badge shows. */
  bw_library_view_set_filter (library, BW_STORE_FILTER_ALL);
  names = shown_names (library);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (wallet_specs));
  for (guint i = 1; names[i] != NULL; i++)
    g_assert_cmpint (g_utf8_collate (names[i - 1], names[i]), <=, 0);

  bw_library_view_set_sort (library, BW_STORE_SORT_ISSUED);
  filter = g_settings_get_string (settings, "filter");
  sort = g_settings_get_string (settings, "sort");
  g_assert_cmpstr (filter, ==, "all");
  g_assert_cmpstr (sort, ==, "issued");

  /* The wallet is shared with the other tests, in the order they expect. */
  bw_library_view_set_sort (library, BW_STORE_SORT_ADDED);
  gtk_window_destroy (window);
  g_settings_reset (settings, "filter");
  g_settings_reset (settings, "sort");
}

static void
test_library_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (world->dir, "empty-wallet", NULL);
  g_autoptr(BwStore) store = bw_store_open (dir, &error);
  GtkWidget *view;
  GtkWindow *window;

  g_assert_no_error (error);
  view = bw_library_view_new (store);
  window = make_window (view, 640, 520);
  g_assert_cmpstr (bw_library_view_get_state (BW_LIBRARY_VIEW (view)), ==, "empty");
  save_screenshot (GTK_WIDGET (window), "library-empty");

  bw_library_view_set_error (BW_LIBRARY_VIEW (view), "The disk is full.");
  g_assert_cmpstr (bw_library_view_get_state (BW_LIBRARY_VIEW (view)), ==, "error");

  gtk_window_destroy (window);
}

/* The details page. */

static void
remove_requested_cb (BwBadgePage *page,
                     BwBadge     *badge,
                     BwBadge    **out)
{
  *out = badge;
}

static gboolean
page_idle (gpointer data)
{
  return !bw_badge_page_get_verifying (data);
}

static const char *
label_text (gpointer    widget,
            GType       type,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (widget, type, name)));
}

static const char *
row_subtitle (gpointer    widget,
              const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (widget, BW_TYPE_BADGE_PAGE, name)));
}

static void
test_page_fields (void)
{
  BwBadge *badge = find_badge ("Rust Programming");
  GtkWidget *page = bw_badge_page_new (world->store, world->verifier, badge);
  GtkWindow *window = make_window (page, 720, 900);
  GObject *picture = page_child (page, "picture");
  BwBadge *removed = NULL;
  BwReport *report;

  g_assert_cmpstr (label_text (page, BW_TYPE_BADGE_PAGE, "name_label"), ==, "Rust Programming");
  g_assert_cmpstr (label_text (page, BW_TYPE_BADGE_PAGE, "issuer_label"), ==,
                   "Issued by Open Skills Academy");
  /* The issuer's web domain is spelled out. */
  g_assert_cmpstr (label_text (page, BW_TYPE_BADGE_PAGE, "domain_label"), ==, "127.0.0.1");
  g_assert_cmpstr (label_text (page, BW_TYPE_BADGE_PAGE, "description_label"), ==,
                   "Writes safe and fast systems code in Rust.");
  g_assert_nonnull (strstr (label_text (page, BW_TYPE_BADGE_PAGE, "criteria_label"),
                            "course project"));
  g_assert_nonnull (strstr (row_subtitle (page, "issued_row"), "2025"));
  g_assert_cmpstr (row_subtitle (page, "expires_row"), ==, "Never");
  g_assert_true (g_str_has_prefix (row_subtitle (page, "recipient_row"), WF_EMAIL " ("));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "tags_group"))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "evidence_group"))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "alignments_group"))));

  /* The verdict kept in the wallet, with its checks. */
  g_assert_cmpstr (adw_preferences_row_get_title (page_child (page, "verdict_row")),
                   ==, "Valid");
  g_assert_nonnull (bw_badge_page_get_report (BW_BADGE_PAGE (page)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page_child (page, "checks_row"))));

  wait_until (picture_loaded, picture, 30);
  wait_frames (GTK_WIDGET (window), 2);
  save_screenshot (GTK_WIDGET (window), "details");
  set_dark (TRUE);
  wait_frames (GTK_WIDGET (window), 3);
  save_screenshot (GTK_WIDGET (window), "details-dark");
  set_dark (FALSE);

  /* The rest of the page: tags, alignments, evidence, removal. */
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (adw_bin_get_child (ADW_BIN (page)));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    wait_frames (GTK_WIDGET (window), 3);
    save_screenshot (GTK_WIDGET (window), "details-bottom");
    gtk_adjustment_set_value (adjustment, 0);
  }

  /* Verify Again asks the issuer and keeps the new result. */
  bw_badge_page_verify (BW_BADGE_PAGE (page));
  g_assert_true (bw_badge_page_get_verifying (BW_BADGE_PAGE (page)));
  wait_until (page_idle, page, 60);
  report = bw_badge_page_get_report (BW_BADGE_PAGE (page));
  g_assert_nonnull (report);
  g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_VALID);
  g_assert_cmpstr (bw_badge_get_last_verdict (badge), ==, "valid");

  /* Share opens the share dialog for this badge. */
  g_signal_emit_by_name (page_child (page, "share_button"), "clicked");
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *share = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (BW_IS_SHARE_DIALOG (toplevel))
          share = toplevel;
      }
    g_assert_nonnull (share);
    g_assert_true (gtk_window_get_transient_for (share) == window);
    gtk_window_destroy (share);
  }

  g_signal_connect (page, "remove-requested", G_CALLBACK (remove_requested_cb), &removed);
  g_signal_emit_by_name (page_child (page, "remove_button"), "clicked");
  g_assert_true (removed == badge);

  gtk_window_destroy (window);
}

static void
test_page_narrow (void)
{
  BwBadge *badge = find_badge ("Team Leadership");
  GtkWidget *page = bw_badge_page_new (world->store, world->verifier, badge);
  GtkWindow *window = make_window (page, 360, 800);
  GObject *picture = page_child (page, "picture");

  /* An expiring badge says how long it has left. */
  g_assert_nonnull (strstr (row_subtitle (page, "expires_row"), "days"));
  g_assert_cmpstr (adw_preferences_row_get_title (page_child (page, "verdict_row")),
                   ==, "Valid, Expires Soon");
  wait_until (picture_loaded, picture, 30);
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  save_screenshot (GTK_WIDGET (window), "details-narrow");

  gtk_window_destroy (window);
}

/* The verification dialog. */

static gboolean
dialog_done (gpointer data)
{
  GtkStack *stack = GTK_STACK (dialog_child (data, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "progress") != 0;
}

static BwVerifyDialog *
open_dialog (const char *name,
             GBytes     *data,
             int         width)
{
  BwVerifyDialog *dialog = bw_verify_dialog_new (NULL, world->store, world->verifier, name, data);
  GObject *picture = dialog_child (dialog, "picture");

  gtk_window_set_default_size (GTK_WINDOW (dialog), width, 860);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (dialog_done, dialog, 60);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "result");
  wait_until (picture_loaded, picture, 30);
  wait_frames (GTK_WIDGET (dialog), 3);

  return dialog;
}

static void
expect_banner (BwVerifyDialog *dialog,
               const char     *title,
               const char     *style_class)
{
  GtkWidget *banner = GTK_WIDGET (dialog_child (dialog, "banner"));

  g_assert_cmpstr (label_text (dialog, BW_TYPE_VERIFY_DIALOG, "banner_title"), ==, title);
  g_assert_true (gtk_widget_has_css_class (banner, style_class));
}

static void
test_verify_valid (void)
{
  guint total = bw_store_get_total (world->store);
  BwVerifyDialog *dialog = open_dialog ("candidate.png", valid_badge, 560);
  const char *typed = WF_EMAIL;
  BwReport *report;
  g_autofree char *partial = NULL;

  report = bw_verify_dialog_get_report (dialog);
  g_assert_cmpint (bw_report_get_verdict (report), ==, BW_VERDICT_VALID);
  expect_banner (dialog, "Valid", "verdict-good");
  g_assert_cmpstr (label_text (dialog, BW_TYPE_VERIFY_DIALOG, "name_label"), ==,
                   "Machine Learning");
  g_assert_cmpstr (label_text (dialog, BW_TYPE_VERIFY_DIALOG, "domain_label"), ==, "127.0.0.1");
  g_assert_cmpint (bw_verify_dialog_get_recipient_match (dialog), ==, BW_MATCH_UNKNOWN);

  /* The recipient is checked on every keystroke, with no network. */
  bw_test_issuer_reset_counts (world->issuer);
  for (gsize i = 1; i <= strlen (typed); i++)
    {
      g_free (partial);
      partial = g_strndup (typed, i);
      bw_verify_dialog_set_candidate_email (dialog, partial);
      g_assert_cmpint (bw_verify_dialog_get_recipient_match (dialog), ==,
                       i == strlen (typed) ? BW_MATCH_MATCH : BW_MATCH_MISMATCH);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (world->issuer, NULL), ==, 0);
  wait_frames (GTK_WIDGET (dialog), 2);
  save_screenshot (GTK_WIDGET (dialog), "verify");

  bw_verify_dialog_set_candidate_email (dialog, "mallory@example.org");
  g_assert_cmpint (bw_verify_dialog_get_recipient_match (dialog), ==, BW_MATCH_MISMATCH);
  wait_frames (GTK_WIDGET (dialog), 2);
  set_dark (TRUE);
  wait_frames (GTK_WIDGET (dialog), 3);
  save_screenshot (GTK_WIDGET (dialog), "verify-mismatch-dark");
  set_dark (FALSE);

  bw_verify_dialog_set_candidate_email (dialog, "");
  g_assert_cmpint (bw_verify_dialog_get_recipient_match (dialog), ==, BW_MATCH_UNKNOWN);

  /* Nothing was added to the wallet until asked. */
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total);
  g_signal_emit_by_name (dialog_child (dialog, "add_button"), "clicked");
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total + 1);
  g_assert_nonnull (bw_verify_dialog_get_added_wallet_id (dialog));
  g_assert_nonnull (bw_store_lookup (world->store, bw_verify_dialog_get_added_wallet_id (dialog)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dialog_child (dialog, "add_button"))));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_verify_revoked (void)
{
  BwVerifyDialog *dialog = open_dialog ("revoked.png", revoked_badge, 560);

  g_assert_cmpint (bw_report_get_verdict (bw_verify_dialog_get_report (dialog)), ==,
                   BW_VERDICT_REVOKED);
  expect_banner (dialog, "Revoked", "verdict-bad");
  save_screenshot (GTK_WIDGET (dialog), "verify-revoked");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_verify_forged (void)
{
  guint total = bw_store_get_total (world->store);
  BwVerifyDialog *dialog = open_dialog ("forged.png", forged_badge, 360);

  g_assert_cmpint (bw_report_get_verdict (bw_verify_dialog_get_report (dialog)), ==,
                   BW_VERDICT_INVALID);
  expect_banner (dialog, "Not Genuine", "verdict-bad");
  /* The failed checks are open, so the reason is in view. */
  g_assert_true (adw_expander_row_get_expanded (dialog_child (dialog, "checks_row")));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 400);
  save_screenshot (GTK_WIDGET (dialog), "verify-forged-narrow");
  set_dark (TRUE);
  wait_frames (GTK_WIDGET (dialog), 3);
  save_screenshot (GTK_WIDGET (dialog), "verify-forged-narrow-dark");
  set_dark (FALSE);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total);
}

static gboolean
add_done (gpointer data)
{
  return bw_verify_dialog_get_added_wallet_id (data) != NULL;
}

static void
test_verify_file (void)
{
  static const WfBadgeSpec spec = { "Technical Writing", "Writes clear documentation.", NULL,
                                    0x613583, FALSE, WF_STATE_VALID };
  g_autoptr(GBytes) baked = wf_world_make_badge (world, &spec);
  g_autofree char *path = g_build_filename (world->dir, "writing.png", NULL);
  g_autoptr(GError) error = NULL;
  guint total = bw_store_get_total (world->store);
  BwVerifyDialog *dialog;
  BwBadge *added;

  /* A file opened or dropped: the dialog reads it once, for its picture
   * and for the wallet. */
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (baked, NULL),
                                      g_bytes_get_size (baked), &error));
  g_assert_no_error (error);
  dialog = open_dialog (path, NULL, 560);
  expect_banner (dialog, "Valid", "verdict-good");
  g_assert_cmpstr (adw_window_title_get_subtitle (dialog_child (dialog, "window_title")), ==,
                   "writing.png");

  g_signal_emit_by_name (dialog_child (dialog, "add_button"), "clicked");
  wait_until (add_done, dialog, 30);
  added = bw_store_lookup (world->store, bw_verify_dialog_get_added_wallet_id (dialog));
  g_assert_nonnull (added);
  g_assert_cmpstr (bw_badge_get_name (added), ==, "Technical Writing");
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total + 1);
  /* The verdict reached here is kept with it. */
  g_assert_cmpstr (bw_badge_get_last_verdict (added), ==, "valid");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_verify_url (void)
{
  static const WfBadgeSpec spec = { "Open Source Contributor", "Contributes to free software.",
                                    NULL, 0x1a5fb4, FALSE, WF_STATE_VALID };
  g_autoptr(GBytes) baked = wf_world_make_badge (world, &spec);
  g_autofree char *url = g_strdup_printf ("%s/assertions/%u.json",
                                          bw_test_issuer_get_url (world->issuer, 0),
                                          world->next_id);
  guint total = bw_store_get_total (world->store);
  BwVerifyDialog *dialog;

  /* A pasted link: the picture comes from the badge's image URL. */
  dialog = open_dialog (url, NULL, 560);
  expect_banner (dialog, "Valid", "verdict-good");
  g_assert_cmpstr (label_text (dialog, BW_TYPE_VERIFY_DIALOG, "name_label"), ==,
                   "Open Source Contributor");

  g_signal_emit_by_name (dialog_child (dialog, "add_button"), "clicked");
  wait_until (add_done, dialog, 30);
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total + 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_verify_not_a_badge (void)
{
  g_autoptr(GBytes) plain = wf_make_png (0x77767b, 128);
  BwVerifyDialog *dialog = open_dialog ("holiday.png", plain, 560);

  /* An ordinary picture: shown, judged, and never offered to the wallet. */
  g_assert_cmpint (bw_report_get_verdict (bw_verify_dialog_get_report (dialog)), ==,
                   BW_VERDICT_INVALID);
  expect_banner (dialog, "Not Genuine", "verdict-bad");
  g_assert_cmpstr (label_text (dialog, BW_TYPE_VERIFY_DIALOG, "name_label"), ==, "Not a Badge");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "add_button")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "candidate_group")));
  save_screenshot (GTK_WIDGET (dialog), "verify-not-a-badge");

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_verify_cancel_on_close (void)
{
  guint total = bw_store_get_total (world->store);
  BwVerifyDialog *dialog;
  GtkStack *stack;

  /* The issuer answers slowly; closing the dialog must not wait for it. */
  bw_test_issuer_set_delay (world->issuer, 3000);
  dialog = bw_verify_dialog_new (NULL, world->store, world->verifier, "slow.png", valid_badge);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_frames (GTK_WIDGET (dialog), 2);
  stack = GTK_STACK (dialog_child (dialog, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "progress");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog_child (dialog, "spinner"))));
  g_assert_null (bw_verify_dialog_get_report (dialog));

  gtk_window_close (GTK_WINDOW (dialog));
  bw_test_issuer_set_delay (world->issuer, 0);
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A dialog closed while the issuer is still being asked, whose parent
 * window then goes away: the dialog must let go of its parent when it is
 * closed, and end once its cancelled verification has reported back, with
 * no warning on the way (GTest makes warnings and criticals fatal, as
 * G_DEBUG=fatal-warnings would). */
static void
test_verify_close_then_destroy_parent (void)
{
  guint total = bw_store_get_total (world->store);
  GtkWidget *parent = adw_window_new ();
  gpointer parent_pointer = parent;
  BwVerifyDialog *dialog;
  gpointer dialog_pointer;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  gtk_window_set_default_size (GTK_WINDOW (parent), 480, 360);
  gtk_window_present (GTK_WINDOW (parent));
  wait_frames (parent, 2);

  bw_test_issuer_set_delay (world->issuer, 3000);
  dialog = bw_verify_dialog_new (GTK_WINDOW (parent), world->store, world->verifier,
                                 "slow.png", valid_badge);
  dialog_pointer = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &dialog_pointer);
  g_object_add_weak_pointer (G_OBJECT (parent), &parent_pointer);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_frames (GTK_WIDGET (dialog), 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "progress");

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  gtk_window_destroy (GTK_WINDOW (parent));
  bw_test_issuer_set_delay (world->issuer, 0);

  /* Both windows end: the parent at once, the dialog when its cancelled
   * work has come back, well before the issuer's three seconds. */
  wait_until (pointer_cleared, &parent_pointer, 10);
  wait_until (pointer_cleared, &dialog_pointer, 10);
  g_assert_cmpuint (bw_store_get_total (world->store), ==, total);
}

/* Every icon named in the interface's sources, whether in a .ui file or
 * in C, is one the icon theme has: Adwaita, libadwaita's own, ours in the
 * resources, or the application icon. A missing one draws as a
 * "missing image" glyph. */
static void
collect_icon_names (const char *folder,
                    GRegex     *ui_regex,
                    GRegex     *c_regex,
                    GHashTable *names)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, entry, NULL);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *text = NULL;
      GRegex *regex = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_icon_names (path, ui_regex, c_regex, names);
          continue;
        }
      if (g_str_has_suffix (entry, ".ui"))
        regex = ui_regex;
      else if (g_str_has_suffix (entry, ".c"))
        regex = c_regex;
      else
        continue;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_regex_match (regex, text, 0, &match);
      while (g_match_info_matches (match))
        {
          g_hash_table_add (names, g_match_info_fetch (match, 1));
          g_match_info_next (match, NULL);
        }
    }
}

static void
test_icons_exist (void)
{
  g_autofree char *ui_dir = g_test_build_filename (G_TEST_DIST, "..", "src", "ui", NULL);
  g_autofree char *data_icons = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", NULL);
  g_autoptr(GRegex) ui_regex = NULL;
  g_autoptr(GRegex) c_regex = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  GHashTableIter iter;
  const char *name;

  ui_regex = g_regex_new ("<(?:property|attribute) name=\"icon(?:-name)?\"[^>]*>([^<]+)<",
                          0, 0, NULL);
  c_regex = g_regex_new ("\"([a-z][a-z0-9-]*-symbolic)\"", 0, 0, NULL);
  bw_widgets_init ();
  collect_icon_names (ui_dir, ui_regex, c_regex, names);
  g_hash_table_add (names, g_strdup (APP_ID));

  /* The application's icons are installed from data/, and also in its
   * resources; the widgets' own are registered by bw_widgets_init(). */
  gtk_icon_theme_add_search_path (theme, data_icons);

  /* Enough names to show the scan found the sources. */
  g_assert_cmpuint (g_hash_table_size (names), >=, 15);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      if (!gtk_icon_theme_has_icon (theme, name))
        g_error ("The icon “%s” is not in the icon theme", name);
      g_test_message ("icon %s: found", name);
    }
}

static void
test_no_main_thread_decodes (void)
{
  BwBadgeImageStats stats;

  bw_badge_image_get_stats (bw_badge_image_get_default (), &stats);
  g_test_message ("Images decoded: %u, on the main thread: %u, thumbnails made: %u",
                  stats.decodes, stats.main_thread_decodes, stats.thumbnails_made);
  g_assert_cmpuint (stats.decodes, >, 0);
  g_assert_cmpuint (stats.thumbnails_made, >, 0);
  g_assert_cmpuint (stats.main_thread_decodes, ==, 0);
}

static void
build_world (void)
{
  static const WfBadgeSpec valid = { "Machine Learning", "Trains and evaluates models.", NULL,
                                     0x26a269, FALSE, WF_STATE_VALID };
  static const WfBadgeSpec revoked = { "Project Management", "Plans projects.", NULL,
                                       0xa51d2d, TRUE, WF_STATE_REVOKED };

  world = wf_world_new ();
  for (guint i = 0; i < G_N_ELEMENTS (wallet_specs); i++)
    {
      g_autoptr(GBytes) baked = wf_world_make_badge (world, &wallet_specs[i]);
      g_autofree char *name = NULL;

      name = g_strdup_printf ("badge-%u.%s", i, wallet_specs[i].svg ? "svg" : "png");

      /* The last one is never checked, for the "Not Checked" filter. */
      wf_world_add (world, baked, name, i + 1 < G_N_ELEMENTS (wallet_specs));
    }

  valid_badge = wf_world_make_badge (world, &valid);
  revoked_badge = wf_world_make_badge (world, &revoked);
  forged_badge = wf_world_make_forged (world);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  set_dark (FALSE);

  build_world ();

  g_test_add_func ("/widgets/library/grid", test_library_grid);
  g_test_add_func ("/widgets/library/narrow", test_library_narrow);
  g_test_add_func ("/widgets/library/filter-search", test_library_filter_search);
  g_test_add_func ("/widgets/library/settings", test_library_settings);
  g_test_add_func ("/widgets/library/empty", test_library_empty);
  g_test_add_func ("/widgets/page/fields", test_page_fields);
  g_test_add_func ("/widgets/page/narrow", test_page_narrow);
  g_test_add_func ("/widgets/verify/valid", test_verify_valid);
  g_test_add_func ("/widgets/verify/revoked", test_verify_revoked);
  g_test_add_func ("/widgets/verify/forged", test_verify_forged);
  g_test_add_func ("/widgets/verify/not-a-badge", test_verify_not_a_badge);
  g_test_add_func ("/widgets/verify/file", test_verify_file);
  g_test_add_func ("/widgets/verify/url", test_verify_url);
  g_test_add_func ("/widgets/verify/cancel-on-close", test_verify_cancel_on_close);
  g_test_add_func ("/widgets/verify/close-then-destroy-parent",
                   test_verify_close_then_destroy_parent);
  g_test_add_func ("/widgets/icons/exist", test_icons_exist);
  g_test_add_func ("/widgets/images/no-main-thread-decodes", test_no_main_thread_decodes);

  status = g_test_run ();

  g_clear_pointer (&valid_badge, g_bytes_unref);
  g_clear_pointer (&revoked_badge, g_bytes_unref);
  g_clear_pointer (&forged_badge, g_bytes_unref);
  g_clear_pointer (&world, wf_world_free);

  return status;
}
