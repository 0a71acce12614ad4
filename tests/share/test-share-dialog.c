/* test-share-dialog.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-share-dialog"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bw-baked.h"
#include "bw-share-dialog.h"
#include "bw-store.h"
#include "bw-util.h"

#include "share-fixtures.h"

#define HOSTED_JOBS \
  "https://www.linkedin.com/jobs/search/?keywords=" \
  "Ing%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux%20%231%20%2B%20100%25"

/* Generous: only a broken dialog comes near it. */
#define WAIT_TIMEOUT_SECONDS 20

typedef struct
{
  char      *dir;
  BwStore   *store;
  GPtrArray *uris;        /* what the injected launcher was asked to open */
} Fixture;

/* Helpers */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test when it does
 * not within WAIT_TIMEOUT_SECONDS. */
static void
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
tick_cb (GtkWidget     *widget,
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
} Shown;

static gboolean
is_shown (gpointer data)
{
  Shown *shown = data;

  return gtk_widget_get_mapped (shown->widget) && shown->frames >= 3;
}

static void
present_and_wait (GtkWindow *window)
{
  Shown shown = { GTK_WIDGET (window), 0 };
  guint tick;

  tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, &shown.frames, NULL);
  gtk_window_present (window);
  wait_for (is_shown, &shown);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
}

static void
record_uri (GtkWindow  *parent,
            const char *uri,
            gpointer    user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (BW_IS_SHARE_DIALOG (parent));
  g_ptr_array_add (fixture->uris, g_strdup (uri));
}

/* The widget the user would press for @action_name (and @target). */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name,
                 const char *target)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    {
      GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target == NULL ||
          (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
           g_str_equal (g_variant_get_string (value, NULL), target)))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name, target);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  Fixture *fixture;
  guint    count;
} UriWait;

static gboolean
has_uris (gpointer data)
{
  UriWait *wait = data;

  return wait->fixture->uris->len >= wait->count;
}

/* Presses the control bound to @action_name and returns the URI the
 * dialog asked to open. */
static const char *
press (Fixture    *fixture,
       GtkWidget  *dialog,
       const char *action_name,
       const char *target)
{
  GtkWidget *widget = find_actionable (dialog, action_name, target);
  UriWait wait = { fixture, fixture->uris->len + 1 };

  g_test_message ("pressing %s", action_name);
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_assert_true (gtk_widget_activate (widget));
  wait_for (has_uris, &wait);
  g_assert_cmpuint (fixture->uris->len, ==, wait.count);

  return g_ptr_array_index (fixture->uris, fixture->uris->len - 1);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
is_read (gpointer data)
{
  return ((ClipboardRead *)data)->done;
}

/* Presses a copy control and returns what landed on the clipboard. */
static char *
press_copy (GtkWidget  *dialog,
            const char *action_name,
            const char *target)
{
  GtkWidget *widget = find_actionable (dialog, action_name, target);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (dialog);
  ClipboardRead read = { NULL, FALSE };

  g_test_message ("pressing %s", action_name);
  g_assert_nonnull (widget);
  gdk_clipboard_set_text (clipboard, "");
  g_assert_true (gtk_widget_activate (widget));

  /* A button activates after its pressed state has shown; a row at once. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  if (GTK_IS_BUTTON (widget))
    {
      gboolean timed_out = FALSE;
      guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, &timed_out);
      GdkContentProvider *before = gdk_clipboard_get_content (clipboard);

      while (gdk_clipboard_get_content (clipboard) == before && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (timed_out);
      g_source_remove (id);
    }

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &read);
  wait_for (is_read, &read);
  return read.text;
}

static GtkWidget *
find_toast_label (GtkWidget  *dialog,
                  const char *text)
{
  return (GtkWidget *)find_label (dialog, text);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A badge-like image: a blue rosette with a white star. */
static GBytes *
draw_badge_png (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 128, 128);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
  cairo_move_to (cr, 40, 70);
  cairo_line_to (cr, 28, 124);
  cairo_line_to (cr, 46, 112);
  cairo_line_to (cr, 56, 126);
  cairo_line_to (cr, 64, 76);
  cairo_close_path (cr);
  cairo_move_to (cr, 88, 70);
  cairo_line_to (cr, 100, 124);
  cairo_line_to (cr, 82, 112);
  cairo_line_to (cr, 72, 126);
  cairo_line_to (cr, 64, 76);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_arc (cr, 64, 56, 48, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
  cairo_fill (cr);
  cairo_arc (cr, 64, 56, 40, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  for (int i = 0; i < 10; i++)
    {
      double angle = -G_PI / 2 + i * G_PI / 5;
      double radius = (i % 2 == 0) ? 26 : 11;
      double x = 64 + radius * cos (angle);
      double y = 56 + radius * sin (angle);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, write_png_cb, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (png);
}

static GBytes *
bake (GBytes     *png,
      const char *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *baked = bw_baked_bake_png (png, "openbadges", text, &error);

  g_assert_no_error (error);
  return baked;
}

static char *
make_jws (const char *payload)
{
  static const char header[] = "{\"alg\":\"RS256\"}";
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *p = bw_base64url_encode ((const guint8 *)payload, strlen (payload));

  return g_strconcat (h, ".", p, ".c2lnbmF0dXJl", NULL);
}

static BwBadge *
add_to_store (Fixture *fixture,
              GBytes  *original,
              char   **wallet_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwImportResult) result = NULL;
  BwBadge *badge;

  result = bw_store_add_bytes (fixture->store, original, "badge", &error);
  g_assert_no_error (error);
  g_assert_nonnull (result->wallet_id);

  badge = bw_store_lookup (fixture->store, result->wallet_id);
  g_assert_nonnull (badge);
  if (wallet_id != NULL)
    *wallet_id = g_strdup (result->wallet_id);
  return g_object_ref (badge);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;

  /* What the window shows, rendered by its own renderer. */
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((AsyncWait *)data)->result != NULL;
}

static GBytes *
save_image (BwShareDialog *dialog,
            Fixture       *fixture,
            const char    *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };
  char *contents = NULL;
  gsize length = 0;

  bw_share_dialog_save_image_async (dialog, file, NULL, async_cb, &wait);
  wait_for (has_result, &wait);
  g_assert_true (bw_share_dialog_save_image_finish (dialog, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  return g_bytes_new_take (contents, length);
}

/* Fixture */

static gboolean
remove_tree (GFile   *file,
             GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        if (!remove_tree (child, error))
          return FALSE;
    }

  return g_file_delete (file, NULL, error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wallet = NULL;

  fixture->dir = g_dir_make_tmp ("test-share-dialog-XXXXXX", &error);
  g_assert_no_error (error);

  wallet = g_build_filename (fixture->dir, "badge-wallet", NULL);
  fixture->store = bw_store_open (wallet, &error);
  g_assert_no_error (error);

  fixture->uris = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->uris);

  remove_tree (dir, &error);
  g_assert_no_error (error);
  g_free (fixture->dir);
}

static BwShareDialog *
open_dialog (Fixture *fixture,
             BwBadge *badge)
{
  BwShareDialog *dialog = bw_share_dialog_new (NULL, fixture->store, badge);

  bw_share_dialog_set_launcher (dialog, record_uri, fixture);
  present_and_wait (GTK_WINDOW (dialog));
  return dialog;
}

/* Tests */

static void
test_hosted (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) image = draw_badge_png ();
  g_autoptr(GBytes) original = bake (image, HOSTED_ASSERTION);
  g_autoptr(BwBadge) badge = add_to_store (fixture, original, NULL);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *embed = NULL;
  g_autofree char *cert_id = NULL;
  BwShareDialog *dialog = open_dialog (fixture, badge);
  GtkWidget *widget = GTK_WIDGET (dialog);
  GtkAdjustment *adjustment;
  GtkWidget *scrolled;
  GObject *expander;
  GObject *jobs;

  g_assert_nonnull (find_label (widget, "Ingénieur « Sécurité » & Réseaux #1 + 100%"));
  g_assert_nonnull (find_label (widget, "Issued by Université de Montréal"));

  save_screenshot (widget, "share-dialog.png");

  /* The end of the dialog, and LinkedIn's fields. */
  jobs = gtk_widget_get_template_child (widget, BW_TYPE_SHARE_DIALOG, "jobs_group");
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (jobs), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  present_and_wait (GTK_WINDOW (dialog));
  save_screenshot (widget, "share-dialog-end.png");
  gtk_adjustment_set_value (adjustment, 0);
  expander = gtk_widget_get_template_child (widget, BW_TYPE_SHARE_DIALOG, "linkedin_profile_row");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  present_and_wait (GTK_WINDOW (dialog));
  save_screenshot (widget, "share-dialog-linkedin.png");

  g_assert_cmpstr (press (fixture, widget, "share.linkedin-profile", NULL), ==, HOSTED_LINKEDIN_PROFILE);
  g_assert_cmpstr (press (fixture, widget, "share.linkedin-post", NULL), ==, HOSTED_LINKEDIN_POST);
  g_assert_cmpstr (press (fixture, widget, "share.facebook", NULL), ==, HOSTED_FACEBOOK);
  g_assert_cmpstr (press (fixture, widget, "share.x", NULL), ==, HOSTED_X);
  g_assert_cmpstr (press (fixture, widget, "share.email", NULL), ==, HOSTED_EMAIL);
  g_assert_nonnull (find_toast_label (widget, "The badge image could not be attached: save it "
                                              "and attach it yourself"));
  g_assert_cmpstr (press (fixture, widget, "share.find-jobs", HOSTED_JOBS), ==, HOSTED_JOBS);

  link = press_copy (widget, "share.copy-link", NULL);
  g_assert_cmpstr (link, ==, HOSTED_PUBLIC_URL);
  embed = press_copy (widget, "share.copy-embed", NULL);
  g_assert_cmpstr (embed, ==, HOSTED_EMBED);
  cert_id = press_copy (widget, "share.copy-field", "cert-id");
  g_assert_cmpstr (cert_id, ==, "42");

  /* The original is saved byte-exact, and it still holds the badge. */
  saved = save_image (dialog, fixture, "saved.png");
  g_assert_true (g_bytes_equal (saved, original));
  payload = bw_baked_read_bytes (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload->text, ==, HOSTED_ASSERTION);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A badge that came as JSON is saved as its image with the badge baked in. */
static void
test_json_baked_on_save (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) image = draw_badge_png ();
  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (image, NULL),
                                              g_bytes_get_size (image));
  g_autofree char *data_uri = g_strconcat ("data:image/png;base64,", encoded, NULL);
  g_auto(GStrv) parts = g_strsplit (HOSTED_ASSERTION, "https://badges.example.org/badges/sec.png", -1);
  g_autofree char *json = g_strjoinv (data_uri, parts);
  g_autoptr(GBytes) original = g_bytes_new (json, strlen (json));
  g_autoptr(BwBadge) badge = add_to_store (fixture, original, NULL);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwBadge) again = NULL;
  g_autoptr(GError) error = NULL;
  BwShareDialog *dialog;

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  dialog = open_dialog (fixture, badge);

  saved = save_image (dialog, fixture, "saved.png");
  g_assert_cmpint (bw_baked_sniff (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved)), ==,
                   BW_IMAGE_FORMAT_PNG);
  payload = bw_baked_read_bytes (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpint (payload->kind, ==, BW_PAYLOAD_KIND_JSON);
  g_assert_cmpstr (payload->text, ==, json);

  again = bw_badge_new_from_payload (payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bw_badge_get_id (again), ==, bw_badge_get_id (badge));
  g_assert_cmpstr (bw_badge_get_name (again), ==, bw_badge_get_name (badge));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A signed badge: the reason is shown, the link targets are off, and
 * e-mail and saving still work. */
static void
test_signed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) image = draw_badge_png ();
  g_autofree char *jws = make_jws (SIGNED_ASSERTION);
  g_autoptr(GBytes) original = bake (image, jws);
  g_autoptr(BwBadge) badge = add_to_store (fixture, original, NULL);
  g_autoptr(GBytes) saved = NULL;
  static const char * const disabled[] = {
    "share.linkedin-profile", "share.linkedin-post", "share.facebook", "share.x",
    "share.copy-link", "share.copy-embed",
  };
  BwShareDialog *dialog = open_dialog (fixture, badge);
  GtkWidget *widget = GTK_WIDGET (dialog);
  GtkLabel *reason = find_label (widget, SIGNED_REASON);
  const char *email;

  save_screenshot (widget, "share-dialog-signed.png");

  g_assert_nonnull (reason);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (reason)));

  for (guint i = 0; i < G_N_ELEMENTS (disabled); i++)
    {
      GtkWidget *control = find_actionable (widget, disabled[i], NULL);

      g_test_message ("%s", disabled[i]);
      g_assert_nonnull (control);
      g_assert_false (gtk_widget_is_sensitive (control));
      gtk_widget_activate (control);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (fixture->uris->len, ==, 0);

  email = press (fixture, widget, "share.email", NULL);
  g_assert_true (g_str_has_prefix (email, "mailto:?subject=My%20%E2%80%9CSigned%20"));
  g_assert_null (strstr (email, "http"));

  saved = save_image (dialog, fixture, "signed.png");
  g_assert_true (g_bytes_equal (saved, original));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/share-dialog/hosted", test_hosted);
  ADD ("/share-dialog/json-baked-on-save", test_json_baked_on_save);
  ADD ("/share-dialog/signed", test_signed);

#undef ADD

  return g_test_run ();
}
