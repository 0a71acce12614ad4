/* bw-util.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Hard limits shared by every parser of untrusted input. */
#define BW_MAX_JSON_BYTES   (2 * 1024 * 1024)   /* one JSON document */
#define BW_MAX_JSON_DEPTH   64                  /* nesting of objects and arrays */

GBytes     *bw_base64url_decode        (const char   *text,
                                        gssize        length,
                                        GError      **error);
char       *bw_base64url_encode        (const guint8 *data,
                                        gsize         length);
char       *bw_sha256_hex              (const void   *data,
                                        gsize         length);
GDateTime  *bw_parse_datetime          (const char   *text,
                                        gboolean      strict);
char       *bw_format_datetime         (GDateTime    *datetime);
JsonNode   *bw_json_parse              (const char   *text,
                                        gssize        length,
                                        GError      **error);
gboolean    bw_json_check_depth        (const char   *text,
                                        gsize         length,
                                        guint         max_depth,
                                        GError      **error);
const char *bw_json_object_get_string  (JsonObject   *object,
                                        const char   *member);
void        bw_json_builder_add_string (JsonBuilder  *builder,
                                        const char   *member,
                                        const char   *value);
gboolean    bw_utf8_validate_len       (const char   *text,
                                        gsize         length);

G_END_DECLS
