/* test-baked.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-baked"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <glib/gstdio.h>

#include "bw-baked.h"
#include "bw-baked-private.h"
#include "bw-error.h"
#include "bw-util.h"
#include "bw-test-png.h"

#define JSON_OB2 "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\"," \
                 "\"id\":\"https://example.org/beths-robotics-badge.json\"}"
#define URL_OB2  "https://example.org/beths-robotics-badge.json"

static char *
make_jws (const char *header,
          const char *claims)
{
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *c = bw_base64url_encode ((const guint8 *)claims, strlen (claims));

  return g_strdup_printf ("%s.%s.c2lnbmF0dXJl", h, c);
}

static char *
make_ob2_jws (void)
{
  return make_jws ("{\"alg\":\"RS256\"}", JSON_OB2);
}

static char *
make_vc_jwt (void)
{
  return make_jws ("{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
                   "{\"iss\":\"https://example.org/issuer\",\"vc\":{\"type\":"
                   "[\"VerifiableCredential\",\"OpenBadgeCredential\"]}}");
}

static GBytes *
small_png (void)
{
  GByteArray *png = bw_test_png_image (16, 16, 7, 8192);

  bw_test_png_end (png);
  return g_byte_array_free_to_bytes (png);
}

static char *
write_temp (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("test-baked-XXXXXX", &path, &error);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, (const char *)data, (gssize)len, &error));
  g_assert_no_error (error);
  close (fd);
  return path;
}

static gboolean
payload_has_warning (BwPayload  *payload,
                     const char *needle)
{
  for (guint i = 0; i < payload->warnings->len; i++)
    {
      if (strstr (g_ptr_array_index (payload->warnings, i), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Classification */

static void
test_classify (void)
{
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *vc_jwt = make_vc_jwt ();
  g_autofree char *vc_typed = make_jws ("{\"alg\":\"ES256\"}",
                                        "{\"@context\":"
                                        "[\"https://www.w3.org/ns/credentials/v2\"],\"type\":"
                                        "[\"VerifiableCredential\",\"OpenBadgeCredential\"]}");
  g_autofree char *nested_vc = make_jws ("{\"alg\":\"ES256\"}",
                                         "{\"a\":{\"vc\":1,\"type\":\"VerifiableCredential\"}}");
  g_autofree char *padded = g_strdup_printf ("\n\t  %s \r\n", jws);
  const struct
  {
    const char *text;
    BwPayloadKind kind;
  } cases[] = {
    { JSON_OB2, BW_PAYLOAD_KIND_JSON },
    { "  \n {\"a\": 1}\n", BW_PAYLOAD_KIND_JSON },
    { URL_OB2, BW_PAYLOAD_KIND_URL },
    { " http://example.org/a?b=c#d \n", BW_PAYLOAD_KIND_URL },
    { "HTTPS://EXAMPLE.ORG/", BW_PAYLOAD_KIND_URL },
    { "https://exa mple.org/", BW_PAYLOAD_KIND_UNKNOWN },
    { "ftp://example.org/a", BW_PAYLOAD_KIND_UNKNOWN },
    { "https://", BW_PAYLOAD_KIND_UNKNOWN },
    { jws, BW_PAYLOAD_KIND_JWS },
    { padded, BW_PAYLOAD_KIND_JWS },
    { vc_jwt, BW_PAYLOAD_KIND_VC_JWT },
    { vc_typed, BW_PAYLOAD_KIND_VC_JWT },
    { nested_vc, BW_PAYLOAD_KIND_JWS },
    { "aGVhZGVy..c2ln", BW_PAYLOAD_KIND_JWS },
    { "a.b", BW_PAYLOAD_KIND_UNKNOWN },
    { "a.b.c.d", BW_PAYLOAD_KIND_UNKNOWN },
    { ".b.c", BW_PAYLOAD_KIND_UNKNOWN },
    { "a+b.c.d", BW_PAYLOAD_KIND_UNKNOWN },
    { "", BW_PAYLOAD_KIND_UNKNOWN },
    { " \n\t ", BW_PAYLOAD_KIND_UNKNOWN },
    { "[1,2]", BW_PAYLOAD_KIND_UNKNOWN },
    { "hello", BW_PAYLOAD_KIND_UNKNOWN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("classify %s", cases[i].text);
      g_assert_cmpint (bw_payload_classify (cases[i].text), ==, cases[i].kind);
    }

  g_assert_cmpstr (bw_payload_kind_to_string (BW_PAYLOAD_KIND_VC_JWT), ==, "vc-jwt");
  g_assert_cmpstr (bw_payload_kind_to_string (BW_PAYLOAD_KIND_URL), ==, "url");
  g_assert_cmpstr (bw_payload_source_to_string (BW_PAYLOAD_SOURCE_ITXT), ==, "iTXt");
  g_assert_cmpstr (bw_payload_source_to_string (BW_PAYLOAD_SOURCE_SVG_CREDENTIAL), ==,
                   "svg:credential");
}

static void
test_payload_copy (void)
{
  g_autoptr(BwPayload) payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_ITXT,
                                                  URL_OB2);
  g_autoptr(BwPayload) copy = NULL;

  g_assert_cmpint (payload->format, ==, BW_IMAGE_FORMAT_PNG);
  g_assert_cmpint (payload->offset, ==, -1);
  payload->keyword = g_strdup ("openbadges");
  g_ptr_array_add (payload->warnings, g_strdup ("a note"));

  copy = g_boxed_copy (BW_TYPE_PAYLOAD, payload);
  g_assert_true (copy != payload);
  g_assert_cmpstr (copy->text, ==, URL_OB2);
  g_assert_cmpstr (copy->keyword, ==, "openbadges");
  g_assert_cmpuint (copy->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (copy->warnings, 0), ==, "a note");
}

/* PNG round trips */

static void
check_bake_is_exact (GBytes     *original,
                     GBytes     *baked,
                     const char *keyword,
                     const char *text)
{
  gsize olen, blen;
  const guint8 *o = g_bytes_get_data (original, &olen);
  const guint8 *b = g_bytes_get_data (baked, &blen);
  gsize klen = strlen (keyword);
  gsize tlen = strlen (text);
  gsize chunk = 12 + klen + 5 + tlen;

  /* Signature and IHDR, then the new chunk, then the rest unchanged. */
  g_assert_cmpuint (blen, ==, olen + chunk);
  g_assert_cmpmem (b, 33, o, 33);
  g_assert_cmpmem (b + 33 + 4, 4, "iTXt", 4);
  g_assert_cmpmem (b + 33 + 8, klen, keyword, klen);
  g_assert_cmpmem (b + 33 + 8 + klen, 5, "\0\0\0\0\0", 5);
  g_assert_cmpmem (b + 33 + 8 + klen + 5, tlen, text, tlen);
  g_assert_cmpmem (b + 33 + chunk, blen - 33 - chunk, o + 33, olen - 33);
}

static void
test_png_round_trip (void)
{
  g_autoptr(GBytes) png = small_png ();
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *vc_jwt = make_vc_jwt ();
  const struct
  {
    const char *keyword;
    const char *text;
    BwPayloadKind kind;
  } cases[] = {
    { "openbadges", URL_OB2, BW_PAYLOAD_KIND_URL },
    { "openbadges", JSON_OB2, BW_PAYLOAD_KIND_JSON },
    { "openbadges", jws, BW_PAYLOAD_KIND_JWS },
    { "openbadgecredential", vc_jwt, BW_PAYLOAD_KIND_VC_JWT },
    /* A JWS baked under the OB 3.0 keyword is a VC-JWT whatever it says. */
    { "openbadgecredential", jws, BW_PAYLOAD_KIND_VC_JWT },
    { "openbadgecredential", JSON_OB2, BW_PAYLOAD_KIND_JSON },
    { "openbadges", "{\"name\":\"Ünïcødé ✓\"}", BW_PAYLOAD_KIND_JSON },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) baked = bw_baked_bake_png (png, cases[i].keyword, cases[i].text, &error);
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwPayload) from_file = NULL;
      g_autofree char *path = NULL;
      guint64 bytes_read = 0;

      g_assert_no_error (error);
      check_bake_is_exact (png, baked, cases[i].keyword, cases[i].text);

      payload = bw_baked_read_png_bytes (baked, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpint (payload->source, ==, BW_PAYLOAD_SOURCE_ITXT);
      g_assert_cmpint (payload->format, ==, BW_IMAGE_FORMAT_PNG);
      g_assert_cmpstr (payload->keyword, ==, cases[i].keyword);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      g_assert_cmpint (payload->offset, ==, 33);
      g_assert_cmpint (payload->ob3, ==, strcmp (cases[i].keyword, "openbadgecredential") == 0);
      g_assert_cmpuint (payload->warnings->len, ==, 0);

      path = write_temp (baked);
      from_file = bw_baked_read_file (path, &bytes_read, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (from_file->text, ==, cases[i].text);
      g_assert_cmpint (from_file->kind, ==, cases[i].kind);
      g_assert_cmpuint (bytes_read, >, 33);
      g_assert_cmpuint (bytes_read, <, g_bytes_get_size (baked));
      g_unlink (path);
    }
}

static void
test_png_rebake (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) once = NULL;
  g_autoptr(GBytes) twice = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autofree char *jws = make_ob2_jws ();
  GByteArray *a = bw_test_png_start (1, 1);

  /* Old chunks of all three kinds with the keyword, one with another
   * keyword, and one with the other Open Badges keyword. */
  bw_test_png_text_chunk (a, "tEXt", "openbadges", URL_OB2);
  bw_test_png_text_chunk (a, "tEXt", "Software", "test");
  bw_test_png_text_chunk (a, "zTXt", "openbadges", "x");
  bw_test_png_text_chunk (a, "iTXt", "openbadgecredential", JSON_OB2);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", JSON_OB2);
  bw_test_png_end (a);
  png = g_byte_array_free_to_bytes (a);

  once = bw_baked_bake_png (png, "openbadges", JSON_OB2, &error);
  g_assert_no_error (error);
  twice = bw_baked_bake_png (once, "openbadges", jws, &error);
  g_assert_no_error (error);

  {
    gsize len;
    const guint8 *d = g_bytes_get_data (twice, &len);
    gsize hits = 0;

    for (gsize i = 0; i + 11 <= len; i++)
      {
        if (memcmp (d + i, "openbadges\0", 11) == 0)
          hits++;
      }
    g_assert_cmpuint (hits, ==, 1);
    g_assert_nonnull (bw_test_png_find_chunk (d, len, "tEXt") != 0 ? d : NULL);
  }

  /* The OB 3.0 chunk was kept, so it wins, with a note about the other. */
  payload = bw_baked_read_png_bytes (twice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload->keyword, ==, "openbadgecredential");
  g_assert_true (payload_has_warning (payload, "“openbadges”"));

  g_clear_pointer (&twice, g_bytes_unref);
  g_clear_pointer (&payload, bw_payload_free);
  twice = bw_baked_bake_png (once, "openbadgecredential", jws, &error);
  g_assert_no_error (error);
  payload = bw_baked_read_png_bytes (twice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload->text, ==, jws);
  g_assert_cmpint (payload->kind, ==, BW_PAYLOAD_KIND_VC_JWT);
  g_assert_cmpint (payload->offset, ==, 33);
}

/* Writes @size bytes of noise PNG with @text in an iTXt placed either
 * right after IHDR or just before IEND. */
static GBytes *
big_png (gboolean    at_front,
         const char *text)
{
  GByteArray *a = bw_test_png_image (1024, 1024, 42, 8192);
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;

  if (at_front)
    {
      bw_test_png_end (a);
      image = g_byte_array_free_to_bytes (a);
      return bw_baked_bake_png (image, "openbadges", text, &error);
    }

  bw_test_png_text_chunk (a, "iTXt", "openbadges", text);
  bw_test_png_end (a);
  return g_byte_array_free_to_bytes (a);
}

static void
test_png_big (void)
{
  for (guint front = 0; front < 2; front++)
    {
      g_autoptr(GBytes) png = big_png (front, JSON_OB2);
      g_autofree char *path = write_temp (png);
      g_autoptr(GError) error = NULL;
      g_autoptr(BwPayload) payload = NULL;
      guint64 bytes_read = 0;
      gsize size = g_bytes_get_size (png);

      g_assert_cmpuint (size, >, 3 * 1024 * 1024);
      payload = bw_baked_read_file (path, &bytes_read, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (payload->text, ==, JSON_OB2);
      g_assert_cmpint (payload->kind, ==, BW_PAYLOAD_KIND_JSON);
      if (front)
        g_assert_cmpint (payload->offset, ==, 33);
      else
        g_assert_cmpint (payload->offset, ==, (gint64)(size - 12 - (12 + 15 + strlen (JSON_OB2))));

      /* Only chunk headers and the payload chunk are read: 8 bytes for
       * each of the ~390 IDAT chunks, far from the image's 3 MB. */
      g_test_message ("%s: %" G_GUINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes read",
                      front ? "front" : "back", bytes_read, size);
      g_assert_cmpuint (bytes_read, <, 4096 + strlen (JSON_OB2));

      /* The same through a pipe, which cannot seek. */
      {
        int fds[2];
        g_autoptr(BwPayload) piped = NULL;
        GPid pid;

        g_assert_cmpint (pipe (fds), ==, 0);
        pid = fork ();
        g_assert_cmpint (pid, >=, 0);
        if (pid == 0)
          {
            const guint8 *d = g_bytes_get_data (png, NULL);
            gsize done = 0;

            close (fds[0]);
            while (done < size)
              {
                gssize w = write (fds[1], d + done, size - done);

                if (w <= 0)
                  _exit (1);
                done += (gsize)w;
              }
            _exit (0);
          }
        close (fds[1]);
        piped = bw_baked_read_png_fd (fds[0], &bytes_read, &error);
        close (fds[0]);
        g_assert_no_error (error);
        g_assert_cmpstr (piped->text, ==, JSON_OB2);
        waitpid (pid, NULL, 0);
      }
      g_unlink (path);
    }
}

static void
test_png_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = NULL;
  struct
  {
    const char *name;
    GByteArray *png;
    const char *keyword;
    BwPayloadSource source;
    const char *text;
    const char *warning;
  } cases[8];
  guint n = 0;
  GByteArray *a;

  /* Legacy tEXt first, iTXt second: the iTXt wins. */
  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "tEXt", "openbadges", URL_OB2);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", JSON_OB2);
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "text-then-itxt", a, "openbadges", BW_PAYLOAD_SOURCE_ITXT,
                                     JSON_OB2, "legacy tEXt" };

  /* OB 2.0 first, OB 3.0 second: OB 3.0 wins. */
  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", JSON_OB2);
  bw_test_png_text_chunk (a, "iTXt", "openbadgecredential", "{\"b\":2}");
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "ob2-then-ob3", a, "openbadgecredential",
                                     BW_PAYLOAD_SOURCE_ITXT, "{\"b\":2}", "“openbadges”" };

  /* Duplicates: the first one wins. */
  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", JSON_OB2);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", "{\"second\":true}");
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "duplicate", a, "openbadges", BW_PAYLOAD_SOURCE_ITXT,
                                     JSON_OB2, "only the first" };

  /* Compressed iTXt: inflated, with a warning. */
  {
    guint8 z[512];
    uLongf zlen = sizeof z;

    g_assert_cmpint (compress (z, &zlen, (const guint8 *)JSON_OB2, strlen (JSON_OB2)), ==, Z_OK);
    a = bw_test_png_start (1, 1);
    bw_test_png_itxt_full (a, "openbadges", 1, "", "", z, zlen);
    bw_test_png_end (a);
    cases[n++] = (typeof (cases[0])) { "compressed", a, "openbadges", BW_PAYLOAD_SOURCE_ITXT,
                                       JSON_OB2, "compressed" };
  }

  /* Language tag and translated keyword are skipped. */
  a = bw_test_png_start (1, 1);
  bw_test_png_itxt_full (a, "openbadges", 0, "en", "Open Badges", JSON_OB2, strlen (JSON_OB2));
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "language", a, "openbadges", BW_PAYLOAD_SOURCE_ITXT,
                                     JSON_OB2, NULL };

  /* A legacy tEXt in Latin-1 is converted to UTF-8. */
  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "tEXt", "openbadges", "{\"name\":\"caf\xe9\"}");
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "latin1", a, "openbadges", BW_PAYLOAD_SOURCE_TEXT,
                                     "{\"name\":\"café\"}", NULL };

  /* A superseded chunk with a bad CRC is not relied upon: a warning. */
  a = bw_test_png_start (1, 1);
  bw_test_png_chunk_raw (a, 11 + strlen (URL_OB2), "tEXt", "openbadges\0" URL_OB2,
                         11 + strlen (URL_OB2), 0xdeadbeef);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", JSON_OB2);
  bw_test_png_end (a);
  cases[n++] = (typeof (cases[0])) { "superseded-bad-crc", a, "openbadges",
                                     BW_PAYLOAD_SOURCE_ITXT, JSON_OB2, "bad CRC" };

  /* JSON nested 100,000 deep comes back as text, untouched. */
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < 100000; i++)
      g_string_append (s, "{\"a\":");
    g_string_append (s, "1");
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (s, '}');
    deep = g_string_free (s, FALSE);
    a = bw_test_png_start (1, 1);
    bw_test_png_text_chunk (a, "iTXt", "openbadges", deep);
    bw_test_png_end (a);
    cases[n++] = (typeof (cases[0])) { "deep-json", a, "openbadges", BW_PAYLOAD_SOURCE_ITXT,
                                       deep, NULL };
  }

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (cases));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (cases[i].png);
      g_autoptr(BwPayload) payload = NULL;

      g_test_message ("rule %s", cases[i].name);
      payload = bw_baked_read_png_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (payload->keyword, ==, cases[i].keyword);
      g_assert_cmpint (payload->source, ==, cases[i].source);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      if (cases[i].warning != NULL)
        g_assert_true (payload_has_warning (payload, cases[i].warning));
      else
        g_assert_cmpuint (payload->warnings->len, ==, 0);
    }
}

/* Hostile and malformed PNGs, each with its own error. */

typedef struct
{
  const char *name;
  GBytes *png;
  int code;
  const char *message;
} BadPng;

static GBytes *
finish (GByteArray *a)
{
  return g_byte_array_free_to_bytes (a);
}

static GBytes *
truncate_bytes (GBytes *b,
                gsize   keep)
{
  g_autoptr(GBytes) owned = b;

  return g_bytes_new_from_bytes (owned, 0, keep);
}

static void
test_png_hostile (void)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) good = NULL;
  g_autofree char *fifty = NULL;
  gsize good_len;
  gsize idat;
  GByteArray *a;
  BadPng *c;

#define ADD(n, bytes, err, msg) \
  G_STMT_START { \
    c = g_new0 (BadPng, 1); \
    c->name = n; c->png = bytes; c->code = err; c->message = msg; \
    g_ptr_array_add (cases, c); \
  } G_STMT_END

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) image = small_png ();

    good = bw_baked_bake_png (image, "openbadges", JSON_OB2, &error);
    g_assert_no_error (error);
  }
  good_len = g_bytes_get_size (good);
  idat = bw_test_png_find_chunk (g_bytes_get_data (good, NULL), good_len, "IDAT");
  g_assert_cmpuint (idat, >, 33);

  ADD ("empty", g_bytes_new ("", 0), BW_ERROR_MALFORMED, "Not a PNG file: the signature is wrong");
  ADD ("not-png", g_bytes_new ("GIF89a....", 10), BW_ERROR_MALFORMED, "Not a PNG file");
  ADD ("half-signature", truncate_bytes (g_bytes_ref (good), 5), BW_ERROR_TRUNCATED,
       "PNG ends inside its signature");
  ADD ("signature-only", truncate_bytes (g_bytes_ref (good), 8), BW_ERROR_TRUNCATED,
       "PNG ends at byte 8 without an IEND chunk");
  ADD ("half-header", truncate_bytes (g_bytes_ref (good), 13), BW_ERROR_TRUNCATED,
       "PNG ends inside a chunk header at byte 8");
  ADD ("inside-itxt", truncate_bytes (g_bytes_ref (good), 60), BW_ERROR_TRUNCATED,
       "PNG ends inside chunk iTXt at byte 33");
  ADD ("inside-idat", truncate_bytes (g_bytes_ref (good), idat + 100), BW_ERROR_TRUNCATED,
       g_strdup_printf ("PNG ends inside chunk IDAT at byte %" G_GSIZE_FORMAT, idat));
  ADD ("no-iend", truncate_bytes (g_bytes_ref (good), good_len - 12), BW_ERROR_TRUNCATED,
       g_strdup_printf ("PNG ends at byte %" G_GSIZE_FORMAT " without an IEND chunk",
                        good_len - 12));

  {
    GByteArray *b = g_byte_array_new ();

    g_byte_array_append (b, g_bytes_get_data (good, NULL), (guint)good_len);
    b->data[33 + 8 + 20] ^= 0x01;
    ADD ("bad-crc", finish (b), BW_ERROR_BAD_CRC, "bad CRC in chunk iTXt at byte 33");
  }

  a = bw_test_png_start (1, 1);
  bw_test_png_chunk_raw (a, 0x80000000u, "IDAT", NULL, 0, 0);
  ADD ("absurd-length", finish (a), BW_ERROR_MALFORMED,
       "Absurd length 2147483648 of chunk IDAT at byte 33");

  a = bw_test_png_start (1, 1);
  bw_test_png_chunk_raw (a, 0x7fffffffu, "IDAT", NULL, 0, 0);
  ADD ("huge-length", finish (a), BW_ERROR_TRUNCATED, "PNG ends inside chunk IDAT at byte 33");

  a = bw_test_png_start (1, 1);
  bw_test_png_chunk (a, "ID@T", "x", 1);
  ADD ("bad-type", finish (a), BW_ERROR_MALFORMED, "Invalid chunk type at byte 33");

  a = g_byte_array_new ();
  g_byte_array_append (a, (const guint8 *)"\x89PNG\r\n\x1a\n", 8);
  bw_test_png_chunk (a, "IDAT", "x", 1);
  bw_test_png_end (a);
  ADD ("no-ihdr", finish (a), BW_ERROR_MALFORMED, "The first chunk is IDAT at byte 8, not IHDR");

  a = g_byte_array_new ();
  g_byte_array_append (a, (const guint8 *)"\x89PNG\r\n\x1a\n", 8);
  bw_test_png_chunk (a, "IHDR", "0123456789abcdef", 16);
  bw_test_png_end (a);
  ADD ("long-ihdr", finish (a), BW_ERROR_MALFORMED,
       "The IHDR chunk at byte 8 is 16 bytes long instead of 13");

  a = bw_test_png_start (1, 1);
  for (guint i = 0; i < BW_BAKED_MAX_CHUNKS + 10; i++)
    bw_test_png_chunk (a, "tIME", NULL, 0);
  bw_test_png_end (a);
  ADD ("too-many-chunks", finish (a), BW_ERROR_TOO_LARGE,
       "Too many chunks in this PNG: more than 100000");

  {
    /* 200 MB of zeros deflate to about 200 KB. */
    gsize raw_len = 200 * 1024 * 1024;
    g_autofree guint8 *raw = g_malloc0 (raw_len);
    uLongf zlen = compressBound ((uLong)raw_len);
    g_autofree guint8 *z = g_malloc (zlen);

    g_assert_cmpint (compress2 (z, &zlen, raw, (uLong)raw_len, 9), ==, Z_OK);
    g_assert_cmpuint (zlen, <, BW_BAKED_MAX_PAYLOAD);
    a = bw_test_png_start (1, 1);
    bw_test_png_itxt_full (a, "openbadges", 1, "", "", z, zlen);
    bw_test_png_end (a);
    ADD ("deflate-bomb", finish (a), BW_ERROR_TOO_LARGE,
         "Compressed iTXt text at byte 33 inflates to more than 1048576 bytes");
  }

  a = bw_test_png_start (1, 1);
  bw_test_png_itxt_full (a, "openbadges", 1, "", "", "not zlib at all", 15);
  bw_test_png_end (a);
  ADD ("bad-zlib", finish (a), BW_ERROR_MALFORMED,
       "Compressed iTXt text at byte 33 is not valid zlib data");

  {
    guint8 z[512];
    uLongf zlen = sizeof z;

    g_assert_cmpint (compress (z, &zlen, (const guint8 *)JSON_OB2, strlen (JSON_OB2)), ==, Z_OK);
    a = bw_test_png_start (1, 1);
    bw_test_png_itxt_full (a, "openbadges", 1, "", "", z, zlen / 2);
    bw_test_png_end (a);
    ADD ("short-zlib", finish (a), BW_ERROR_TRUNCATED,
         "Compressed iTXt text at byte 33 ends before its zlib stream does");
  }

  a = bw_test_png_start (1, 1);
  bw_test_png_itxt_full (a, "openbadges", 2, "", "", "x", 1);
  bw_test_png_end (a);
  ADD ("unknown-compression", finish (a), BW_ERROR_UNSUPPORTED,
       "iTXt chunk at byte 33 uses an unknown compression");

  a = bw_test_png_start (1, 1);
  bw_test_png_itxt_full (a, "openbadges", 0, "", "", "{\"a\":\"\xff\xfe\"}", 10);
  bw_test_png_end (a);
  ADD ("non-utf8", finish (a), BW_ERROR_MALFORMED,
       "Text of the iTXt chunk at byte 33 is not valid UTF-8 (at byte 6 of the text)");

  a = bw_test_png_start (1, 1);
  bw_test_png_chunk (a, "iTXt", "openbadges\0\0\0en", 15);
  bw_test_png_end (a);
  ADD ("no-language-end", finish (a), BW_ERROR_MALFORMED,
       "iTXt chunk at byte 33 has no end to its language tag");

  a = bw_test_png_start (1, 1);
  bw_test_png_chunk (a, "iTXt", "openbadges\0\0\0\0Open", 17);
  bw_test_png_end (a);
  ADD ("no-translated-end", finish (a), BW_ERROR_MALFORMED,
       "iTXt chunk at byte 33 has no end to its translated keyword");

  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", "  \n ");
  bw_test_png_end (a);
  ADD ("empty-payload", finish (a), BW_ERROR_NOT_A_BADGE,
       "The Open Badges iTXt chunk at byte 33 is empty");

  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "iTXt", "OpenBadges", JSON_OB2);
  bw_test_png_text_chunk (a, "zTXt", "openbadges", "x");
  bw_test_png_text_chunk (a, "iTXt", "openbadges2", JSON_OB2);
  bw_test_png_end (a);
  ADD ("no-badge", finish (a), BW_ERROR_NOT_A_BADGE, "no Open Badges data in this PNG");

  /* A 50 MB payload. */
  fifty = g_malloc (50 * 1024 * 1024 + 1);
  memset (fifty, 'a', 50 * 1024 * 1024);
  fifty[0] = '{';
  fifty[50 * 1024 * 1024] = '\0';
  a = bw_test_png_start (1, 1);
  bw_test_png_text_chunk (a, "iTXt", "openbadges", fifty);
  bw_test_png_end (a);
  ADD ("fifty-megabytes", finish (a), BW_ERROR_TOO_LARGE,
       "Open Badges iTXt chunk at byte 33 is too large: 52428815 bytes");

  for (guint i = 0; i < cases->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autofree char *path = NULL;
      guint64 bytes_read = 0;

      c = g_ptr_array_index (cases, i);
      g_test_message ("hostile %s", c->name);
      payload = bw_baked_read_png_bytes (c->png, &error);
      g_assert_null (payload);
      g_assert_error (error, BW_ERROR, c->code);
      if (!g_str_has_prefix (error->message, c->message))
        g_error ("%s: “%s” does not start with “%s”", c->name, error->message, c->message);

      /* The same from a file, when it would be sniffed as a PNG. */
      if (bw_baked_sniff (g_bytes_get_data (c->png, NULL), g_bytes_get_size (c->png)) ==
          BW_IMAGE_FORMAT_PNG)
        {
          g_clear_error (&error);
          path = write_temp (c->png);
          payload = bw_baked_read_file (path, &bytes_read, &error);
          g_assert_null (payload);
          g_assert_error (error, BW_ERROR, c->code);
          g_assert_true (g_str_has_prefix (error->message, c->message));
          /* Never more than the payload limit and some headers is read. */
          g_assert_cmpuint (bytes_read, <=, BW_BAKED_MAX_PAYLOAD + 2 * 1024 * 1024);
          g_unlink (path);
        }

      g_bytes_unref (c->png);
      if (strstr (c->name, "idat") != NULL || strstr (c->name, "no-iend") != NULL)
        g_free ((char *)c->message);
    }
#undef ADD
}

/* Mapped files */

static gboolean
mmap_disabled (void)
{
  return g_strcmp0 (g_getenv ("BW_BAKED_NO_MMAP"), "1") == 0;
}

/* Truncates a file while the reader has it mapped, then walks it: the
 * walk touches pages that are gone, takes a real SIGBUS, and must fail as
 * truncated instead of crashing. Without the mapping, the same shrinking
 * file is a truncated PNG for pread() too. */
static void
test_png_truncated_while_mapped (void)
{
  g_autoptr(GBytes) png = big_png (FALSE, JSON_OB2);
  g_autofree char *path = write_temp (png);
  gsize size = g_bytes_get_size (png);
  gsize page = (gsize)sysconf (_SC_PAGESIZE);
  const gsize cuts[] = { 0, page, (size / 2) & ~(page - 1), (size - 1) & ~(page - 1) };

  for (gsize i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwPayload) payload = NULL;
      BwBakedSource src;
      int fd;

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize)size,
                                          NULL));
      fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
      g_assert_cmpint (fd, >=, 0);

      _bw_baked_source_init_fd (&src, fd);
      g_assert_cmpint (src.mapped, ==, !mmap_disabled ());
      g_assert_cmpuint (src.size, ==, size);

      g_assert_cmpint (ftruncate (fd, (off_t)cuts[i]), ==, 0);
      payload = _bw_baked_png_read_source (&src, FALSE, &error);
      g_test_message ("cut at %" G_GSIZE_FORMAT ": %s", cuts[i],
                      error != NULL ? error->message : "(read)");
      g_assert_null (payload);
      /* pread() finds an emptied file empty, which is not a PNG at all. */
      if (!src.mapped && cuts[i] == 0)
        g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
      else
        g_assert_error (error, BW_ERROR, BW_ERROR_TRUNCATED);

      if (src.mapped)
        {
          const char *prefix = "The file was truncated while it was read: byte ";
          guint64 at;

          g_assert_true (g_str_has_prefix (error->message, prefix));
          at = g_ascii_strtoull (error->message + strlen (prefix), NULL, 10);
          /* The failing access is the first one to reach past the cut:
           * a chunk header, or the signature for a cut at 0. */
          g_assert_cmpuint (at + 8, >, cuts[i]);
          g_assert_cmpuint (at, <=, cuts[i] + 8192 + 12);
        }

      _bw_baked_source_clear (&src);
      close (fd);
    }
  g_unlink (path);
}

/* Maps a file, truncates it and touches the lost page outside any read of
 * the unbaker: that SIGBUS is not the reader's and must not be swallowed. */
static void
touch_truncated_mapping (void)
{
  g_autoptr(GBytes) png = big_png (FALSE, JSON_OB2);
  g_autofree char *path = write_temp (png);
  g_autoptr(BwPayload) payload = NULL;
  gsize size = g_bytes_get_size (png);
  volatile const guint8 *map;
  int fd;

  /* This installs the reader's handler. */
  payload = bw_baked_read_file (path, NULL, NULL);
  g_assert_nonnull (payload);

  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  map = mmap (NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  g_assert_true (map != MAP_FAILED);
  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  g_unlink (path);

  g_print ("touching %u\n", map[size - 1]);
  g_print ("survived\n");
}

static void
own_sigbus_handler (int sig G_GNUC_UNUSED)
{
  static const char message[] = "own handler\n";

  if (write (STDERR_FILENO, message, sizeof message - 1) < 0)
    _exit (4);
  _exit (3);
}

static void
test_png_foreign_sigbus (void)
{
  if (mmap_disabled ())
    {
      g_test_skip ("BW_BAKED_NO_MMAP=1: no mapping, no SIGBUS handler");
      return;
    }

  if (g_test_subprocess ())
    {
      struct rlimit no_core = { 0, 0 };

      setrlimit (RLIMIT_CORE, &no_core);
      if (g_strcmp0 (g_getenv ("TEST_BAKED_OWN_HANDLER"), "1") == 0)
        signal (SIGBUS, own_sigbus_handler);
      touch_truncated_mapping ();
      return;
    }

  /* With the default disposition, the process dies of it. */
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_assert_false (g_test_trap_reached_timeout ());
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout_unmatched ("*survived*");

  /* A handler that was there first still gets the signal. */
  g_setenv ("TEST_BAKED_OWN_HANDLER", "1", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("TEST_BAKED_OWN_HANDLER");
  g_assert_false (g_test_trap_reached_timeout ());
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*own handler*");
  g_test_trap_assert_stdout_unmatched ("*survived*");
}

/* SVG */

#define SVG_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
                 "<!-- a <comment> with <svg> in it -->\n" \
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
#define SVG_TAIL "\n  <title>Badge &amp; more</title>\n  <![CDATA[ <notatag> ]]>\n" \
                 "  <rect width=\"10\" height=\"10\" fill=\"red\"/>\n</svg>\n"

static void
test_svg_round_trip (void)
{
  g_autoptr(GBytes) svg = g_bytes_new_static (SVG_HEAD SVG_TAIL, strlen (SVG_HEAD SVG_TAIL));
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *vc_jwt = make_vc_jwt ();
  const char *tricky = "{\"a\":\"]]>\",\"b\":\"]]]]>\",\"c\":\"<&>\"}";
  const struct
  {
    gboolean ob3;
    const char *verify;
    const char *body;
    BwPayloadKind kind;
    const char *text;
    const char *svg_verify;
  } cases[] = {
    { FALSE, URL_OB2, JSON_OB2, BW_PAYLOAD_KIND_JSON, JSON_OB2, URL_OB2 },
    { FALSE, URL_OB2, NULL, BW_PAYLOAD_KIND_URL, URL_OB2, NULL },
    { FALSE, jws, NULL, BW_PAYLOAD_KIND_JWS, jws, NULL },
    { FALSE, NULL, JSON_OB2, BW_PAYLOAD_KIND_JSON, JSON_OB2, NULL },
    { FALSE, "https://example.org/a?b=1&c=\"2\"", tricky, BW_PAYLOAD_KIND_JSON, tricky,
      "https://example.org/a?b=1&c=\"2\"" },
    { TRUE, vc_jwt, NULL, BW_PAYLOAD_KIND_VC_JWT, vc_jwt, NULL },
    { TRUE, jws, NULL, BW_PAYLOAD_KIND_VC_JWT, jws, NULL },
    { TRUE, NULL, JSON_OB2, BW_PAYLOAD_KIND_JSON, JSON_OB2, NULL },
    { TRUE, NULL, tricky, BW_PAYLOAD_KIND_JSON, tricky, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) baked = NULL;
      g_autoptr(GBytes) rebaked = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwPayload) again = NULL;
      const char *b;
      gsize blen;

      baked = bw_baked_bake_svg (svg, cases[i].ob3, cases[i].verify, cases[i].body, &error);
      g_assert_no_error (error);
      b = g_bytes_get_data (baked, &blen);

      /* The element is the first child of <svg>; the rest is untouched. */
      g_assert_true (blen > strlen (SVG_HEAD SVG_TAIL));
      g_assert_cmpmem (b, strlen (SVG_HEAD), SVG_HEAD, strlen (SVG_HEAD));
      g_assert_true (g_str_has_prefix (b + strlen (SVG_HEAD), "<openbadges:"));
      g_assert_cmpmem (b + blen - strlen (SVG_TAIL), strlen (SVG_TAIL),
                       SVG_TAIL, strlen (SVG_TAIL));

      payload = bw_baked_read_svg_bytes (baked, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->source, ==, cases[i].ob3 ? BW_PAYLOAD_SOURCE_SVG_CREDENTIAL
                                                         : BW_PAYLOAD_SOURCE_SVG_ASSERTION);
      g_assert_cmpint (payload->format, ==, BW_IMAGE_FORMAT_SVG);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      g_assert_cmpstr (payload->svg_verify, ==, cases[i].svg_verify);
      g_assert_cmpint (payload->ob3, ==, cases[i].ob3);
      g_assert_cmpint (payload->offset, ==, (gint64)strlen (SVG_HEAD));
      g_assert_cmpuint (payload->warnings->len, ==, 0);

      /* Baking again replaces the element instead of adding one. */
      rebaked = bw_baked_bake_svg (baked, cases[i].ob3, URL_OB2, NULL, &error);
      g_assert_no_error (error);
      again = bw_baked_read_svg_bytes (rebaked, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->text, ==, URL_OB2);
      g_assert_cmpuint (again->warnings->len, ==, 0);
      g_assert_cmpuint (g_bytes_get_size (rebaked), <, blen + strlen (URL_OB2) + 200);
    }

  /* A self-closing root and a byte order mark. */
  {
    g_autoptr(GError) error = NULL;
    const char *tiny = "\xef\xbb\xbf<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    g_autoptr(GBytes) in = g_bytes_new_static (tiny, strlen (tiny));
    g_autoptr(GBytes) baked = bw_baked_bake_svg (in, FALSE, URL_OB2, NULL, &error);
    g_autoptr(BwPayload) payload = NULL;

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (g_bytes_get_data (baked, NULL), "\xef\xbb\xbf<svg "));
    payload = bw_baked_read_bytes (baked, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (payload->text, ==, URL_OB2);
  }
}

static void
test_svg_rules (void)
{
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *signed_both = g_strdup_printf (
    "<svg xmlns='http://www.w3.org/2000/svg' xmlns:openbadges='http://openbadges.org'>"
    "<openbadges:assertion verify='%s'><![CDATA[%s]]></openbadges:assertion></svg>",
    jws, JSON_OB2);
  const struct
  {
    const char *name;
    const char *svg;
    BwPayloadSource source;
    BwPayloadKind kind;
    const char *text;
    const char *warning;
  } cases[] = {
    { "other-prefix",
      "<svg xmlns='http://www.w3.org/2000/svg' xmlns:ob='http://openbadges.org'>"
      "<ob:assertion verify='" URL_OB2 "'/></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_URL, URL_OB2, NULL },
    { "default-namespace",
      "<svg xmlns='http://www.w3.org/2000/svg'>"
      "<assertion xmlns='http://openbadges.org'>\n  " JSON_OB2 "\n</assertion></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JSON, JSON_OB2, NULL },
    { "declared-on-element",
      "<svg xmlns='http://www.w3.org/2000/svg'><g><x:credential "
      "xmlns:x='https://purl.imsglobal.org/ob/v3p0'><![CDATA[ " JSON_OB2 " ]]></x:credential>"
      "</g></svg>",
      BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, BW_PAYLOAD_KIND_JSON, JSON_OB2, NULL },
    { "signed-with-body", signed_both,
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JWS, jws, NULL },
    { "body-not-json",
      "<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion verify='"
      URL_OB2 "'><![CDATA[{verify:1}]]></openbadges:assertion></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_URL, URL_OB2, "not JSON" },
    { "blank-body",
      "<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion verify=' "
      URL_OB2 " '><![CDATA[  \n ]]></openbadges:assertion></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_URL, URL_OB2, NULL },
    { "two-assertions",
      "<svg xmlns:openbadges='http://openbadges.org'>"
      "<openbadges:assertion verify='" URL_OB2 "'/>"
      "<openbadges:assertion verify='https://example.org/second.json'/></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_URL, URL_OB2, "only the first" },
    { "both-versions",
      "<svg xmlns:a='http://openbadges.org' xmlns:c='https://purl.imsglobal.org/ob/v3p0'>"
      "<a:assertion verify='" URL_OB2 "'/><c:credential>" JSON_OB2 "</c:credential></svg>",
      BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, BW_PAYLOAD_KIND_JSON, JSON_OB2, "OB 2.0" },
    { "entities-in-body",
      "<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion>"
      "{&quot;a&quot;:&#49;}</openbadges:assertion></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JSON, "{\"a\":1}", NULL },
    { "plain-doctype",
      "<?xml version='1.0'?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
      "<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion verify='"
      URL_OB2 "'/></svg>",
      BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_URL, URL_OB2, NULL },
  };

  /* 300,000 nested groups, each binding a namespace prefix: namespace
   * lookups must not cost the depth of the document. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) deep = g_string_new ("<svg xmlns:ob='http://openbadges.org'>");
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(BwPayload) payload = NULL;

    for (guint i = 0; i < 300000; i++)
      g_string_append (deep, "<g xmlns:x='urn:x'>");
    g_string_append (deep, "<ob:assertion verify='" URL_OB2 "'/>");
    for (guint i = 0; i < 300000; i++)
      g_string_append (deep, "</g>");
    g_string_append (deep, "</svg>");
    bytes = g_bytes_new (deep->str, deep->len);
    payload = bw_baked_read_svg_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (payload->text, ==, URL_OB2);
    g_assert_cmpint (payload->offset, ==, (gint64)(deep->len - 300000 * 4 - 6 -
                                                   strlen ("<ob:assertion verify='"
                                                           URL_OB2 "'/>")));
  }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].svg, strlen (cases[i].svg));
      g_autoptr(BwPayload) payload = NULL;

      g_test_message ("svg rule %s", cases[i].name);
      payload = bw_baked_read_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->source, ==, cases[i].source);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      if (cases[i].warning != NULL)
        g_assert_true (payload_has_warning (payload, cases[i].warning));
      else
        g_assert_cmpuint (payload->warnings->len, ==, 0);
    }
}

static void
test_svg_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *xxe = NULL;
  g_autofree char *xxe_param = NULL;
  g_autofree char *xxe_public = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *big_body = NULL;
  g_autofree char *many_entities = NULL;
  g_autofree char *long_entity = NULL;
  g_autofree char *wide_laughs = NULL;
  int fd;
  const char *secret = "TOP-SECRET-5d41402abc4b2a76";

  fd = g_file_open_tmp ("test-baked-secret-XXXXXX", &secret_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, secret, strlen (secret)), ==, (gssize)strlen (secret));
  close (fd);

  xxe = g_strdup_printf ("<?xml version='1.0'?>\n<!DOCTYPE svg [\n"
                         "  <!ENTITY xxe SYSTEM \"file://%s\">\n]>\n"
                         "<svg xmlns:openbadges='http://openbadges.org'>"
                         "<openbadges:assertion>&xxe;</openbadges:assertion></svg>",
                         secret_path);
  xxe_param = g_strdup_printf ("<!DOCTYPE svg SYSTEM \"file://%s\" [ <!ENTITY %% p SYSTEM "
                               "\"file://%s\"> %%p; ]><svg/>", secret_path, secret_path);

  xxe_public = g_strdup_printf ("<!DOCTYPE svg [<!ENTITY x PUBLIC \"-//A//B//EN\" \"file://%s\">]>"
                                "<svg>&x;</svg>", secret_path);

  /* One entity more than allowed; a value one byte too long; and values
   * of the largest size, each used once, that together exceed the
   * document limit. */
  {
    GString *s = g_string_new ("<!DOCTYPE svg [\n");
    g_autofree char *value = g_strnfill (4096, 'a');

    for (guint i = 0; i < 65; i++)
      g_string_append_printf (s, "<!ENTITY e%u \"v\">\n", i);
    g_string_append (s, "]><svg/>");
    many_entities = g_string_free (s, FALSE);

    s = g_string_new ("<!DOCTYPE svg [<!ENTITY big \"");
    g_string_append (s, value);
    g_string_append (s, "b\">]><svg/>");
    long_entity = g_string_free (s, FALSE);

    s = g_string_new ("<!DOCTYPE svg [<!ENTITY a \"");
    g_string_append (s, value);
    g_string_append (s, "\">]><svg><title>");
    for (guint i = 0; i < BW_BAKED_MAX_SVG / 4096 + 1; i++)
      g_string_append (s, "&a;");
    g_string_append (s, "</title></svg>");
    wide_laughs = g_string_free (s, FALSE);
  }

  huge = g_malloc (BW_BAKED_MAX_SVG + 64);
  memset (huge, ' ', BW_BAKED_MAX_SVG + 63);
  memcpy (huge, "<svg>", 5);
  huge[BW_BAKED_MAX_SVG + 63] = '\0';
  memcpy (huge + BW_BAKED_MAX_SVG + 57, "</svg>", 6);

  {
    GString *s = g_string_new ("<svg xmlns:openbadges='http://openbadges.org'>"
                               "<openbadges:assertion><![CDATA[{");
    for (guint i = 0; i < 2 * 1024 * 1024 / 8; i++)
      g_string_append (s, "\"a\":1,  ");
    g_string_append (s, "\"b\":1}]]></openbadges:assertion></svg>");
    big_body = g_string_free (s, FALSE);
  }

  {
    const struct
    {
      const char *name;
      const char *svg;
      int code;
      const char *message;
    } cases[] = {
      { "xxe-file", xxe, BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE declares the external entity “xxe” (line 3)" },
      { "xxe-public", xxe_public, BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE declares the external entity “x” (line 1)" },
      { "xxe-long-name", "<!DOCTYPE svg [<!ENTITY aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa SYSTEM 'x'>]><svg/>",
        BW_ERROR_POLICY, "SVG refused: its DOCTYPE declares the external entity “aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…” (line 1)" },
      { "xxe-parameter", xxe_param, BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE declares the parameter entity “p” (line 1)" },
      { "parameter-reference", "<!DOCTYPE svg [\n  %p;\n]><svg/>", BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE refers to the parameter entity “p” (line 2)" },
      { "parameter-in-attlist", "<!DOCTYPE svg [<!ATTLIST svg %p; >]><svg/>", BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE refers to the parameter entity “p” (line 1)" },
      { "billion-laughs",
        "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
        "<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion>&b;"
        "</openbadges:assertion></svg>", BW_ERROR_POLICY,
        "SVG refused: the entity “b” declared at line 1 holds markup or references" },
      { "markup-entity",
        "<!DOCTYPE svg [\n<!ENTITY m \"<openbadges:assertion verify='" URL_OB2 "'/>\">]>"
        "<svg xmlns:openbadges='http://openbadges.org'>&m;</svg>", BW_ERROR_POLICY,
        "SVG refused: the entity “m” declared at line 2 holds markup or references" },
      { "character-reference-entity", "<!DOCTYPE svg [<!ENTITY c \"&#60;\">]><svg/>",
        BW_ERROR_POLICY, "SVG refused: the entity “c” declared at line 1 holds markup" },
      { "percent-entity", "<!DOCTYPE svg [<!ENTITY c \"100%\">]><svg/>",
        BW_ERROR_POLICY, "SVG refused: the entity “c” declared at line 1 holds markup" },
      { "predefined-entity", "<!DOCTYPE svg [<!ENTITY lt \"x\">]><svg>&lt;</svg>",
        BW_ERROR_POLICY, "SVG refused: its DOCTYPE redeclares the predefined entity “lt” (line 1)" },
      { "late-doctype",
        "<svg xmlns:openbadges='http://openbadges.org'>\n<!DOCTYPE svg [<!ENTITY a \"b\">]>"
        "<openbadges:assertion>&a;</openbadges:assertion></svg>", BW_ERROR_POLICY,
        "SVG refused: its DOCTYPE declares entities or an internal DTD subset (line 2)" },
      { "too-many-entities", many_entities, BW_ERROR_TOO_LARGE,
        "SVG refused: its DOCTYPE declares more than 64 entities (line 66)" },
      { "long-entity", long_entity, BW_ERROR_TOO_LARGE,
        "SVG refused: the entity “big” declared at line 1 is longer than 4096 bytes" },
      { "wide-laughs", wide_laughs, BW_ERROR_TOO_LARGE,
        "SVG is too large once its entities are expanded: the limit is 33554432 bytes" },
      { "doctype-unclosed", "<!DOCTYPE svg [\n<!ENTITY a \"b\">\n<svg/>", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 3, column 1): unexpected text in the internal subset" },
      { "doctype-at-end", "<!DOCTYPE svg [ <!ENTITY a \"b\">", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 1, column 1): the DOCTYPE is not closed" },
      { "doctype-without-name", "<!DOCTYPE [ ]><svg/>", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 1, column 1): the DOCTYPE names no root element" },
      { "entity-unclosed", "<!DOCTYPE svg [<!ENTITY a \"b]><svg/>", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 1, column 27): a quoted literal in the DOCTYPE" },
      { "undeclared-entity",
        "<svg xmlns:openbadges='http://openbadges.org'>\n<openbadges:assertion>&xxe;"
        "</openbadges:assertion></svg>", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 2, column" },
      { "not-well-formed", "<svg>\n<g>\n</svg>", BW_ERROR_MALFORMED,
        "SVG is not well-formed (line 3, column" },
      { "unclosed", "<svg>\n<g>", BW_ERROR_MALFORMED, "SVG is not well-formed (line 2" },
      { "non-utf8", "<svg><title>caf\xe9</title></svg>", BW_ERROR_MALFORMED,
        "SVG is not valid UTF-8 text (at byte 15)" },
      { "not-svg", "<html><body/></html>", BW_ERROR_MALFORMED,
        "Not an SVG document: the root element is <html>" },
      { "no-badge", "<svg xmlns:openbadges='https://purl.imsglobal.org/ob/v3p0'>"
        "<openbadges:assertion verify='" URL_OB2 "'/></svg>", BW_ERROR_NOT_A_BADGE,
        "no Open Badges data in this SVG" },
      { "prefix-only", "<svg><openbadges:assertion verify='" URL_OB2 "'/></svg>",
        BW_ERROR_NOT_A_BADGE, "no Open Badges data in this SVG" },
      { "empty-element", "<svg xmlns:openbadges='http://openbadges.org'>\n\n"
        "<openbadges:assertion> </openbadges:assertion></svg>", BW_ERROR_NOT_A_BADGE,
        "The <assertion> element at line 3 holds no payload" },
      { "too-large", huge, BW_ERROR_TOO_LARGE, "SVG is too large: 33554495 bytes" },
      { "payload-too-large", big_body, BW_ERROR_TOO_LARGE,
        "Payload of the <openbadges:assertion> element is too large" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].svg, strlen (cases[i].svg));
        g_autoptr(BwPayload) payload = NULL;
        g_autoptr(GBytes) baked = NULL;

        g_clear_error (&error);
        g_test_message ("hostile svg %s", cases[i].name);
        payload = bw_baked_read_svg_bytes (bytes, &error);
        g_assert_null (payload);
        g_assert_error (error, BW_ERROR, cases[i].code);
        if (!g_str_has_prefix (error->message, cases[i].message))
          g_error ("%s: “%s” does not start with “%s”", cases[i].name, error->message,
                   cases[i].message);
        g_assert_null (strstr (error->message, secret));

        /* Baking refuses the same documents, except those that merely
         * carry no badge yet. */
        g_clear_error (&error);
        baked = bw_baked_bake_svg (bytes, FALSE, URL_OB2, NULL, &error);
        if (cases[i].code == BW_ERROR_NOT_A_BADGE ||
            strcmp (cases[i].name, "payload-too-large") == 0)
          {
            g_assert_no_error (error);
            g_assert_nonnull (baked);
          }
        else
          {
            g_assert_null (baked);
            g_assert_error (error, BW_ERROR, cases[i].code);
          }
      }
  }

  g_unlink (secret_path);
}

/* SVG with a DOCTYPE declaring entities, as Adobe Illustrator writes it. */

#define AI_PROLOG "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" \
  "<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n" \
  "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" " \
  "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n" \
  "\t<!ENTITY ns_extend \"http://ns.adobe.com/Extensibility/1.0/\">\n" \
  "\t<!ENTITY ns_ai \"http://ns.adobe.com/AdobeIllustrator/10.0/\">\n" \
  "\t<!ENTITY ns_graphs \"http://ns.adobe.com/Graphs/1.0/\">\n" \
  "\t<!ENTITY ns_vars \"http://ns.adobe.com/Variables/1.0/\">\n" \
  "\t<!ENTITY ns_imrep \"http://ns.adobe.com/ImageReplacement/1.0/\">\n" \
  "\t<!ENTITY ns_sfw \"http://ns.adobe.com/SaveForWeb/1.0/\">\n" \
  "\t<!ENTITY ns_custom \"http://ns.adobe.com/GenericCustomNamespace/1.0/\">\n" \
  "\t<!ENTITY ns_adobe_xpath \"http://ns.adobe.com/XPath/1.0/\">\n" \
  "]>\n"
#define AI_HEAD AI_PROLOG \
  "<svg version=\"1.1\" id=\"Layer_1\" xmlns:x=\"&ns_extend;\" xmlns:i=\"&ns_ai;\" " \
  "xmlns:graph=\"&ns_graphs;\"\n\t xmlns=\"http://www.w3.org/2000/svg\" " \
  "xmlns:xlink=\"http://www.w3.org/1999/xlink\" x=\"0px\" y=\"0px\"\n" \
  "\t viewBox=\"0 0 64 64\" style=\"enable-background:new 0 0 64 64;\" xml:space=\"preserve\">"
#define AI_TAIL "\n<switch>\n" \
  "\t<foreignObject requiredExtensions=\"&ns_ai;\" x=\"0\" y=\"0\" width=\"1\" height=\"1\">\n" \
  "\t\t<i:aipgfRef  xlink:href=\"#adobe_illustrator_pgf\">\n\t\t</i:aipgfRef>\n" \
  "\t</foreignObject>\n" \
  "\t<g i:extraneous=\"self\">\n\t\t<circle cx=\"32\" cy=\"32\" r=\"30\" fill=\"#3584e4\"/>\n" \
  "\t</g>\n</switch>\n" \
  "<i:pgf  id=\"adobe_illustrator_pgf\">\n\t<![CDATA[\n\teJzs&ns_ai;vQuYHEW\n\t]]>\n</i:pgf>\n" \
  "</svg>\n"

static void
assert_svg_kept (GBytes     *baked,
                 const char *head,
                 const char *tail)
{
  gsize blen;
  const char *b = g_bytes_get_data (baked, &blen);

  g_assert_cmpuint (blen, >, strlen (head) + strlen (tail));
  g_assert_cmpmem (b, strlen (head), head, strlen (head));
  g_assert_true (g_str_has_prefix (b + strlen (head), "<openbadges:"));
  g_assert_cmpmem (b + blen - strlen (tail), strlen (tail), tail, strlen (tail));
}

static void
test_svg_illustrator (void)
{
  g_autoptr(GBytes) svg = g_bytes_new_static (AI_HEAD AI_TAIL, strlen (AI_HEAD AI_TAIL));
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *vc_jwt = make_vc_jwt ();
  const struct
  {
    gboolean ob3;
    const char *verify;
    const char *body;
    BwPayloadKind kind;
    const char *text;
  } cases[] = {
    { FALSE, URL_OB2, NULL, BW_PAYLOAD_KIND_URL, URL_OB2 },
    { FALSE, URL_OB2, JSON_OB2, BW_PAYLOAD_KIND_JSON, JSON_OB2 },
    { FALSE, jws, NULL, BW_PAYLOAD_KIND_JWS, jws },
    { TRUE, vc_jwt, NULL, BW_PAYLOAD_KIND_VC_JWT, vc_jwt },
    { TRUE, NULL, JSON_OB2, BW_PAYLOAD_KIND_JSON, JSON_OB2 },
  };

  /* Unbaked, the image is read as a plain SVG, entities and all. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BwPayload) payload = bw_baked_read_svg_bytes (svg, &error);

    g_assert_null (payload);
    g_assert_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) baked = NULL;
      g_autoptr(GBytes) rebaked = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwPayload) again = NULL;
      const char *b;

      g_test_message ("illustrator case %" G_GSIZE_FORMAT, i);
      baked = bw_baked_bake_svg (svg, cases[i].ob3, cases[i].verify, cases[i].body, &error);
      g_assert_no_error (error);
      assert_svg_kept (baked, AI_HEAD, AI_TAIL);

      payload = bw_baked_read_svg_bytes (baked, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->source, ==, cases[i].ob3 ? BW_PAYLOAD_SOURCE_SVG_CREDENTIAL
                                                         : BW_PAYLOAD_SOURCE_SVG_ASSERTION);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      g_assert_cmpint (payload->offset, ==, (gint64)strlen (AI_HEAD));
      g_assert_cmpuint (payload->warnings->len, ==, 0);

      /* Baking again replaces the element; every other byte, the DOCTYPE
       * included, stays as it was. */
      rebaked = bw_baked_bake_svg (baked, cases[i].ob3, URL_OB2, NULL, &error);
      g_assert_no_error (error);
      assert_svg_kept (rebaked, AI_HEAD, AI_TAIL);
      b = g_bytes_get_data (rebaked, NULL);
      g_assert_null (strstr (b + strlen (AI_HEAD) + 1, "<openbadges:"));
      again = bw_baked_read_svg_bytes (rebaked, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->text, ==, URL_OB2);
      g_assert_cmpuint (again->warnings->len, ==, 0);
    }

  /* An element deeper down, whose namespace and verify URL come from
   * entities: it is found, read with the entities expanded, and removed
   * by baking without touching the bytes around it. */
  {
    const char *prolog = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
                         "  <!ENTITY ns_ob \"http://openbadges.org\">\n"
                         "  <!ENTITY badge \"" URL_OB2 "\">\n]>\n";
    const char *root = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:b=\"&ns_ob;\">";
    const char *middle = "\n  <g id=\"&badge;\">\n    ";
    const char *element = "<b:assertion verify=\"&badge;\">{\"id\":\"&badge;\"}</b:assertion>";
    const char *end = "\n  </g>\n</svg>\n";
    g_autofree char *doc = g_strconcat (prolog, root, middle, element, end, NULL);
    g_autofree char *head = g_strconcat (prolog, root, NULL);
    g_autofree char *tail = g_strconcat (middle, end, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (doc, strlen (doc));
    g_autoptr(GBytes) baked = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(BwPayload) payload = NULL;

    payload = bw_baked_read_svg_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpint (payload->kind, ==, BW_PAYLOAD_KIND_JSON);
    g_assert_cmpstr (payload->text, ==, "{\"id\":\"" URL_OB2 "\"}");
    g_assert_cmpstr (payload->svg_verify, ==, URL_OB2);
    g_assert_cmpint (payload->offset, ==,
                     (gint64)(strlen (prolog) + strlen (root) + strlen (middle)));

    baked = bw_baked_bake_svg (bytes, FALSE, URL_OB2, NULL, &error);
    g_assert_no_error (error);
    assert_svg_kept (baked, head, tail);
  }
}

/* How entity values are put in place, and what the DOCTYPE may hold. */
static void
test_svg_entities (void)
{
  const struct
  {
    const char *name;
    const char *svg;
    const char *text;          /* the payload */
    const char *svg_verify;
  } cases[] = {
    { "verify-attribute",
      "<!DOCTYPE svg [<!ENTITY u \"" URL_OB2 "\">]>"
      "<svg xmlns:ob='http://openbadges.org'><ob:assertion verify='&u;'/></svg>",
      URL_OB2, NULL },
    { "quotes-and-white-space-in-attributes",
      "<!DOCTYPE svg [<!ENTITY q '\"it'><!ENTITY s \"'s\"><!ENTITY w \"\n>\tx\">]>"
      "<svg xmlns:ob='http://openbadges.org'>"
      "<ob:assertion verify='https://example.org/&q;&s;&w;' a=\"&q;&s;\">"
      "{\"a\":1}</ob:assertion></svg>",
      "{\"a\":1}", "https://example.org/\"it's > x" },
    { "text-keeps-newlines",
      "<!DOCTYPE svg [<!ENTITY t \"x\r\n > y\">]>"
      "<svg xmlns:ob='http://openbadges.org'><ob:assertion>&t;</ob:assertion></svg>",
      "x\n > y", NULL },
    { "cdata-is-literal",
      "<!DOCTYPE svg [<!ENTITY u \"" URL_OB2 "\">]>"
      "<svg xmlns:ob='http://openbadges.org'><ob:assertion>"
      "<![CDATA[{\"a\":\"&u;\"}]]></ob:assertion></svg>",
      "{\"a\":\"&u;\"}", NULL },
    { "first-declaration-wins",
      "<!DOCTYPE svg [<!ENTITY u \"first\">\n<!ENTITY u 'second'>]>"
      "<svg xmlns:ob='http://openbadges.org'><ob:assertion>&u;&amp;&#49;</ob:assertion></svg>",
      "first&1", NULL },
    { "other-declarations",
      "<?xml version='1.0'?>\n<!-- before -->\n<?pi x?>\n"
      "<!DOCTYPE svg SYSTEM 'svg.dtd' [\n  <!-- a > b, ]> -->\n  <?pi ]> ?>\n"
      "  <!ELEMENT svg ANY>\n  <!ATTLIST svg id ID #IMPLIED x CDATA '>'>\n"
      "  <!NOTATION png PUBLIC 'image/png'>\n  <!ENTITY g \"x>y\">\n] >\n"
      "<svg xmlns:ob='http://openbadges.org'><ob:assertion>&g;</ob:assertion></svg>",
      "x>y", NULL },
    { "namespace-from-entity",
      "<!DOCTYPE svg [<!ENTITY ob3 'https://purl.imsglobal.org/ob/v3p0'>]>"
      "<svg xmlns:c='&ob3;'><c:credential>" JSON_OB2 "</c:credential></svg>",
      JSON_OB2, NULL },
    { "empty-subset",
      "<!DOCTYPE svg [ ]><svg xmlns:ob='http://openbadges.org'>"
      "<ob:assertion verify='" URL_OB2 "'/></svg>",
      URL_OB2, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(BwPayload) payload = NULL;

      g_test_message ("svg entities %s", cases[i].name);
      bytes = g_bytes_new_static (cases[i].svg, strlen (cases[i].svg));
      payload = bw_baked_read_svg_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (payload->text, ==, cases[i].text);
      g_assert_cmpstr (payload->svg_verify, ==, cases[i].svg_verify);
      g_assert_cmpint (((const char *)cases[i].svg)[payload->offset], ==, '<');
    }

  /* GMarkup's lines are those of the file, even after a DOCTYPE of several
   * lines and an entity holding a newline. */
  {
    const char *svg = "<!DOCTYPE svg [\n<!ENTITY nl \"a\nb\">\n]\n>\n"
                      "<svg><title>&nl;</title>\n<g>\n</svg>";
    g_autoptr(GBytes) bytes = g_bytes_new_static (svg, strlen (svg));
    g_autoptr(GError) error = NULL;
    g_autoptr(BwPayload) payload = bw_baked_read_svg_bytes (bytes, &error);

    g_assert_null (payload);
    g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
    g_assert_true (g_str_has_prefix (error->message, "SVG is not well-formed (line 8, column"));
  }
}

/* Whole files and sniffing */

static void
test_files (void)
{
  g_autofree char *jws = make_ob2_jws ();
  g_autofree char *vc_jwt = make_vc_jwt ();
  g_autofree char *jws_file = g_strdup_printf ("%s\n", jws);
  const struct
  {
    const char *content;
    BwPayloadKind kind;
    int code;
  } cases[] = {
    { "\xef\xbb\xbf" JSON_OB2 "\n", BW_PAYLOAD_KIND_JSON, 0 },
    { jws_file, BW_PAYLOAD_KIND_JWS, 0 },
    { vc_jwt, BW_PAYLOAD_KIND_VC_JWT, 0 },
    { "  " URL_OB2 "\r\n", BW_PAYLOAD_KIND_URL, 0 },
    { "hello world", 0, BW_ERROR_NOT_A_BADGE },
    { "", 0, BW_ERROR_NOT_A_BADGE },
    { "\xff\xfe{\0\"\0", 0, BW_ERROR_NOT_A_BADGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].content, strlen (cases[i].content));
      g_autofree char *path = write_temp (bytes);
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwPayload) from_bytes = NULL;
      guint64 bytes_read = 0;

      payload = bw_baked_read_file (path, &bytes_read, &error);
      from_bytes = bw_baked_read_bytes (bytes, NULL);
      g_unlink (path);
      if (cases[i].code != 0)
        {
          g_assert_error (error, BW_ERROR, cases[i].code);
          g_assert_null (payload);
          g_assert_null (from_bytes);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpint (payload->source, ==, BW_PAYLOAD_SOURCE_FILE);
      g_assert_cmpint (payload->format, ==, BW_IMAGE_FORMAT_NONE);
      g_assert_cmpuint (bytes_read, ==, strlen (cases[i].content));
      g_assert_nonnull (from_bytes);
      g_assert_cmpstr (from_bytes->text, ==, payload->text);
      g_assert_false (g_ascii_isspace (payload->text[strlen (payload->text) - 1]));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BwPayload) payload = bw_baked_read_file ("/nonexistent/badge.png", NULL, &error);

    g_assert_null (payload);
    g_assert_error (error, BW_ERROR, BW_ERROR_IO);
  }

  g_assert_cmpint (bw_baked_sniff ((const guint8 *)"\x89PNG\r\n\x1a\n", 8), ==,
                   BW_IMAGE_FORMAT_PNG);
  g_assert_cmpint (bw_baked_sniff ((const guint8 *)"\x89PNG\r\n", 6), ==, BW_IMAGE_FORMAT_NONE);
  g_assert_cmpint (bw_baked_sniff ((const guint8 *)"\xef\xbb\xbf \n<svg", 9), ==,
                   BW_IMAGE_FORMAT_SVG);
  g_assert_cmpint (bw_baked_sniff ((const guint8 *)"{\"a\":1}", 7), ==, BW_IMAGE_FORMAT_NONE);
  g_assert_cmpint (bw_baked_sniff (NULL, 0), ==, BW_IMAGE_FORMAT_NONE);
}

static void
test_bake_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = small_png ();
  g_autoptr(GBytes) out = NULL;
  g_autofree char *big = g_malloc (BW_BAKED_MAX_PAYLOAD + 2);

  out = bw_baked_bake_png (png, "", "x", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_FAILED);
  g_clear_error (&error);
  out = bw_baked_bake_png (png, "openbadges", "\xff", &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_MALFORMED);
  g_clear_error (&error);
  memset (big, 'a', BW_BAKED_MAX_PAYLOAD + 1);
  big[BW_BAKED_MAX_PAYLOAD + 1] = '\0';
  out = bw_baked_bake_png (png, "openbadges", big, &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_clear_error (&error);
  {
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 5);

    out = bw_baked_bake_png (cut, "openbadges", "x", &error);
    g_assert_error (error, BW_ERROR, BW_ERROR_TRUNCATED);
    g_clear_error (&error);
  }

  /* Data after IEND survives baking. */
  {
    GByteArray *a = bw_test_png_start (1, 1);
    g_autoptr(GBytes) in = NULL;
    gsize len;
    const char *d;

    bw_test_png_end (a);
    g_byte_array_append (a, (const guint8 *)"TRAILER", 7);
    in = g_byte_array_free_to_bytes (a);
    out = bw_baked_bake_png (in, "openbadges", URL_OB2, &error);
    g_assert_no_error (error);
    d = g_bytes_get_data (out, &len);
    g_assert_cmpmem (d + len - 7, 7, "TRAILER", 7);
  }
}

/* The fixtures written by fixtures/make-fixtures.py, which also seed the
 * fuzzers. */
static void
test_fixtures (void)
{
  const struct
  {
    const char *file;
    int code;
    BwPayloadSource source;
    BwPayloadKind kind;
    guint warnings;
  } cases[] = {
    { "unbaked.png", BW_ERROR_NOT_A_BADGE },
    { "itxt-json.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JSON, 0 },
    { "itxt-jws.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JWS, 0 },
    { "text-url.png", 0, BW_PAYLOAD_SOURCE_TEXT, BW_PAYLOAD_KIND_URL, 0 },
    { "itxt-compressed.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JSON, 1 },
    { "itxt-language.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JSON, 0 },
    { "ob3-vc-jwt-last.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_VC_JWT, 0 },
    { "ob3-json-and-ob2.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JSON, 1 },
    { "duplicate.png", 0, BW_PAYLOAD_SOURCE_ITXT, BW_PAYLOAD_KIND_JSON, 1 },
    { "unbaked.svg", BW_ERROR_NOT_A_BADGE },
    { "ob2-hosted.svg", 0, BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JSON, 0 },
    { "ob2-signed.svg", 0, BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JWS, 0 },
    { "ob3-vc-jwt.svg", 0, BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, BW_PAYLOAD_KIND_VC_JWT, 0 },
    { "ob3-json.svg", 0, BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, BW_PAYLOAD_KIND_JSON, 0 },
    { "doctype-entity.svg", BW_ERROR_POLICY },
    { "illustrator.svg", 0, BW_PAYLOAD_SOURCE_SVG_ASSERTION, BW_PAYLOAD_KIND_JSON, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "baked", "fixtures",
                                                     cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(BwPayload) payload = NULL;

      g_test_message ("fixture %s", cases[i].file);
      payload = bw_baked_read_file (path, NULL, &error);
      if (cases[i].code != 0)
        {
          g_assert_error (error, BW_ERROR, cases[i].code);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (payload->source, ==, cases[i].source);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpuint (payload->warnings->len, ==, cases[i].warnings);
      if (cases[i].kind == BW_PAYLOAD_KIND_URL)
        g_assert_cmpstr (payload->text, ==, "https://example.org/beths-robotics-badge.json");
      else if (cases[i].kind == BW_PAYLOAD_KIND_JSON)
        g_assert_true (g_str_has_prefix (payload->text, "{\"@context\":"));
      else
        g_assert_true (g_str_has_prefix (payload->text, "eyJ"));
    }
}

/* Conformance: the baked images of the peer projects. */

typedef struct
{
  const char *file;
  int code;                 /* expected error, or 0 */
  BwPayloadSource source;
  BwPayloadKind kind;
  const char *keyword;
  const char *text;         /* exact text, or a prefix when ending in "…" */
  const char *text_file;    /* text equal to this file's (as JSON when it is JSON) */
  const char *svg_verify;
  gboolean warns;
} ConformanceCase;

static gboolean
json_texts_equal (const char *a,
                  const char *b)
{
  g_autoptr(JsonParser) pa = json_parser_new ();
  g_autoptr(JsonParser) pb = json_parser_new ();

  if (!json_parser_load_from_data (pa, a, -1, NULL) ||
      !json_parser_load_from_data (pb, b, -1, NULL))
    return FALSE;
  return json_node_equal (json_parser_get_root (pa), json_parser_get_root (pb));
}

static gboolean
check_conformance_case (const char            *dir,
                        const ConformanceCase *c)
{
  g_autofree char *path = g_build_filename (dir, c->file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwPayload) payload = NULL;
  guint64 bytes_read = 0;

  payload = bw_baked_read_file (path, &bytes_read, &error);
  if (c->code != 0)
    {
      if (g_error_matches (error, BW_ERROR, c->code))
        return TRUE;
      g_test_message ("DISAGREE %s: expected error %d, got %s", c->file, c->code,
                      error != NULL ? error->message : payload->text);
      return FALSE;
    }
  if (payload == NULL)
    {
      g_test_message ("DISAGREE %s: %s", c->file, error->message);
      return FALSE;
    }
  if (payload->source != c->source || payload->kind != c->kind)
    {
      g_test_message ("DISAGREE %s: got %s %s", c->file,
                      bw_payload_source_to_string (payload->source),
                      bw_payload_kind_to_string (payload->kind));
      return FALSE;
    }
  if (c->keyword != NULL && g_strcmp0 (payload->keyword, c->keyword) != 0)
    {
      g_test_message ("DISAGREE %s: keyword %s", c->file, payload->keyword);
      return FALSE;
    }
  if (c->text != NULL)
    {
      gboolean ok;

      if (g_str_has_suffix (c->text, "…"))
        ok = strncmp (payload->text, c->text, strlen (c->text) - strlen ("…")) == 0;
      else
        ok = strcmp (payload->text, c->text) == 0;
      if (!ok)
        {
          g_test_message ("DISAGREE %s: text %.60s", c->file, payload->text);
          return FALSE;
        }
    }
  if (c->text_file != NULL)
    {
      g_autofree char *other = g_build_filename (dir, c->text_file, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *trimmed = NULL;

      if (!g_file_get_contents (other, &contents, NULL, &error))
        {
          g_test_message ("DISAGREE %s: %s", c->file, error->message);
          return FALSE;
        }
      trimmed = g_strstrip (g_strdup (contents));
      if (strcmp (trimmed, payload->text) != 0 && !json_texts_equal (trimmed, payload->text))
        {
          g_test_message ("DISAGREE %s: text differs from %s", c->file, c->text_file);
          return FALSE;
        }
    }
  if (g_strcmp0 (payload->svg_verify, c->svg_verify) != 0)
    {
      g_test_message ("DISAGREE %s: svg verify %s", c->file, payload->svg_verify);
      return FALSE;
    }
  if (c->warns != (payload->warnings->len > 0))
    {
      g_test_message ("DISAGREE %s: %u warnings", c->file, payload->warnings->len);
      return FALSE;
    }
  return TRUE;
}

static void
test_conformance (void)
{
  const char *dir = g_getenv ("BW_CONFORMANCE_DIR");
  const BwPayloadSource ITXT = BW_PAYLOAD_SOURCE_ITXT;
  const BwPayloadSource TEXT = BW_PAYLOAD_SOURCE_TEXT;
  const BwPayloadSource SVG2 = BW_PAYLOAD_SOURCE_SVG_ASSERTION;
  const BwPayloadSource SVG3 = BW_PAYLOAD_SOURCE_SVG_CREDENTIAL;
  const BwPayloadKind JSON = BW_PAYLOAD_KIND_JSON;
  const BwPayloadKind URL = BW_PAYLOAD_KIND_URL;
  const BwPayloadKind JWS = BW_PAYLOAD_KIND_JWS;
  const BwPayloadKind VCJWT = BW_PAYLOAD_KIND_VC_JWT;
  const int NONE = BW_ERROR_NOT_A_BADGE;
  const char *jwt = "1edtech-dc-public-validator/ob20/simple.jwt";
  const char *basic = "1edtech-openbadges-validator-core/components/2-0-basic-assertion.json";
  const ConformanceCase cases[] = {
    /* "Baked-image fixtures" */
    { "openbadges-bakery-python/baked_heart.png", 0, ITXT, JSON, "openbadges",
      "{\"uid\":\"123\",\"issuedOn\":\"2015-04-01\",\"badge\":\"http://example.org/badge1\","
      "\"recipient\":{\"identity\":\"test@example.com\",\"hashed\":false},\"verify\":"
      "{\"type\":\"hosted\",\"url\":\"http://example.org/badgeinstance1\"}}", NULL, NULL, FALSE },
    { "openbadges-bakery-python/public_domain_heart.png", NONE },
    { "mozilla-openbadges-bakery/unbaked.png", NONE },
    { "1edtech-dc-public-validator/ob20/assets/robotics-badge.png", NONE },
    { "1edtech-dc-public-validator/ob20/assets/beths-robot-badge.png", NONE },
    { "openbadges-bakery-python/baked_example.svg", 0, SVG2, JSON, NULL, "{…", NULL,
      "https://example.org/assertion.json", FALSE },
    { "openbadges-bakery-python/unbaked_example.svg", NONE },
    { "mozilla-openbadges-bakery/unbaked.svg", NONE },
    { "mozilla-openbadges-bakery/baked.svg", 0, SVG2, JSON, NULL,
      "{\"verify\":{\"url\":\"http://example.org\"}}", NULL, "http://example.org", FALSE },
    { "mozilla-openbadges-bakery/no-json.svg", 0, SVG2, URL, NULL, "http://example.org",
      NULL, NULL, FALSE },
    { "mozilla-openbadges-bakery/bad-json.svg", 0, SVG2, URL, NULL, "http://example.org",
      NULL, NULL, TRUE },
    { "mozilla-openbadges-bakery/generated/baked-url.svg", 0, SVG2, URL, NULL,
      "https://example.org/beths-robotics-badge.json", NULL, NULL, FALSE },
    { "mozilla-openbadges-bakery/generated/baked-signature.svg", 0, SVG2, JWS, NULL, NULL,
      jwt, NULL, FALSE },
    { "mozilla-openbadges-bakery/generated/baked-assertion-and-url.svg", 0, SVG2, JSON, NULL,
      NULL, basic, "https://example.org/beths-robotics-badge.json", FALSE },
    { "openbadges-bakery-python/generated/heart-baked-jws.png", 0, ITXT, JWS, "openbadges",
      NULL, jwt, NULL, FALSE },
    { "openbadges-bakery-python/generated/heart-baked-ob20-json.png", 0, ITXT, JSON,
      "openbadges", NULL, basic, NULL, FALSE },
    { "openbadges-bakery-python/generated/heart-rebaked-json-then-jws.png", 0, ITXT, JWS,
      "openbadges", NULL, jwt, NULL, FALSE },
    { "openbadges-bakery-python/generated/svg-baked-ob20-json.svg", 0, SVG2, JSON, NULL, NULL,
      basic, "https://example.org/beths-robotics-badge.json", FALSE },
    { "openbadges-bakery-python/generated/svg-baked-jws.svg", 0, SVG2, JWS, NULL, NULL, jwt,
      NULL, FALSE },
    /* The README calls this the JSON of basic-assertion.json, but the
     * baked copy has no "evidence" member: the 431 bytes are checked by
     * their start and length below instead. */
    { "1edtech-dc-public-validator/ob20/simple-badge.png", 0, ITXT, JSON, "openbadges",
      "{\"@context\":\"https://w3id.org/openbadges/v2\",…", NULL, NULL, FALSE },
    { "1edtech-dc-public-validator/ob30/simple-json.png", 0, ITXT, JSON, "openbadgecredential",
      "{…", NULL, NULL, FALSE },
    { "1edtech-dc-public-validator/ob30/simple-jwt.png", 0, ITXT, VCJWT, "openbadgecredential",
      "ey…", NULL, NULL, FALSE },
    { "1edtech-dc-public-validator/ob30/simple-jwt_v1.png", 0, ITXT, VCJWT,
      "openbadgecredential", "ey…", NULL, NULL, FALSE },
    { "1edtech-dc-public-validator/ob30/simple-json.svg", 0, SVG3, JSON, NULL, "{…", NULL, NULL,
      FALSE },
    { "1edtech-dc-public-validator/ob30/simple-jwt.svg", 0, SVG3, VCJWT, NULL, "ey…", NULL,
      NULL, FALSE },
    { "1edtech-dc-public-validator/ob30/simple-jwt_v1.svg", 0, SVG3, VCJWT, NULL, "ey…", NULL,
      NULL, FALSE },
    /* "synthesized" */
    { "synthesized/png-legacy-text-url.png", 0, TEXT, URL, "openbadges",
      "https://example.org/beths-robotics-badge.json", NULL, NULL, FALSE },
    { "synthesized/png-itxt-url.png", 0, ITXT, URL, "openbadges", "https://…", NULL, NULL,
      FALSE },
    { "synthesized/png-itxt-ob2-json-before-iend.png", 0, ITXT, JSON, "openbadges", "{…",
      NULL, NULL, FALSE },
    { "synthesized/png-itxt-jws.png", 0, ITXT, JWS, "openbadges", NULL, jwt, NULL, FALSE },
    { "synthesized/png-itxt-compressed.png", 0, ITXT, JSON, "openbadges", "{…", NULL, NULL,
      TRUE },
    { "synthesized/png-itxt-lang-and-translated-keyword.png", 0, ITXT, JSON, "openbadges",
      "{…", NULL, NULL, FALSE },
    { "synthesized/png-itxt-duplicate.png", 0, ITXT, JSON, "openbadges", "{…", NULL, NULL,
      TRUE },
    { "synthesized/png-text-then-itxt.png", 0, ITXT, JSON, "openbadges", "{…", NULL, NULL,
      TRUE },
    { "synthesized/png-itxt-bad-crc.png", BW_ERROR_BAD_CRC },
    { "synthesized/png-ob3-and-ob2-keywords.png", 0, ITXT, JSON, "openbadgecredential", NULL,
      "1edtech-dc-public-validator/ob30/simple.json", NULL, TRUE },
    { "synthesized/png-keyword-case-mismatch.png", NONE },
    { "synthesized/svg-ob2-other-prefix.svg", 0, SVG2, JSON, NULL, "{…", NULL,
      "https://example.org/beths-robotics-badge.json", FALSE },
    { "synthesized/svg-ob2-wrong-namespace.svg", NONE },
    { "synthesized/svg-ob2-signed-selfclosing.svg", 0, SVG2, JWS, NULL, NULL, jwt, NULL,
      FALSE },
    { "synthesized/svg-ob2-json-not-first-child.svg", 0, SVG2, JSON, NULL, "{…", NULL,
      "https://example.org/beths-robotics-badge.json", FALSE },
    { "synthesized/svg-ob2-two-assertions.svg", 0, SVG2, JSON, NULL, "{…", NULL,
      "https://example.org/beths-robotics-badge.json", TRUE },
    { "synthesized/svg-ob3-json-cdata.svg", 0, SVG3, JSON, NULL, NULL,
      "1edtech-dc-public-validator/ob30/simple.json", NULL, FALSE },
  };
  guint agreed = 0;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("BW_CONFORMANCE_DIR is not set or missing");
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (check_conformance_case (dir, &cases[i]))
        agreed++;
    }

  /* The duplicate and text-then-iTXt files must yield the first and the
   * iTXt payload, named by their ids. */
  {
    g_autofree char *dup = g_build_filename (dir, "synthesized/png-itxt-duplicate.png", NULL);
    g_autofree char *tti = g_build_filename (dir, "synthesized/png-text-then-itxt.png", NULL);
    g_autoptr(BwPayload) p1 = bw_baked_read_file (dup, NULL, NULL);
    g_autoptr(BwPayload) p2 = bw_baked_read_file (tti, NULL, NULL);

    g_assert_nonnull (p1);
    g_assert_nonnull (p2);
    g_assert_nonnull (strstr (p1->text, "beths-robotics-badge.json"));
    g_assert_null (strstr (p1->text, "second-assertion"));
    g_assert_null (strstr (p2->text, "legacy-url-should-lose"));
  }
  {
    g_autofree char *simple = g_build_filename (dir, "1edtech-dc-public-validator/ob20/"
                                                "simple-badge.png", NULL);
    g_autoptr(BwPayload) p = bw_baked_read_file (simple, NULL, NULL);

    g_assert_nonnull (p);
    g_assert_cmpuint (strlen (p->text), ==, 431);
  }

  g_test_message ("conformance: %u of %u baked images agree", agreed,
                  (guint)G_N_ELEMENTS (cases));
  g_assert_cmpuint (agreed, ==, G_N_ELEMENTS (cases));
}

int
main (int   argc,
      char *argv[])
{
  /* --no-mmap runs every test through the pread() path. */
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--no-mmap") == 0)
        {
          g_setenv ("BW_BAKED_NO_MMAP", "1", TRUE);
          memmove (&argv[i], &argv[i + 1], (gsize)(argc - i) * sizeof (char *));
          argc--;
          i--;
        }
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/baked/classify", test_classify);
  g_test_add_func ("/baked/payload-copy", test_payload_copy);
  g_test_add_func ("/baked/png/round-trip", test_png_round_trip);
  g_test_add_func ("/baked/png/rebake", test_png_rebake);
  g_test_add_func ("/baked/png/big", test_png_big);
  g_test_add_func ("/baked/png/rules", test_png_rules);
  g_test_add_func ("/baked/png/hostile", test_png_hostile);
  g_test_add_func ("/baked/png/truncated-while-mapped", test_png_truncated_while_mapped);
  g_test_add_func ("/baked/png/foreign-sigbus", test_png_foreign_sigbus);
  g_test_add_func ("/baked/svg/round-trip", test_svg_round_trip);
  g_test_add_func ("/baked/svg/rules", test_svg_rules);
  g_test_add_func ("/baked/svg/hostile", test_svg_hostile);
  g_test_add_func ("/baked/svg/illustrator", test_svg_illustrator);
  g_test_add_func ("/baked/svg/entities", test_svg_entities);
  g_test_add_func ("/baked/files", test_files);
  g_test_add_func ("/baked/bake-errors", test_bake_errors);
  g_test_add_func ("/baked/fixtures", test_fixtures);
  g_test_add_func ("/baked/conformance", test_conformance);

  return g_test_run ();
}
