/* bw-badge-page.h
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

#define BW_TYPE_BADGE_PAGE (bw_badge_page_get_type ())

/* The details of one wallet badge. Emits "remove-requested" (BwBadge *)
 * when the user asks to remove it; the window handles undo. */
G_DECLARE_FINAL_TYPE (BwBadgePage, bw_badge_page, BW, BADGE_PAGE, AdwBin)

GtkWidget *bw_badge_page_new       (BwStore     *store,
                                    BwVerifier  *verifier,
                                    BwBadge     *badge);
BwBadge   *bw_badge_page_get_badge (BwBadgePage *self);

/* Additions: the shown report and the state of "Verify Again". */
BwReport  *bw_badge_page_get_report    (BwBadgePage *self);
gboolean   bw_badge_page_get_verifying (BwBadgePage *self);
void       bw_badge_page_verify        (BwBadgePage *self);

G_END_DECLS
