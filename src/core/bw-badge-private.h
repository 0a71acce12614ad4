/* bw-badge-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-badge.h"

G_BEGIN_DECLS

/* The documents a badge is built from. The parsers are pure functions from
 * these to a BwBadgeData, so that resolving a fetched document can rebuild
 * everything and keep the old state when the new document is refused. */
typedef struct
{
  const BwPayload *payload;
  const char      *jws;
  JsonNode        *jwt_claims;
  JsonNode        *assertion;
  const char      *assertion_url;
  JsonNode        *badge_class;
  const char      *badge_class_url;
  JsonNode        *issuer;
  const char      *issuer_url;
} BwBadgeSources;

/* What the badge says, as normalized by bw-ob2.c or bw-ob3.c. */
typedef struct
{
  BwSpecVersion       spec;
  BwVerificationKind  verification;
  char               *id;
  char               *name;
  char               *description;
  char               *image;
  char               *criteria_url;
  char               *criteria_narrative;
  char               *badge_class_id;
  char               *issuer_id;
  char               *issuer_name;
  char               *issuer_url;
  char               *issuer_email;
  char               *issuer_image;
  GDateTime          *issued;
  GDateTime          *expires;
  GPtrArray          *recipients;
  GPtrArray          *evidence;
  GPtrArray          *alignments;
  GPtrArray          *tags;
  GPtrArray          *skills;
  gboolean            revoked;
  char               *revocation_reason;
  char               *hosted_url;
  char               *public_url;
  GPtrArray          *warnings;

  /* The next referenced document to fetch, or NULL. */
  char               *pending_url;
  BwDocumentKind      pending_kind;

  /* Set by a parser when the stored badge class or issuer document is the
   * one referenced, so that stale documents are dropped on a rebuild. */
  gboolean            uses_badge_class;
  gboolean            uses_issuer;
} BwBadgeData;

BwBadgeData *_bw_badge_data_new         (void);
void         _bw_badge_data_free        (BwBadgeData  *data);
void         _bw_badge_data_warn        (BwBadgeData  *data,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (2, 3);
void         _bw_badge_data_add_tag     (BwBadgeData  *data,
                                         GPtrArray    *list,
                                         const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwBadgeData, _bw_badge_data_free)

/* The data a badge was last built from; never %NULL. */
BwBadgeData *_bw_badge_get_data         (BwBadge      *self);

/* Typed access to members of untrusted JSON. @doc names the document
 * ("assertion JSON"), @prefix the path of @object inside it ("badge." or
 * ""); errors read "assertion JSON: expected a string for 'badge.name'".
 * A member that is absent or null counts as missing. */
gboolean     _bw_json_get_string        (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         gboolean      required,
                                         const char  **out,
                                         GError      **error);
/* Like _bw_json_get_string(), but replaces *@out with a copy when the
 * member is present. */
gboolean     _bw_json_dup_string        (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         gboolean      required,
                                         char        **out,
                                         GError      **error);
/* Reads the members of an Evidence object (OB 2.0 and 3.0 share them). */
gboolean     _bw_json_read_evidence     (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         BwEvidence   *evidence,
                                         GError      **error);
gboolean     _bw_json_get_object        (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         gboolean      required,
                                         JsonObject  **out,
                                         GError      **error);
gboolean     _bw_json_get_boolean       (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         gboolean     *out,
                                         GError      **error);
gboolean     _bw_json_get_date          (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         gboolean      strict,
                                         BwBadgeData  *data,
                                         GDateTime   **out,
                                         GError      **error);
GPtrArray   *_bw_json_get_list          (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         GError      **error);
gboolean     _bw_json_get_image         (JsonObject   *object,
                                         const char   *doc,
                                         const char   *prefix,
                                         const char   *member,
                                         char        **out,
                                         GError      **error);
gboolean     _bw_json_type_contains     (JsonObject   *object,
                                         const char   *name);
gboolean     _bw_json_context_contains  (JsonObject   *object,
                                         const char   *needle);
void         _bw_set_error              (GError      **error,
                                         int           code,
                                         const char   *doc,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (4, 5);
char        *_bw_path                   (const char   *prefix,
                                         const char   *member);

/* The parsers. */
gboolean     _bw_ob2_build              (const BwBadgeSources *sources,
                                         BwBadgeData          *data,
                                         GError              **error);
gboolean     _bw_ob3_build              (const BwBadgeSources *sources,
                                         BwBadgeData          *data,
                                         GError              **error);

G_END_DECLS
