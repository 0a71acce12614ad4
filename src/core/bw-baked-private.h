/* bw-baked-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-baked.h"

G_BEGIN_DECLS

/* Room for the iTXt header (keyword, flags, language tag and translated
 * keyword) on top of the payload limit, so that a chunk holding a payload
 * of exactly the limit is still read. */
#define CHUNK_OVERHEAD 4096

extern const guint8 _bw_png_signature[8];

/* Where the PNG walk and the whole-file reader take their bytes from. */
typedef struct
{
  int           fd;         /* -1 when reading from memory */
  const guint8 *data;       /* the bytes in memory, or the mapping */
  guint64       size;       /* G_MAXUINT64 when unknown (a pipe) */
  guint64       pos;
  guint64       bytes_read;
  gboolean      seekable;
  gboolean      mapped;     /* data is a read-only mapping of fd */
} BwBakedSource;

/* bw-baked.c: payloads and classification. */
gboolean    _bw_baked_is_xml_space    (char             c);
char       *_bw_baked_trimmed_dup     (const char      *text,
                                       gsize            length);
BwPayload  *_bw_payload_from_text     (BwPayloadSource  source,
                                       const char      *text,
                                       gsize            length,
                                       gboolean         ob3);
void        _bw_payload_warn          (BwPayload       *payload,
                                       const char      *format,
                                       ...) G_GNUC_PRINTF (2, 3);

/* bw-baked.c: input. */
void        _bw_baked_source_init_fd  (BwBakedSource   *src,
                                       int              fd);
void        _bw_baked_source_clear    (BwBakedSource   *src);
gssize      _bw_baked_source_read     (BwBakedSource   *src,
                                       guint8          *buf,
                                       gsize            n,
                                       GError         **error);
gboolean    _bw_baked_source_skip     (BwBakedSource   *src,
                                       guint64          n,
                                       gboolean        *ended,
                                       GError         **error);

/* bw-baked-png.c: the chunk walk. */
BwPayload  *_bw_baked_png_read_source (BwBakedSource   *src,
                                       gboolean         signature_checked,
                                       GError         **error);

G_END_DECLS
