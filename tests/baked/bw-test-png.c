/* bw-test-png.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A tiny PNG writer for tests and benchmarks: real images made with zlib,
 * and hand-made chunks (good or deliberately broken). */

#define G_LOG_DOMAIN "bw-test-png"

#include <string.h>
#include <zlib.h>

#include "bw-test-png.h"

static void
put_be32 (GByteArray *a,
          guint32     v)
{
  guint8 b[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };

  g_byte_array_append (a, b, 4);
}

void
bw_test_png_chunk_raw (GByteArray *png,
                       guint32     length,
                       const char *type,
                       const void *data,
                       gsize       data_length,
                       guint32     crc)
{
  put_be32 (png, length);
  g_byte_array_append (png, (const guint8 *)type, 4);
  if (data_length > 0)
    g_byte_array_append (png, data, (guint)data_length);
  put_be32 (png, crc);
}

void
bw_test_png_chunk (GByteArray *png,
                   const char *type,
                   const void *data,
                   gsize       length)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  crc = crc32 (crc, (const Bytef *)type, 4);
  if (length > 0)
    crc = crc32 (crc, data, (uInt)length);
  bw_test_png_chunk_raw (png, (guint32)length, type, data, length, (guint32)crc);
}

void
bw_test_png_text_chunk (GByteArray *png,
                        const char *type,
                        const char *keyword,
                        const char *text)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_byte_array_append (data, (const guint8 *)keyword, (guint)strlen (keyword) + 1);
  if (strcmp (type, "iTXt") == 0)
    g_byte_array_append (data, (const guint8 *)"\0\0\0\0", 4);
  g_byte_array_append (data, (const guint8 *)text, (guint)strlen (text));
  bw_test_png_chunk (png, type, data->data, data->len);
}

void
bw_test_png_itxt_full (GByteArray *png,
                       const char *keyword,
                       guint8      flag,
                       const char *language,
                       const char *translated,
                       const void *text,
                       gsize       text_length)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 flags[2] = { flag, 0 };

  g_byte_array_append (data, (const guint8 *)keyword, (guint)strlen (keyword) + 1);
  g_byte_array_append (data, flags, 2);
  g_byte_array_append (data, (const guint8 *)language, (guint)strlen (language) + 1);
  g_byte_array_append (data, (const guint8 *)translated, (guint)strlen (translated) + 1);
  g_byte_array_append (data, text, (guint)text_length);
  bw_test_png_chunk (png, "iTXt", data->data, data->len);
}

GByteArray *
bw_test_png_start (guint32 width,
                   guint32 height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13];

  g_byte_array_append (png, signature, 8);
  ihdr[0] = (guint8)(width >> 24);
  ihdr[1] = (guint8)(width >> 16);
  ihdr[2] = (guint8)(width >> 8);
  ihdr[3] = (guint8)width;
  ihdr[4] = (guint8)(height >> 24);
  ihdr[5] = (guint8)(height >> 16);
  ihdr[6] = (guint8)(height >> 8);
  ihdr[7] = (guint8)height;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* truecolour */
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  bw_test_png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  return png;
}

void
bw_test_png_end (GByteArray *png)
{
  bw_test_png_chunk (png, "IEND", NULL, 0);
}

/* A real RGB image of noise (so that it does not compress), its IDAT
 * split in chunks of @idat_chunk_size bytes as libpng does; no IEND. */
GByteArray *
bw_test_png_image (guint32 width,
                   guint32 height,
                   guint32 seed,
                   gsize   idat_chunk_size)
{
  GByteArray *png = bw_test_png_start (width, height);
  gsize row = 1 + (gsize)width * 3;
  gsize raw_len = row * height;
  g_autofree guint8 *raw = g_malloc (raw_len);
  uLongf z_len = compressBound ((uLong)raw_len);
  g_autofree guint8 *z = g_malloc (z_len);
  guint32 state = seed | 1;

  for (gsize i = 0; i < raw_len; i++)
    {
      /* xorshift: cheap, deterministic noise. */
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      raw[i] = (i % row == 0) ? 0 : (guint8)state;
    }
  g_assert_cmpint (compress2 (z, &z_len, raw, (uLong)raw_len, 1), ==, Z_OK);

  for (gsize off = 0; off < z_len; off += idat_chunk_size)
    bw_test_png_chunk (png, "IDAT", z + off, MIN (idat_chunk_size, z_len - off));

  return png;
}

/* Returns the offset of the first chunk of @type, or 0 when absent. */
gsize
bw_test_png_find_chunk (const guint8 *png,
                        gsize         length,
                        const char   *type)
{
  gsize pos = 8;

  while (pos + 8 <= length)
    {
      guint32 len = ((guint32)png[pos] << 24) | ((guint32)png[pos + 1] << 16) |
                    ((guint32)png[pos + 2] << 8) | png[pos + 3];

      if (memcmp (png + pos + 4, type, 4) == 0)
        return pos;
      pos += (gsize)len + 12;
    }
  return 0;
}
