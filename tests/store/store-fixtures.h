/* store-fixtures.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FIXTURE_PNG,
  FIXTURE_SVG,
  FIXTURE_JSON,
} FixtureFormat;

/* An OB 2.0 hosted assertion with its badge class and issuer embedded, so
 * it needs no network. Its ids are loopback URLs nobody serves. @expires
 * may be NULL. */
char   *fixture_assertion_json (guint          index,
                                const char    *name,
                                const char    *issuer,
                                const char    *issued,
                                const char    *expires,
                                const char    *tag);
/* A valid PNG of @image_bytes or so of image data, with @payload in an
 * iTXt `openbadges` chunk right after IHDR; baked here by hand so the
 * store tests do not depend on the baker they might otherwise share bugs
 * with. */
GBytes *fixture_bake_png       (const char    *payload,
                                gsize          image_bytes);
GBytes *fixture_plain_png      (void);
GBytes *fixture_bake_svg       (const char    *payload,
                                const char    *verify);
/* Badge number @index in @format. */
GBytes *fixture_badge          (guint          index,
                                FixtureFormat  format,
                                gsize          image_bytes);
/* Writes @n badges (cycling PNG, SVG, JSON) as @dir/badge-NNNNNN.ext. */
void    fixture_write_badges   (const char    *dir,
                                guint          first,
                                guint          n,
                                gsize          image_bytes);
/* A fresh private temporary folder. */
char   *fixture_tmpdir         (void);
void    fixture_rm_rf          (const char    *path);

G_END_DECLS
