/* bw-batch.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bw-core.h"

G_BEGIN_DECLS

/**
 * BwBatchFailure:
 * @input: the file name, path or badge name it is about
 * @message: why it failed, in plain words
 */
typedef struct
{
  char *input;
  char *message;
} BwBatchFailure;

void bw_batch_failure_free (BwBatchFailure *failure);

#define BW_TYPE_BATCH (bw_batch_get_type ())

/* Background work on the wallet: importing files and folders and verifying
 * badges, a few at a time, with progress, cancellation and a failure per
 * input. Emits "finished" when the queue runs dry or is cancelled. */
G_DECLARE_FINAL_TYPE (BwBatch, bw_batch, BW, BATCH, GObject)

BwBatch    *bw_batch_new                  (BwStore            *store,
                                           BwVerifier         *verifier);
void        bw_batch_set_verify_on_import (BwBatch            *self,
                                           gboolean            verify_on_import);
void        bw_batch_set_max_jobs         (BwBatch            *self,
                                           guint               max_jobs);
void        bw_batch_import_paths         (BwBatch            *self,
                                           const char * const *paths);
void        bw_batch_verify               (BwBatch            *self,
                                           GPtrArray          *badges);
void        bw_batch_cancel               (BwBatch            *self);

gboolean    bw_batch_get_running          (BwBatch            *self);
guint       bw_batch_get_total            (BwBatch            *self);
guint       bw_batch_get_done             (BwBatch            *self);
double      bw_batch_get_fraction         (BwBatch            *self);
const char *bw_batch_get_status           (BwBatch            *self);
guint       bw_batch_get_added            (BwBatch            *self);
guint       bw_batch_get_verified         (BwBatch            *self);
GPtrArray  *bw_batch_get_failures         (BwBatch            *self);

G_END_DECLS
