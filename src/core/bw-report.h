/* bw-report.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bw-badge.h"
#include "bw-identity.h"

G_BEGIN_DECLS

typedef enum
{
  BW_VERDICT_VALID,
  BW_VERDICT_EXPIRED,
  BW_VERDICT_REVOKED,
  BW_VERDICT_INVALID,
  BW_VERDICT_UNREACHABLE,
} BwVerdict;

typedef enum
{
  BW_CHECK_PASS,
  BW_CHECK_FAIL,
  BW_CHECK_WARN,
  BW_CHECK_SKIP,
} BwCheckStatus;

/**
 * BwCheck:
 * @id: stable, lower-case, hyphenated (documented in docs/verification.md)
 * @status: the outcome
 * @message: a plain-language sentence
 */
typedef struct
{
  char          *id;
  BwCheckStatus  status;
  char          *message;
} BwCheck;

/**
 * BwReportDocument:
 * @role: what the document is (`assertion`, `badge-class`, `issuer`, `key`,
 *   `revocation-list`, `credential`)
 * @url: the URL it was fetched from, or %NULL when it came with the input
 * @document: (nullable): the parsed JSON
 */
typedef struct
{
  char     *role;
  char     *url;
  JsonNode *document;
} BwReportDocument;

BwCheck       *bw_check_new              (const char    *id,
                                          BwCheckStatus  status,
                                          const char    *message);
BwCheck       *bw_check_copy             (const BwCheck *check);
void           bw_check_free             (BwCheck       *check);
void           bw_report_document_free   (BwReportDocument *document);

const char    *bw_verdict_to_string      (BwVerdict      verdict);
gboolean       bw_verdict_from_string    (const char    *text,
                                          BwVerdict     *verdict);
const char    *bw_check_status_to_string (BwCheckStatus  status);
gboolean       bw_check_status_from_string (const char  *text,
                                          BwCheckStatus *status);

#define BW_TYPE_REPORT (bw_report_get_type ())

G_DECLARE_FINAL_TYPE (BwReport, bw_report, BW, REPORT, GObject)

BwReport         *bw_report_new                 (void);
BwVerdict         bw_report_get_verdict         (BwReport      *self);
void              bw_report_set_verdict         (BwReport      *self,
                                                 BwVerdict      verdict);
BwRecipientMatch  bw_report_get_recipient_match (BwReport      *self);
const char       *bw_report_get_matched_identity(BwReport      *self);
void              bw_report_set_recipient       (BwReport      *self,
                                                 BwRecipientMatch match,
                                                 const char    *matched_identity);
BwBadge          *bw_report_get_badge           (BwReport      *self);
void              bw_report_set_badge           (BwReport      *self,
                                                 BwBadge       *badge);
GDateTime        *bw_report_get_checked         (BwReport      *self);
GPtrArray        *bw_report_get_checks          (BwReport      *self);
void              bw_report_add_check           (BwReport      *self,
                                                 const char    *id,
                                                 BwCheckStatus  status,
                                                 const char    *format,
                                                 ...) G_GNUC_PRINTF (4, 5);
const char       *bw_report_get_input           (BwReport      *self);
void              bw_report_set_input           (BwReport      *self,
                                                 const char    *input);

/* Details the verifier records and the store and the UI read back. */
void              bw_report_set_checked         (BwReport      *self,
                                                 GDateTime     *checked);
const BwCheck    *bw_report_get_check           (BwReport      *self,
                                                 const char    *id);
const char       *bw_report_get_spec            (BwReport      *self);
void              bw_report_set_spec            (BwReport      *self,
                                                 const char    *spec);
const char       *bw_report_get_verification    (BwReport      *self);
void              bw_report_set_verification    (BwReport      *self,
                                                 const char    *verification);
void              bw_report_set_recipient_info  (BwReport      *self,
                                                 const char    *type,
                                                 gboolean       hashed);
void              bw_report_add_document        (BwReport      *self,
                                                 const char    *role,
                                                 const char    *url,
                                                 JsonNode      *document);
GPtrArray        *bw_report_get_documents       (BwReport      *self);
const char       *bw_report_get_reason          (BwReport      *self);

/* The cli.md JSON object; from_json restores what the store saved. */
JsonNode         *bw_report_to_json             (BwReport      *self);
char             *bw_report_to_json_string      (BwReport      *self);
BwReport         *bw_report_new_from_json_string(const char    *json,
                                                 GError       **error);
char             *bw_report_dup_summary         (BwReport      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwCheck, bw_check_free)

G_END_DECLS
