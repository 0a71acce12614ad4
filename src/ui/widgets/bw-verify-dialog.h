/* bw-verify-dialog.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-store.h"
#include "bw-verifier.h"

G_BEGIN_DECLS

#define BW_TYPE_VERIFY_DIALOG (bw_verify_dialog_get_type ())

/* The recruiter's view of one dropped, pasted or opened badge: the
 * rendered badge, the verdict, a candidate e-mail entry and the checks.
 * Nothing is added to the wallet unless the user presses "Add to Wallet". */
G_DECLARE_FINAL_TYPE (BwVerifyDialog, bw_verify_dialog, BW, VERIFY_DIALOG, AdwWindow)

/* @input is a local path or an http(s) URL; @data, when not NULL, is the
 * content already read (a paste), and @input only names it. */
BwVerifyDialog *bw_verify_dialog_new     (GtkWindow   *parent,
                                          BwStore     *store,
                                          BwVerifier  *verifier,
                                          const char  *input,
                                          GBytes      *data);
BwReport       *bw_verify_dialog_get_report (BwVerifyDialog *self);

/* Additions: emits "badge-added" (const char *wallet_id) after "Add to
 * Wallet"; the candidate's e-mail can also be set from code. */
BwRecipientMatch bw_verify_dialog_get_recipient_match (BwVerifyDialog *self);
void             bw_verify_dialog_set_candidate_email (BwVerifyDialog *self,
                                                       const char     *email);
const char      *bw_verify_dialog_get_added_wallet_id (BwVerifyDialog *self);

G_END_DECLS
