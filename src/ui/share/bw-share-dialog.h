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

/* What "Save Badge Image…" writes once a file is chosen: the original
 * byte-exact, or the badge image with the badge baked in. */
void           bw_share_dialog_save_image_async  (BwShareDialog       *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       bw_share_dialog_save_image_finish (BwShareDialog       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
