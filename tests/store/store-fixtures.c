/* store-fixtures.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "store-fixtures"

#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "store-fixtures.h"

char *
fixture_assertion_json (guint       index,
                        const char *name,
                        const char *issuer,
                        const char *issued,
                        const char *expires,
                        const char *tag)
{
  g_autofree char *expires_member = NULL;

  if (expires != NULL)
    expires_member = g_strdup_printf (",\n  \"expires\": \"%s\"", expires);

  return g_strdup_printf (
    "{\n"
    "  \"@context\": \"https://w3id.org/openbadges/v2\",\n"
    "  \"type\": \"Assertion\",\n"
    "  \"id\": \"http://127.0.0.1:9/assertions/%u\",\n"
    "  \"recipient\": { \"type\": \"email\", \"hashed\": false,\n"
    "                 \"identity\": \"earner%u@example.org\" },\n"
    "  \"badge\": {\n"
    "    \"type\": \"BadgeClass\",\n"
    "    \"id\": \"http://127.0.0.1:9/badges/%u\",\n"
    "    \"name\": \"%s\",\n"
    "    \"description\": \"Awarded for fixture number %u.\",\n"
    "    \"image\": \"http://127.0.0.1:9/badges/%u.png\",\n"
    "    \"criteria\": { \"narrative\": \"Do the thing.\" },\n"
    "    \"tags\": [ \"%s\" ],\n"
    "    \"issuer\": {\n"
    "      \"type\": \"Profile\",\n"
    "      \"id\": \"http://127.0.0.1:9/issuer\",\n"
    "      \"name\": \"%s\",\n"
    "      \"url\": \"http://127.0.0.1:9/\",\n"
    "      \"email\": \"badges@example.org\"\n"
    "    }\n"
    "  },\n"
    "  \"verification\": { \"type\": \"HostedBadge\" },\n"
    "  \"issuedOn\": \"%s\"%s\n"
    "}\n",
    index, index, index, name, index, index, tag, issuer, issued,
    expires_member != NULL ? expires_member : "");
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         length)
{
  uLong crc = crc32 (0, (const Bytef *)type, 4);

  if (length > 0)
    crc = crc32 (crc, data, (uInt)length);
  put_be32 (out, (guint32)length);
  g_byte_array_append (out, (const guint8 *)type, 4);
  if (length > 0)
    g_byte_array_append (out, data, (guint)length);
  put_be32 (out, (guint32)crc);
}

static GBytes *
make_png (const char *payload,
          gsize       image_bytes)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  guint8 ihdr[13] = { 0 };
  guint width = 16;
  guint height = MAX (1, (guint)(image_bytes / (width * 3 + 1)));
  g_autofree guint8 *compressed = NULL;
  uLongf compressed_length;
  guint32 seed = 2166136261u;

  g_byte_array_append (out, signature, 8);
  ihdr[0] = 0; ihdr[1] = 0; ihdr[2] = 0; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* truecolour */
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);

  if (payload != NULL)
    {
      g_autoptr(GByteArray) itxt = g_byte_array_new ();
      static const guint8 header[5] = { 0, 0, 0, 0, 0 };

      g_byte_array_append (itxt, (const guint8 *)"openbadges", 10);
      g_byte_array_append (itxt, header, 5);
      g_byte_array_append (itxt, (const guint8 *)payload, (guint)strlen (payload));
      put_chunk (out, "iTXt", itxt->data, itxt->len);
    }

  /* Noisy pixels, so the image data does not compress to nothing and the
   * files have a realistic size. */
  for (guint y = 0; y < height; y++)
    {
      guint8 filter = 0;

      g_byte_array_append (raw, &filter, 1);
      for (guint x = 0; x < width * 3; x++)
        {
          guint8 v;

          seed = seed * 1103515245u + 12345u;
          v = (guint8)(seed >> 24);
          g_byte_array_append (raw, &v, 1);
        }
    }
  compressed_length = compressBound (raw->len);
  compressed = g_malloc (compressed_length);
  g_assert_cmpint (compress2 (compressed, &compressed_length, raw->data, raw->len, 1), ==, Z_OK);
  put_chunk (out, "IDAT", compressed, compressed_length);
  put_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
fixture_bake_png (const char *payload,
                  gsize       image_bytes)
{
  return make_png (payload, image_bytes);
}

GBytes *
fixture_plain_png (void)
{
  return make_png (NULL, 64);
}

GBytes *
fixture_bake_svg (const char *payload,
                  const char *verify)
{
  g_autofree char *svg = NULL;
  gsize length;

  svg = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                         "xmlns:openbadges=\"http://openbadges.org\" width=\"32\" height=\"32\">\n"
                         "  <openbadges:assertion verify=\"%s\"><![CDATA[%s]]>"
                         "</openbadges:assertion>\n"
                         "  <rect width=\"32\" height=\"32\" fill=\"#3584e4\"/>\n"
                         "</svg>\n",
                         verify, payload);
  length = strlen (svg);
  return g_bytes_new_take (g_steal_pointer (&svg), length);
}

GBytes *
fixture_badge (guint         index,
               FixtureFormat format,
               gsize         image_bytes)
{
  static const char * const issuers[] = { "Acme Academy", "Byte Institute", "Cloud Guild" };
  static const char * const tags[] = { "cloud", "security", "data", "networking" };
  g_autofree char *name = g_strdup_printf ("Badge %06u", index);
  g_autofree char *issued = g_strdup_printf ("2024-%02u-%02uT00:00:00Z",
                                             index % 12 + 1, index % 28 + 1);
  g_autofree char *json = fixture_assertion_json (index, name, issuers[index % 3], issued, NULL,
                                                  tags[index % 4]);
  g_autofree char *verify = g_strdup_printf ("http://127.0.0.1:9/assertions/%u", index);
  gsize length;

  switch (format)
    {
    case FIXTURE_PNG:
      return fixture_bake_png (json, image_bytes);
    case FIXTURE_SVG:
      return fixture_bake_svg (json, verify);
    case FIXTURE_JSON:
    default:
      length = strlen (json);
      return g_bytes_new_take (g_steal_pointer (&json), length);
    }
}

void
fixture_write_badges (const char *dir,
                      guint       first,
                      guint       n,
                      gsize       image_bytes)
{
  static const char * const extensions[] = { "png", "svg", "json" };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = first; i < first + n; i++)
    {
      FixtureFormat format = (FixtureFormat)(i % 3);
      g_autoptr(GBytes) data = fixture_badge (i, format, image_bytes);
      g_autofree char *name = g_strdup_printf ("badge-%06u.%s", i, extensions[format]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize)g_bytes_get_size (data),
                           &error);
      g_assert_no_error (error);
    }
}

char *
fixture_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bw-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
fixture_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (!S_ISDIR (st.st_mode))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      fixture_rm_rf (child);
    }
  g_rmdir (path);
}
