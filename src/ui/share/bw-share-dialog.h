/* bw-share-dialog.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-store.h"

G_BEGIN_DECLS

#define BW_TYPE_SHARE_DIALOG (bw_share_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BwShareDialog, bw_share_dialog, BW, SHARE_DIALOG, AdwWindow)

/* How URIs are opened; tests inject their own to record them. */
typedef void (*BwUriLauncherFunc) (GtkWindow  *parent,
                                   const char *uri,
                                   gpointer    user_data);

BwShareDialog *bw_share_dialog_new          (GtkWindow        *parent,
                                             BwStore          *store,
                                             BwBadge          *badge);
void           bw_share_dialog_set_launcher (BwShareDialog    *self,
                                             BwUriLauncherFunc launcher,
                                             gpointer          user_data);

G_END_DECLS
