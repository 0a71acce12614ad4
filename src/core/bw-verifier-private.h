/* bw-verifier-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bw-jose.h"
#include "bw-verifier.h"

G_BEGIN_DECLS

/* BwVerifier is one class over three files: bw-verifier.c runs a job (its
 * fetches, the documents jobs share, dates, recipient and verdict),
 * bw-verifier-hosted.c checks hosted assertions and the documents every
 * Open Badges 2.0 badge links to, and bw-verifier-signed.c checks
 * signatures and revocation lists. A job's state is shared by all three. */

typedef enum
{
  PHASE_ASSERTION,
  PHASE_RESOLVE,
  PHASE_KEY,
  PHASE_REVOCATION,
  PHASE_IMAGE,
  PHASE_JWT_KEY,
} Phase;

/* Outcomes found so far; the verdict is the worst of them. */
typedef enum
{
  OUTCOME_NONE        = 0,
  OUTCOME_UNREACHABLE = 1 << 0,
  OUTCOME_EXPIRED     = 1 << 1,
  OUTCOME_REVOKED     = 1 << 2,
  OUTCOME_INVALID     = 1 << 3,
} Outcome;

typedef struct
{
  BwVerifier     *self;
  GTask          *task;
  GCancellable   *cancellable;
  gulong          cancelled_id;
  GCancellable   *caller_cancellable;
  GSource        *timeout_source;
  gboolean        timed_out;

  BwReport       *report;
  BwBadge        *input_badge;
  BwBadge        *badge;
  BwJws          *jws;
  Outcome         outcome;
  Phase           phase;
  char           *fetch_url;
  BwFetchKind     fetch_kind;
  BwDocumentKind  resolve_kind;
  guint           resolve_steps;
  gboolean        restarted;
  gboolean        insecure_warned;
  /* Whether the badge's content was confirmed by its issuer (hosted copy
   * fetched, or signature verified). */
  gboolean        confirmed;

  /* Signed badges: key URLs still to try, and whether one verified. */
  GPtrArray      *key_urls;
  guint           key_index;
  gboolean        signature_ok;
  gboolean        key_unreachable;
  char           *key_failure;

  /* Notes on fetched documents (a declared id that differs from the URL
   * they were fetched from), reported together as the `documents` check. */
  GPtrArray      *document_notes;
} VerifyJob;

/* Provided by bw-verifier.c: the job itself and reading untrusted JSON. */
void        _bw_verifier_job_check              (VerifyJob      *job,
                                                 const char     *id,
                                                 BwCheckStatus   status,
                                                 Outcome         outcome,
                                                 const char     *format,
                                                 ...) G_GNUC_PRINTF (5, 6);
void        _bw_verifier_job_fetch              (VerifyJob      *job,
                                                 const char     *url,
                                                 BwFetchKind     kind,
                                                 Phase           phase);
void        _bw_verifier_job_fetch_failed       (VerifyJob      *job,
                                                 const char     *id,
                                                 const char     *what,
                                                 const char     *url,
                                                 const GError   *error);
void        _bw_verifier_job_http_failed        (VerifyJob      *job,
                                                 const char     *id,
                                                 const char     *what,
                                                 const char     *url,
                                                 guint           status);
void        _bw_verifier_job_start_badge        (VerifyJob      *job);
void        _bw_verifier_job_finish             (VerifyJob      *job);
const char *_bw_verifier_spec_string            (BwSpecVersion   spec);
JsonNode   *_bw_verifier_parse_body             (BwFetchResult  *result,
                                                 GError        **error);
JsonObject *_bw_verifier_node_object            (JsonNode       *node);
JsonObject *_bw_verifier_object_get_object      (JsonObject     *object,
                                                 const char     *member);
GPtrArray  *_bw_verifier_object_get_id_list     (JsonObject     *object,
                                                 const char     *member);
gboolean    _bw_verifier_is_http_url            (const char     *text);
void        _bw_verifier_check_dates            (VerifyJob      *job);
char       *_bw_verifier_url_authority          (const char     *url);

/* Provided by bw-verifier-hosted.c: document shapes, the hosted assertion,
 * the BadgeClass and issuer, the image and the hosting policy. */
char       *_bw_verifier_document_shape_problem (JsonNode       *document,
                                                 const char     *class_name,
                                                 const char     *alias);
gboolean    _bw_verifier_type_names             (JsonNode       *node,
                                                 const char     *name,
                                                 const char     *alias);
void        _bw_verifier_handle_assertion       (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);
void        _bw_verifier_job_resolve_next       (VerifyJob      *job);
void        _bw_verifier_handle_resolve         (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);
void        _bw_verifier_job_image              (VerifyJob      *job);
void        _bw_verifier_handle_image           (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);
void        _bw_verifier_check_hosted_policy    (VerifyJob      *job);

/* Provided by bw-verifier-signed.c: signed assertions and OB 3.0 VC-JWTs. */
void        _bw_verifier_job_keys_next          (VerifyJob      *job);
void        _bw_verifier_handle_key             (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);
void        _bw_verifier_handle_revocation      (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);
void        _bw_verifier_job_start_credential   (VerifyJob      *job);
void        _bw_verifier_handle_jwt_key         (VerifyJob      *job,
                                                 BwFetchResult  *result,
                                                 GError         *error);

G_END_DECLS
