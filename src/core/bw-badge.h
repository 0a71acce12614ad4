/* bw-badge.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bw-baked.h"

G_BEGIN_DECLS

/* Hard limit on the items of any list member a parser reads (evidence,
 * alignments, tags, recipient identifiers, types); each document is also
 * bounded in size and depth by bw_json_parse(). */
#define BW_BADGE_MAX_ITEMS 1000
#define BW_BADGE_MAX_URL   8192                       /* a hosted-assertion URL payload */
#define BW_BADGE_MAX_JWS   (3 * 1024 * 1024)          /* a compact JWS, before decoding */

typedef enum
{
  BW_SPEC_UNKNOWN,
  BW_SPEC_0_5,
  BW_SPEC_1_0,
  BW_SPEC_1_1,
  BW_SPEC_2_0,
  BW_SPEC_3_0,
} BwSpecVersion;

typedef enum
{
  BW_VERIFICATION_NONE,
  BW_VERIFICATION_HOSTED,
  BW_VERIFICATION_SIGNED,
  BW_VERIFICATION_PROOF,
} BwVerificationKind;

/* Which referenced document a URL stands for (see bw_badge_resolve()). */
typedef enum
{
  BW_DOCUMENT_ASSERTION,
  BW_DOCUMENT_BADGE_CLASS,
  BW_DOCUMENT_ISSUER,
} BwDocumentKind;

/**
 * BwRecipient:
 * @type: `email`, `url`, `telephone`, `id` (OB 2.0) or the OB 3.0
 *   identityType (`emailAddress`, ...); `id` for an OB 3.0 credentialSubject.id
 * @hashed: whether @identity is an `md5$`/`sha256$` hash
 * @identity: the hash or the plain value
 * @salt: (nullable): the salt
 */
typedef struct
{
  char     *type;
  gboolean  hashed;
  char     *identity;
  char     *salt;
} BwRecipient;

typedef struct
{
  char *id;
  char *name;
  char *description;
  char *narrative;
  char *genre;
  char *audience;
} BwEvidence;

typedef struct
{
  char *target_name;
  char *target_url;
  char *target_description;
  char *target_framework;
  char *target_code;
  char *target_type;
} BwAlignment;

#define BW_TYPE_RECIPIENT (bw_recipient_get_type ())
#define BW_TYPE_EVIDENCE  (bw_evidence_get_type ())
#define BW_TYPE_ALIGNMENT (bw_alignment_get_type ())

GType        bw_recipient_get_type (void) G_GNUC_CONST;
BwRecipient *bw_recipient_copy     (const BwRecipient *recipient);
void         bw_recipient_free     (BwRecipient       *recipient);
GType        bw_evidence_get_type  (void) G_GNUC_CONST;
BwEvidence  *bw_evidence_copy      (const BwEvidence  *evidence);
void         bw_evidence_free      (BwEvidence        *evidence);
GType        bw_alignment_get_type (void) G_GNUC_CONST;
BwAlignment *bw_alignment_copy     (const BwAlignment *alignment);
void         bw_alignment_free     (BwAlignment       *alignment);

const char  *bw_spec_version_to_string        (BwSpecVersion      spec);
const char  *bw_verification_kind_to_string   (BwVerificationKind kind);

#define BW_TYPE_BADGE (bw_badge_get_type ())

G_DECLARE_FINAL_TYPE (BwBadge, bw_badge, BW, BADGE, GObject)

/* Construction. No network: referenced documents are left pending. */
BwBadge            *bw_badge_new_from_payload       (const BwPayload *payload,
                                                     GError         **error);
BwBadge            *bw_badge_new_from_json          (JsonNode        *document,
                                                     const char      *fetched_from,
                                                     GError         **error);
BwBadge            *bw_badge_new_from_file          (const char      *path,
                                                     GError         **error);

/* Referenced documents still to fetch, in the order they should be fetched. */
gboolean            bw_badge_needs_fetch            (BwBadge         *self);
char               *bw_badge_dup_pending_url        (BwBadge         *self,
                                                     BwDocumentKind  *kind);
gboolean            bw_badge_resolve                (BwBadge         *self,
                                                     BwDocumentKind   kind,
                                                     const char      *url,
                                                     JsonNode        *document,
                                                     GError         **error);

/* What the badge says. All strings are borrowed and may be NULL. */
const BwPayload    *bw_badge_get_payload            (BwBadge         *self);
BwSpecVersion       bw_badge_get_spec               (BwBadge         *self);
BwVerificationKind  bw_badge_get_verification       (BwBadge         *self);
const char         *bw_badge_get_id                 (BwBadge         *self);
const char         *bw_badge_get_name               (BwBadge         *self);
const char         *bw_badge_get_description        (BwBadge         *self);
const char         *bw_badge_get_image              (BwBadge         *self);
const char         *bw_badge_get_criteria_url       (BwBadge         *self);
const char         *bw_badge_get_criteria_narrative (BwBadge         *self);
const char         *bw_badge_get_badge_class_id     (BwBadge         *self);
const char         *bw_badge_get_issuer_id          (BwBadge         *self);
const char         *bw_badge_get_issuer_name        (BwBadge         *self);
const char         *bw_badge_get_issuer_url         (BwBadge         *self);
const char         *bw_badge_get_issuer_email       (BwBadge         *self);
const char         *bw_badge_get_issuer_image       (BwBadge         *self);
GDateTime          *bw_badge_get_issued             (BwBadge         *self);
GDateTime          *bw_badge_get_expires            (BwBadge         *self);
GPtrArray          *bw_badge_get_recipients         (BwBadge         *self);
GPtrArray          *bw_badge_get_evidence           (BwBadge         *self);
GPtrArray          *bw_badge_get_alignments         (BwBadge         *self);
const char * const *bw_badge_get_tags               (BwBadge         *self);
const char * const *bw_badge_get_skills             (BwBadge         *self);
gboolean            bw_badge_get_revoked            (BwBadge         *self);
const char         *bw_badge_get_revocation_reason  (BwBadge         *self);
const char         *bw_badge_get_hosted_url         (BwBadge         *self);
const char         *bw_badge_get_jws                (BwBadge         *self);
const char         *bw_badge_get_public_url         (BwBadge         *self);
GPtrArray          *bw_badge_get_warnings           (BwBadge         *self);

/* The raw documents it came from (borrowed, nullable). */
JsonNode           *bw_badge_get_assertion_document (BwBadge         *self);
JsonNode           *bw_badge_get_badge_class_document (BwBadge       *self);
JsonNode           *bw_badge_get_issuer_document    (BwBadge         *self);

/* Wallet metadata, set by BwStore; NULL/0 for a badge not in the wallet. */
const char         *bw_badge_get_wallet_id          (BwBadge         *self);
void                bw_badge_set_wallet_id          (BwBadge         *self,
                                                     const char      *wallet_id);
GDateTime          *bw_badge_get_added              (BwBadge         *self);
void                bw_badge_set_added              (BwBadge         *self,
                                                     GDateTime       *added);
const char         *bw_badge_get_original_path      (BwBadge         *self);
void                bw_badge_set_original_path      (BwBadge         *self,
                                                     const char      *path);
const char         *bw_badge_get_last_verdict       (BwBadge         *self);
GDateTime          *bw_badge_get_last_checked       (BwBadge         *self);
void                bw_badge_set_last_verification  (BwBadge         *self,
                                                     const char      *verdict,
                                                     GDateTime       *checked);

/* JSON as in cli.md's "badge" object. */
JsonNode           *bw_badge_to_json                (BwBadge         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwRecipient, bw_recipient_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwEvidence, bw_evidence_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwAlignment, bw_alignment_free)

G_END_DECLS
