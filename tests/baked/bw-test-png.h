/* bw-test-png.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        bw_test_png_chunk        (GByteArray   *png,
                                      const char   *type,
                                      const void   *data,
                                      gsize         length);
void        bw_test_png_chunk_raw    (GByteArray   *png,
                                      guint32       length,
                                      const char   *type,
                                      const void   *data,
                                      gsize         data_length,
                                      guint32       crc);
void        bw_test_png_text_chunk   (GByteArray   *png,
                                      const char   *type,
                                      const char   *keyword,
                                      const char   *text);
void        bw_test_png_itxt_full    (GByteArray   *png,
                                      const char   *keyword,
                                      guint8        flag,
                                      const char   *language,
                                      const char   *translated,
                                      const void   *text,
                                      gsize         text_length);
GByteArray *bw_test_png_start        (guint32       width,
                                      guint32       height);
GByteArray *bw_test_png_image        (guint32       width,
                                      guint32       height,
                                      guint32       seed,
                                      gsize         idat_chunk_size);
void        bw_test_png_end          (GByteArray   *png);
gsize       bw_test_png_find_chunk   (const guint8 *png,
                                      gsize         length,
                                      const char   *type);

G_END_DECLS
