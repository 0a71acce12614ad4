/* bw-store.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include <json-glib/json-glib.h>

#include "bw-badge.h"
#include "bw-fetcher.h"
#include "bw-report.h"
#include "bw-verifier.h"

G_BEGIN_DECLS

typedef enum
{
  BW_IMPORT_ADDED,
  BW_IMPORT_ALREADY_PRESENT,
  BW_IMPORT_NOT_A_BADGE,
  BW_IMPORT_FAILED,
} BwImportStatus;

/**
 * BwImportResult:
 * @input: the file, folder entry or URL
 * @status: what happened
 * @wallet_id: (nullable): the wallet id of the added or present badge
 * @message: (nullable): the reason, for NOT_A_BADGE and FAILED
 */
typedef struct
{
  char           *input;
  BwImportStatus  status;
  char           *wallet_id;
  char           *message;
} BwImportResult;

void        bw_import_result_free          (BwImportResult *result);
const char *bw_import_status_to_string     (BwImportStatus  status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwImportResult, bw_import_result_free)

typedef enum
{
  BW_STORE_SORT_ADDED,     /* most recently added first */
  BW_STORE_SORT_NAME,
  BW_STORE_SORT_ISSUER,
  BW_STORE_SORT_ISSUED,    /* most recently issued first */
} BwStoreSort;

typedef enum
{
  BW_STORE_FILTER_ALL,
  BW_STORE_FILTER_VALID,
  BW_STORE_FILTER_EXPIRING,   /* valid, expires within 30 days */
  BW_STORE_FILTER_EXPIRED,
  BW_STORE_FILTER_REVOKED,
  BW_STORE_FILTER_UNVERIFIED,
} BwStoreFilter;

#define BW_TYPE_STORE (bw_store_get_type ())

/* A GListModel of BwBadge, sorted and filtered as set. */
G_DECLARE_FINAL_TYPE (BwStore, bw_store, BW, STORE, GObject)

BwStore    *bw_store_open                 (const char     *directory,
                                           GError        **error);
const char *bw_store_get_directory        (BwStore        *self);
const char *bw_store_get_recovery_message (BwStore        *self);

/* Adding. bw_store_add_bytes() is one transaction; an import of many
 * inputs commits in batches, each one transaction, and reports a result
 * only once it is on disk. Both block: they write and flush files. */
BwImportResult *bw_store_add_bytes        (BwStore        *self,
                                           GBytes         *original,
                                           const char     *input_name,
                                           GError        **error);
GPtrArray  *bw_store_import_paths         (BwStore        *self,
                                           const char * const *paths,
                                           GCancellable   *cancellable,
                                           GError        **error);

BwBadge    *bw_store_lookup               (BwStore        *self,
                                           const char     *wallet_id);
GBytes     *bw_store_load_original        (BwStore        *self,
                                           const char     *wallet_id,
                                           GError        **error);
gboolean    bw_store_save_report          (BwStore        *self,
                                           const char     *wallet_id,
                                           BwReport       *report,
                                           GError        **error);
BwReport   *bw_store_load_report          (BwStore        *self,
                                           const char     *wallet_id);
gboolean    bw_store_set_note             (BwStore        *self,
                                           const char     *wallet_id,
                                           const char     *note,
                                           GError        **error);

/* Removing, with an undo window: a pending removal hides the badge from the
 * model at once and is committed by bw_store_commit_removals(). */
gboolean    bw_store_remove               (BwStore        *self,
                                           const char     *wallet_id,
                                           GError        **error);
void        bw_store_remove_pending       (BwStore        *self,
                                           const char     *wallet_id);
void        bw_store_undo_remove          (BwStore        *self,
                                           const char     *wallet_id);
gboolean    bw_store_commit_removals      (BwStore        *self,
                                           GError        **error);

/* The model view. */
void        bw_store_set_sort             (BwStore        *self,
                                           BwStoreSort     sort);
void        bw_store_set_filter           (BwStore        *self,
                                           BwStoreFilter   filter);
void        bw_store_set_search           (BwStore        *self,
                                           const char     *text);
guint       bw_store_get_total            (BwStore        *self);

gboolean    bw_store_export               (BwStore        *self,
                                           const char     *directory,
                                           GError        **error);

/* Called once per input, in input order, as soon as the result is durable. */
typedef void (*BwImportCallback) (BwStore              *store,
                                  const BwImportResult *result,
                                  gpointer              user_data);

/* URLs and referenced documents are fetched with @fetcher; without one,
 * URL inputs fail and hosted documents stay unresolved. */
void        bw_store_set_fetcher          (BwStore        *self,
                                           BwFetcher      *fetcher);
BwFetcher  *bw_store_get_fetcher          (BwStore        *self);
/* When set, every badge added is verified and its report kept. */
void        bw_store_set_verifier         (BwStore        *self,
                                           BwVerifier     *verifier);
GPtrArray  *bw_store_import_paths_full    (BwStore        *self,
                                           const char * const *paths,
                                           BwImportCallback callback,
                                           gpointer        user_data,
                                           GCancellable   *cancellable,
                                           GError        **error);

char       *bw_store_dup_note             (BwStore        *self,
                                           const char     *wallet_id);
/* The fewest characters of a wallet id that bw_store_resolve_id() takes
 * as the beginning of one. */
#define BW_STORE_MIN_ID_PREFIX 4

/* A full wallet id, or an unambiguous prefix of one (at least
 * BW_STORE_MIN_ID_PREFIX characters). */
char       *bw_store_resolve_id           (BwStore        *self,
                                           const char     *id_or_prefix,
                                           GError        **error);
/* The listing fields of the badge at @position of the model (id, name,
 * issuer, issued, expires, added, verdict, checked), without building it. */
JsonNode   *bw_store_dup_summary          (BwStore        *self,
                                           guint           position);

/* The documents cache index, for offline verification. */
gboolean    bw_store_cache_document       (BwStore        *self,
                                           const char     *url,
                                           const char     *content_type,
                                           GBytes         *body,
                                           GError        **error);
GBytes     *bw_store_lookup_document      (BwStore        *self,
                                           const char     *url,
                                           char          **content_type);

G_END_DECLS
