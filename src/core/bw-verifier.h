/* bw-verifier.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bw-badge.h"
#include "bw-fetcher.h"
#include "bw-identity.h"
#include "bw-report.h"

G_BEGIN_DECLS

#define BW_TYPE_VERIFIER (bw_verifier_get_type ())

G_DECLARE_FINAL_TYPE (BwVerifier, bw_verifier, BW, VERIFIER, GObject)

BwVerifier *bw_verifier_new               (BwFetcher           *fetcher);
BwFetcher  *bw_verifier_get_fetcher       (BwVerifier          *self);
void        bw_verifier_add_identity      (BwVerifier          *self,
                                           const BwIdentity    *identity);
void        bw_verifier_clear_identities  (BwVerifier          *self);
void        bw_verifier_set_timeout       (BwVerifier          *self,
                                           guint                seconds);
void        bw_verifier_set_now           (BwVerifier          *self,
                                           GDateTime           *now);
/* Offline, documents come only from the cache: a badge they show as valid
 * is reported as not confirmed (unreachable), never as valid. */
void        bw_verifier_set_offline       (BwVerifier          *self,
                                           gboolean             offline);

/* Verifies a badge already read (its payload says what to do). */
void        bw_verifier_verify_async      (BwVerifier          *self,
                                           BwBadge             *badge,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* Verifies any input of cli.md: a file path, a URL, or "-" (with @stdin_data). */
void        bw_verifier_verify_input_async(BwVerifier          *self,
                                           const char          *input,
                                           GBytes              *data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
BwReport   *bw_verifier_verify_finish     (BwVerifier          *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Re-checks the recipient of an already verified report against new
 * identities, with no network (the recruiter's e-mail entry). */
BwRecipientMatch bw_verifier_recheck_recipient (BwReport       *report,
                                                GPtrArray      *identities,
                                                const BwIdentity **matched);

G_END_DECLS
