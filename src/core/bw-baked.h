/* bw-baked.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Hard limits of the unbaker; each has its own error message. */
#define BW_BAKED_MAX_PAYLOAD      (1024 * 1024)        /* payload text, inflated or not */
#define BW_BAKED_MAX_CHUNKS       100000               /* chunks walked in one PNG */
#define BW_BAKED_MAX_CHUNK_LENGTH 0x7fffffffu          /* the PNG spec's own bound */
#define BW_BAKED_MAX_SVG          (32 * 1024 * 1024)   /* whole SVG document */

typedef enum
{
  BW_PAYLOAD_KIND_UNKNOWN,
  BW_PAYLOAD_KIND_URL,      /* http(s) URL of a hosted assertion */
  BW_PAYLOAD_KIND_JSON,     /* assertion or credential JSON */
  BW_PAYLOAD_KIND_JWS,      /* compact JWS of an OB 1.x/2.0 signed assertion */
  BW_PAYLOAD_KIND_VC_JWT,   /* compact JWS of an OB 3.0 credential */
} BwPayloadKind;

typedef enum
{
  BW_PAYLOAD_SOURCE_NONE,          /* not from an image */
  BW_PAYLOAD_SOURCE_ITXT,          /* PNG iTXt chunk */
  BW_PAYLOAD_SOURCE_TEXT,          /* PNG legacy tEXt chunk */
  BW_PAYLOAD_SOURCE_SVG_ASSERTION, /* <assertion> in http://openbadges.org */
  BW_PAYLOAD_SOURCE_SVG_CREDENTIAL,/* <credential> in https://purl.imsglobal.org/ob/v3p0 */
  BW_PAYLOAD_SOURCE_FILE,          /* a JSON or JWS file, or standard input */
  BW_PAYLOAD_SOURCE_URL,           /* a URL given directly */
} BwPayloadSource;

typedef enum
{
  BW_IMAGE_FORMAT_NONE,
  BW_IMAGE_FORMAT_PNG,
  BW_IMAGE_FORMAT_SVG,
} BwImageFormat;

/**
 * BwPayload:
 * @kind: what the text is
 * @source: where it came from
 * @format: the image format it was baked in, if any
 * @keyword: the PNG keyword (`openbadges` or `openbadgecredential`), or %NULL
 * @text: the payload, trimmed, valid UTF-8
 * @svg_verify: for SVG, the `verify` attribute when the body was used
 *   instead (the hosted URL to re-fetch), else %NULL
 * @ob3: %TRUE when the container marks it as an OB 3.0 credential
 * @offset: byte offset of the chunk or element in the file, or -1
 * @warnings: (element-type utf8): human-readable notes (duplicate chunks,
 *   compressed iTXt, both keywords present, ...)
 */
typedef struct
{
  BwPayloadKind    kind;
  BwPayloadSource  source;
  BwImageFormat    format;
  char            *keyword;
  char            *text;
  char            *svg_verify;
  gboolean         ob3;
  gint64           offset;
  GPtrArray       *warnings;
} BwPayload;

#define BW_TYPE_PAYLOAD (bw_payload_get_type ())

GType          bw_payload_get_type         (void) G_GNUC_CONST;
BwPayload     *bw_payload_new              (BwPayloadKind    kind,
                                            BwPayloadSource  source,
                                            const char      *text);
BwPayload     *bw_payload_copy             (const BwPayload *payload);
void           bw_payload_free             (BwPayload       *payload);
BwPayloadKind  bw_payload_classify         (const char      *text);
const char    *bw_payload_kind_to_string   (BwPayloadKind    kind);
const char    *bw_payload_source_to_string (BwPayloadSource  source);

BwImageFormat  bw_baked_sniff              (const guint8    *data,
                                            gsize            length);

/* Reading. The PNG readers never read image data: they walk chunk headers
 * and seek past everything else. */
BwPayload     *bw_baked_read_png_fd        (int              fd,
                                            guint64         *bytes_read,
                                            GError         **error);
BwPayload     *bw_baked_read_png_bytes     (GBytes          *png,
                                            GError         **error);
BwPayload     *bw_baked_read_svg_bytes     (GBytes          *svg,
                                            GError         **error);
BwPayload     *bw_baked_read_file          (const char      *path,
                                            guint64         *bytes_read,
                                            GError         **error);
BwPayload     *bw_baked_read_bytes         (GBytes          *data,
                                            GError         **error);

/* Baking: the rest of the image is kept byte-exact. */
GBytes        *bw_baked_bake_png           (GBytes          *png,
                                            const char      *keyword,
                                            const char      *text,
                                            GError         **error);
GBytes        *bw_baked_bake_svg           (GBytes          *svg,
                                            gboolean         ob3,
                                            const char      *verify,
                                            const char      *body,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwPayload, bw_payload_free)

G_END_DECLS
