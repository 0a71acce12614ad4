/* ui-test-util.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ui-test-util"

#include "config.h"

#include <math.h>

#include "bw-core.h"
#include "ui-test-util.h"

void
ui_test_badge_free (UiTestBadge *badge)
{
  if (badge == NULL)
    return;
  g_free (badge->name);
  g_free (badge->assertion_url);
  g_free (badge->assertion_json);
  g_clear_pointer (&badge->baked_png, g_bytes_unref);
  g_free (badge);
}

/* Points every per-user directory at @tmpdir, before GLib caches them, so
 * the application under test never sees the user's wallet or settings. */
void
ui_test_init_environment (const char *tmpdir)
{
  static const char *names[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME" };
  static const char *dirs[] = { "data", "cache", "config" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, dirs[i], NULL);

      g_assert_no_errno (g_mkdir_with_parents (path, 0700));
      g_setenv (names[i], path, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  /* The cairo renderer is fast and exact under Xvfb; an explicit choice
   * from the caller wins. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds or @timeout_ms pass; the
 * timeout only bounds a test that would otherwise hang. */
gboolean
ui_test_wait_until (UiTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_ms)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (timeout_ms, deadline_cb, &expired);

  while (!condition (user_data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (source);
  return condition (user_data);
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
frames_done (gpointer user_data)
{
  FrameWait *wait = user_data;

  return gtk_widget_get_mapped (wait->widget) && wait->frames >= wait->wanted;
}

/* Waits until @widget is mapped and has drawn @n_frames more frames. */
void
ui_test_wait_frames (GtkWidget *widget,
                     guint      n_frames)
{
  FrameWait wait = { widget, 0, n_frames };
  guint id;

  id = gtk_widget_add_tick_callback (widget, count_frame_cb, &wait.frames, NULL);
  gtk_widget_queue_draw (widget);
  g_assert_true (ui_test_wait_until (frames_done, &wait, 20000));
  gtk_widget_remove_tick_callback (widget, id);
}

/* Renders @widget as it is on screen into screenshots/NAME.png in the
 * test build directory and returns the path. */
char *
ui_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  char *path;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  dir = g_test_build_filename (G_TEST_BUILT, "ui", "screenshots", NULL);
  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

static void
hsv_to_rgb (double  h,
            double  s,
            double  v,
            double *r,
            double *g,
            double *b)
{
  float fr, fg, fb;

  gtk_hsv_to_rgb ((float)h, (float)s, (float)v, &fr, &fg, &fb);
  *r = fr;
  *g = fg;
  *b = fb;
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Draws a medal-like badge image: a coloured disc with a ring, a ribbon
 * and initials, so screenshots show real, distinct badges. */
GBytes *
ui_test_draw_badge_png (guint       size,
                        double      hue,
                        const char *initials)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  cairo_pattern_t *gradient;
  cairo_text_extents_t extents;
  double r, g, b;
  double c = size / 2.0;

  /* Ribbon tails behind the disc. */
  hsv_to_rgb (fmod (hue + 0.5, 1.0), 0.55, 0.75, &r, &g, &b);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_move_to (cr, c - size * 0.22, c + size * 0.10);
  cairo_line_to (cr, c - size * 0.30, c + size * 0.48);
  cairo_line_to (cr, c - size * 0.17, c + size * 0.41);
  cairo_line_to (cr, c - size * 0.08, c + size * 0.50);
  cairo_line_to (cr, c, c + size * 0.12);
  cairo_line_to (cr, c + size * 0.08, c + size * 0.50);
  cairo_line_to (cr, c + size * 0.17, c + size * 0.41);
  cairo_line_to (cr, c + size * 0.30, c + size * 0.48);
  cairo_line_to (cr, c + size * 0.22, c + size * 0.10);
  cairo_close_path (cr);
  cairo_fill (cr);

  /* The disc. */
  gradient = cairo_pattern_create_linear (0, c - size * 0.4, 0, c + size * 0.4);
  hsv_to_rgb (hue, 0.45, 0.98, &r, &g, &b);
  cairo_pattern_add_color_stop_rgb (gradient, 0, r, g, b);
  hsv_to_rgb (hue, 0.75, 0.80, &r, &g, &b);
  cairo_pattern_add_color_stop_rgb (gradient, 1, r, g, b);
  cairo_arc (cr, c, c - size * 0.06, size * 0.38, 0, 2 * G_PI);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  /* The ring. */
  cairo_arc (cr, c, c - size * 0.06, size * 0.30, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
  cairo_set_line_width (cr, size * 0.025);
  cairo_stroke (cr);

  /* The initials. */
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, size * 0.20);
  cairo_text_extents (cr, initials, &extents);
  cairo_move_to (cr, c - extents.width / 2 - extents.x_bearing,
                 c - size * 0.06 - extents.height / 2 - extents.y_bearing);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_show_text (cr, initials);

  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png_cb, png),
                   ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static char *
salted_hash (const char *email,
             const char *salt)
{
  g_autofree char *salted = g_strconcat (email, salt, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, salted, -1);
}

/* Publishes an OB 2.0 hosted badge on the test issuer (issuer profile,
 * badge class, image, assertion) and bakes the assertion into its image. */
UiTestBadge *
ui_test_publish_badge (BwTestIssuer *issuer,
                       guint         index,
                       const char   *name,
                       const char   *description,
                       const char   *issuer_name,
                       const char   *initials,
                       double        hue,
                       const char   *recipient_email,
                       const char   *expires,
                       gboolean      revoked)
{
  const char *base = bw_test_issuer_get_url (issuer, 0);
  g_autofree char *issuer_path = g_strdup_printf ("/issuers/%u.json", index);
  g_autofree char *badge_path = g_strdup_printf ("/badges/%u.json", index);
  g_autofree char *image_path = g_strdup_printf ("/images/%u.png", index);
  g_autofree char *assertion_path = g_strdup_printf ("/assertions/%u.json", index);
  g_autofree char *issuer_url = g_strconcat (base, issuer_path, NULL);
  g_autofree char *badge_url = g_strconcat (base, badge_path, NULL);
  g_autofree char *image_url = g_strconcat (base, image_path, NULL);
  g_autofree char *issuer_json = NULL;
  g_autofree char *badge_json = NULL;
  g_autofree char *hash = salted_hash (recipient_email, "pepper");
  g_autofree char *expires_json = NULL;
  g_autoptr(GBytes) image = ui_test_draw_badge_png (256, hue, initials);
  g_autoptr(GError) error = NULL;
  UiTestBadge *badge = g_new0 (UiTestBadge, 1);

  issuer_json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                                 "\"type\": \"Profile\", \"id\": \"%s\", \"name\": \"%s\", "
                                 "\"url\": \"%s/\", \"email\": \"badges@example.org\"}",
                                 issuer_url, issuer_name, base);
  bw_test_issuer_add_json (issuer, 0, issuer_path, issuer_json);

  bw_test_issuer_add (issuer, 0, image_path, "image/png", image);

  badge_json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                                "\"type\": \"BadgeClass\", \"id\": \"%s\", \"name\": \"%s\", "
                                "\"description\": \"%s\", \"image\": \"%s\", "
                                "\"criteria\": {\"narrative\": \"Pass the assessment.\"}, "
                                "\"tags\": [\"skills\"], \"issuer\": \"%s\"}",
                                badge_url, name, description, image_url, issuer_url);
  bw_test_issuer_add_json (issuer, 0, badge_path, badge_json);

  badge->name = g_strdup (name);
  badge->assertion_url = g_strconcat (base, assertion_path, NULL);
  if (expires != NULL)
    expires_json = g_strdup_printf (", \"expires\": \"%s\"", expires);
  badge->assertion_json =
    g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                     "\"type\": \"Assertion\", \"id\": \"%s\", "
                     "\"recipient\": {\"type\": \"email\", \"hashed\": true, "
                     "\"salt\": \"pepper\", \"identity\": \"sha256$%s\"}, "
                     "\"badge\": \"%s\", \"verification\": {\"type\": \"HostedBadge\"}, "
                     "\"issuedOn\": \"2025-0%u-12T00:00:00Z\"%s}",
                     badge->assertion_url, hash, badge_url, 1 + index % 9,
                     expires_json != NULL ? expires_json : "");
  if (revoked)
    bw_test_issuer_add_revoked (issuer, 0, assertion_path, "Issued in error");
  else
    bw_test_issuer_add_json (issuer, 0, assertion_path, badge->assertion_json);

  badge->baked_png = bw_baked_bake_png (image, "openbadges", badge->assertion_json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (badge->baked_png);
  return badge;
}

/* The toplevel windows of @type, in no particular order. */
GPtrArray *
ui_test_list_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        g_ptr_array_add (found, g_steal_pointer (&window));
    }
  return found;
}

/* The first widget of @type below @root, depth first, or %NULL. */
GtkWidget *
ui_test_find_descendant (GtkWidget *root,
                         GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gpointer
ref_window (gconstpointer window,
            gpointer      user_data)
{
  return g_object_ref ((gpointer)window);
}

/* Destroys the windows of @application (dialogs and their transients go
 * with them), holding a reference to each until all are destroyed. */
void
ui_test_destroy_windows (GtkApplication *application)
{
  GList *windows = g_list_copy_deep (gtk_application_get_windows (application),
                                     ref_window, NULL);

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free_full (windows, g_object_unref);
}
