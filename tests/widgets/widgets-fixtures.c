/* widgets-fixtures.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "widgets-fixtures"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "widgets-fixtures.h"

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_colour (cairo_t *cr,
            guint32  colour,
            double   lighten)
{
  double r = ((colour >> 16) & 0xff) / 255.0;
  double g = ((colour >> 8) & 0xff) / 255.0;
  double b = (colour & 0xff) / 255.0;

  cairo_set_source_rgb (cr, r + (1 - r) * lighten, g + (1 - g) * lighten, b + (1 - b) * lighten);
}

static void
star_path (cairo_t *cr,
           double   cx,
           double   cy,
           double   outer,
           double   inner)
{
  for (int i = 0; i < 10; i++)
    {
      double angle = -G_PI / 2 + i * G_PI / 5;
      double radius = i % 2 == 0 ? outer : inner;

      if (i == 0)
        cairo_move_to (cr, cx + radius * cos (angle), cy + radius * sin (angle));
      else
        cairo_line_to (cr, cx + radius * cos (angle), cy + radius * sin (angle));
    }
  cairo_close_path (cr);
}

GBytes *
wf_make_png (guint32 colour,
             int     size)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  double c = size / 2.0;

  /* Ribbon tails, then the medal, a light ring and a star. */
  set_colour (cr, colour, 0.0);
  cairo_move_to (cr, c - size * 0.22, c);
  cairo_line_to (cr, c - size * 0.30, size * 0.98);
  cairo_line_to (cr, c - size * 0.16, size * 0.90);
  cairo_line_to (cr, c - size * 0.05, size * 0.98);
  cairo_close_path (cr);
  cairo_move_to (cr, c + size * 0.22, c);
  cairo_line_to (cr, c + size * 0.30, size * 0.98);
  cairo_line_to (cr, c + size * 0.16, size * 0.90);
  cairo_line_to (cr, c + size * 0.05, size * 0.98);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_arc (cr, c, c * 0.86, size * 0.40, 0, 2 * G_PI);
  set_colour (cr, colour, 0.0);
  cairo_fill (cr);
  cairo_arc (cr, c, c * 0.86, size * 0.33, 0, 2 * G_PI);
  set_colour (cr, colour, 0.35);
  cairo_set_line_width (cr, size * 0.025);
  cairo_stroke (cr);
  star_path (cr, c, c * 0.86, size * 0.20, size * 0.085);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);

  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png_cb, out);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (out);
}

GBytes *
wf_make_svg (guint32 colour)
{
  char *svg;

  svg = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">\n"
                         "  <polygon points=\"128,8 232,68 232,188 128,248 24,188 24,68\" fill=\"#%06x\"/>\n"
                         "  <polygon points=\"128,36 208,82 208,174 128,220 48,174 48,82\" fill=\"none\" stroke=\"#ffffff\" stroke-opacity=\"0.5\" stroke-width=\"6\"/>\n"
                         "  <path d=\"M128 70 L143 112 L188 112 L152 138 L165 182 L128 156 L91 182 L104 138 L68 112 L113 112 Z\" fill=\"#ffffff\"/>\n"
                         "</svg>\n", colour);

  return g_bytes_new_take (svg, strlen (svg));
}

WfWorld *
wf_world_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwIdentity) identity = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *json = NULL;
  g_autofree char *wallet = NULL;
  WfWorld *world = g_new0 (WfWorld, 1);
  const char *base;

  world->issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  base = bw_test_issuer_get_url (world->issuer, 0);

  world->key = bw_test_key_new (BW_TEST_KEY_ED25519, &error);
  g_assert_no_error (error);
  world->key_url = g_strconcat (base, "/keys/1.json", NULL);
  world->issuer_url = g_strconcat (base, "/issuer.json", NULL);

  pem = bw_test_key_dup_public_pem (world->key);
  escaped = g_strescape (pem, NULL);
  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"CryptographicKey\", \"id\": \"%s\", \"owner\": \"%s\", "
                          "\"publicKeyPem\": \"%s\"}",
                          world->key_url, world->issuer_url, escaped);
  bw_test_issuer_add_json (world->issuer, 0, "/keys/1.json", json);
  g_free (json);
  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Profile\", \"id\": \"%s\", \"name\": \"Open Skills Academy\", "
                          "\"url\": \"%s\", \"email\": \"badges@example.org\", \"publicKey\": \"%s\"}",
                          world->issuer_url, base, world->key_url);
  bw_test_issuer_add_json (world->issuer, 0, "/issuer.json", json);

  world->dir = g_dir_make_tmp ("bw-widgets-XXXXXX", &error);
  g_assert_no_error (error);

  world->fetcher = bw_fetcher_new ();
  bw_fetcher_set_allow_local (world->fetcher, TRUE);
  bw_fetcher_set_timeout (world->fetcher, 20);
  world->verifier = bw_verifier_new (world->fetcher);
  identity = bw_identity_new ("email", WF_EMAIL);
  bw_verifier_add_identity (world->verifier, identity);

  wallet = g_build_filename (world->dir, "wallet", NULL);
  world->store = bw_store_open (wallet, &error);
  g_assert_no_error (error);

  return world;
}

void
wf_world_free (WfWorld *world)
{
  g_clear_object (&world->store);
  g_clear_object (&world->verifier);
  g_clear_object (&world->fetcher);
  g_clear_pointer (&world->issuer, bw_test_issuer_free);
  g_clear_pointer (&world->key, bw_test_key_free);
  if (world->dir != NULL)
    wf_rm_rf (world->dir);
  g_free (world->dir);
  g_free (world->issuer_url);
  g_free (world->key_url);
  g_free (world);
}

static char *
recipient_json (void)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) WF_EMAIL WF_SALT, -1);
  return g_strdup_printf ("{\"type\": \"email\", \"hashed\": true, \"salt\": \"%s\", "
                          "\"identity\": \"sha256$%s\"}",
                          WF_SALT, g_checksum_get_string (checksum));
}

static char *
publish_badge_class (WfWorld           *world,
                     guint              id,
                     const WfBadgeSpec *spec,
                     GBytes            *image,
                     char             **embedded)
{
  const char *base = bw_test_issuer_get_url (world->issuer, 0);
  g_autofree char *image_path = g_strdup_printf ("/images/%u.%s", id, spec->svg ? "svg" : "png");
  g_autofree char *class_path = g_strdup_printf ("/badges/%u.json", id);
  g_autofree char *json = NULL;
  char *class_url = g_strconcat (base, class_path, NULL);

  bw_test_issuer_add (world->issuer, 0, image_path, spec->svg ? "image/svg+xml" : "image/png", image);
  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"BadgeClass\", \"id\": \"%s\", \"name\": \"%s\", "
                          "\"description\": \"%s\", \"image\": \"%s%s\", "
                          "\"criteria\": {\"id\": \"%s/criteria/%u\", "
                          "\"narrative\": \"Complete the course project and pass the final assessment.\"}, "
                          "\"issuer\": \"%s\", \"tags\": %s, "
                          "\"alignment\": [{\"targetName\": \"Digital competence framework\", "
                          "\"targetUrl\": \"%s/frameworks/digcomp\", \"targetFramework\": \"DigComp 2.2\", "
                          "\"targetCode\": \"5.3\"}]}",
                          class_url, spec->name,
                          spec->description != NULL ? spec->description : "A fixture badge.",
                          base, image_path, base, id, world->issuer_url,
                          spec->tags != NULL ? spec->tags : "[]", base);
  bw_test_issuer_add_json (world->issuer, 0, class_path, json);

  /* Real badges usually carry their badge class and issuer inside the
   * assertion, so the wallet can show them without the network. */
  if (embedded != NULL)
    {
      g_autofree char *issuer_json = NULL;
      g_autofree char *needle = g_strdup_printf ("\"issuer\": \"%s\"", world->issuer_url);
      const char *at = strstr (json, needle);
      GString *out;

      g_assert_nonnull (at);
      issuer_json = g_strdup_printf ("\"issuer\": {\"type\": \"Profile\", \"id\": \"%s\", "
                                     "\"name\": \"Open Skills Academy\", \"url\": \"%s\", "
                                     "\"email\": \"badges@example.org\"}",
                                     world->issuer_url, bw_test_issuer_get_url (world->issuer, 0));
      out = g_string_new_len (json, at - json);
      g_string_append (out, issuer_json);
      g_string_append (out, at + strlen (needle));
      *embedded = g_string_free (out, FALSE);
    }

  return class_url;
}

static GBytes *
bake (GBytes     *image,
      gboolean    svg,
      const char *verify_url,
      const char *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *baked;

  if (svg)
    baked = bw_baked_bake_svg (image, FALSE, verify_url, text, &error);
  else
    baked = bw_baked_bake_png (image, "openbadges", text, &error);
  g_assert_no_error (error);

  return baked;
}

GBytes *
wf_world_make_badge (WfWorld           *world,
                     const WfBadgeSpec *spec)
{
  const char *base = bw_test_issuer_get_url (world->issuer, 0);
  guint id = ++world->next_id;
  g_autoptr(GBytes) image = spec->svg ? wf_make_svg (spec->colour) : wf_make_png (spec->colour, 256);
  g_autofree char *embedded = NULL;
  g_autofree char *class_url = publish_badge_class (world, id, spec, image, &embedded);
  g_autofree char *path = g_strdup_printf ("/assertions/%u.json", id);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autofree char *recipient = recipient_json ();
  g_autofree char *expires = NULL;
  g_autofree char *json = NULL;

  if (spec->state == WF_STATE_EXPIRING || spec->state == WF_STATE_EXPIRED)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) when = g_date_time_add_days (now, spec->state == WF_STATE_EXPIRING ? 10 : -40);

      expires = g_date_time_format (when, ", \"expires\": \"%Y-%m-%dT%H:%M:%SZ\"");
    }

  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Assertion\", \"id\": \"%s\", \"recipient\": %s, "
                          "\"badge\": %s, \"verification\": {\"type\": \"HostedBadge\"}, "
                          "\"issuedOn\": \"2025-09-%02uT10:00:00Z\"%s, "
                          "\"evidence\": [{\"id\": \"%s/evidence/%u\", \"name\": \"Final project\", "
                          "\"description\": \"The project submitted for assessment.\"}]}",
                          url, recipient, embedded, 1 + id % 28,
                          expires != NULL ? expires : "", base, id);

  if (spec->state == WF_STATE_REVOKED)
    bw_test_issuer_add_revoked (world->issuer, 0, path, "Issued in error");
  else
    bw_test_issuer_add_json (world->issuer, 0, path, json);

  return bake (image, spec->svg, url, json);
}

GBytes *
wf_world_make_forged (WfWorld *world)
{
  static const WfBadgeSpec spec = { "Certified Security Expert", "Protects systems.", NULL,
                                    0xc01c28, FALSE, WF_STATE_VALID };
  guint id = ++world->next_id;
  g_autoptr(GBytes) image = wf_make_png (spec.colour, 256);
  g_autofree char *embedded = NULL;
  g_autofree char *class_url = publish_badge_class (world, id, &spec, image, &embedded);
  g_autofree char *recipient = recipient_json ();
  g_autofree char *json = NULL;
  g_autofree char *jws = NULL;
  g_autoptr(BwTestKey) forger = NULL;
  g_autoptr(GError) error = NULL;

  json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                          "\"type\": \"Assertion\", \"id\": \"urn:uuid:6b1d7f0e-2f55-4c1e-9d0a-%012u\", "
                          "\"recipient\": %s, \"badge\": %s, "
                          "\"verification\": {\"type\": \"SignedBadge\", \"creator\": \"%s\"}, "
                          "\"issuedOn\": \"2025-10-01T10:00:00Z\"}",
                          id, recipient, embedded, world->key_url);

  /* Signed by a key the issuer never published. */
  forger = bw_test_key_new (BW_TEST_KEY_ED25519, &error);
  g_assert_no_error (error);
  jws = bw_test_key_sign_jws (forger, NULL, json, &error);
  g_assert_no_error (error);

  return bake (image, FALSE, NULL, jws);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BwReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = bw_verifier_verify_finish (BW_VERIFIER (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_report (BwReport **report)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (*report == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_nonnull (*report);
}

BwReport *
wf_world_verify_input (WfWorld    *world,
                       const char *name,
                       GBytes     *data)
{
  BwReport *report = NULL;

  bw_verifier_verify_input_async (world->verifier, name, data, NULL, verify_cb, &report);
  wait_for_report (&report);

  return report;
}

BwBadge *
wf_world_add (WfWorld    *world,
              GBytes     *baked,
              const char *name,
              gboolean    verify)
{
  g_autoptr(BwImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BwBadge *badge;

  result = bw_store_add_bytes (world->store, baked, name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->status, ==, BW_IMPORT_ADDED);

  badge = bw_store_lookup (world->store, result->wallet_id);
  g_assert_nonnull (badge);

  if (verify)
    {
      g_autoptr(BwReport) report = NULL;

      bw_verifier_verify_async (world->verifier, badge, NULL, verify_cb, &report);
      wait_for_report (&report);
      g_assert_true (bw_store_save_report (world->store, result->wallet_id, report, &error));
      g_assert_no_error (error);
    }

  return badge;
}

void
wf_wait_for_flag (gboolean *done,
                  guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_true (*done);
}

void
wf_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            wf_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}
