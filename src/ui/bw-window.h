/* bw-window.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-application.h"
#include "bw-batch.h"

G_BEGIN_DECLS

#define BW_TYPE_WINDOW (bw_window_get_type ())

G_DECLARE_FINAL_TYPE (BwWindow, bw_window, BW, WINDOW, AdwApplicationWindow)

BwWindow *bw_window_new              (BwApplication      *application);
void      bw_window_open_inputs      (BwWindow           *self,
                                      const char * const *inputs,
                                      GBytes             *data);
void      bw_window_open_files       (BwWindow           *self,
                                      GFile             **files,
                                      guint               n_files);
void      bw_window_open_text        (BwWindow           *self,
                                      const char         *text);
void      bw_window_show_badge       (BwWindow           *self,
                                      BwBadge            *badge);
void      bw_window_import_paths     (BwWindow           *self,
                                      const char * const *paths);
void      bw_window_verify_badges    (BwWindow           *self,
                                      GPtrArray          *badges);
void      bw_window_add_toast        (BwWindow           *self,
                                      AdwToast           *toast);
BwBatch  *bw_window_get_batch        (BwWindow           *self);
GtkWidget *bw_window_get_library_view (BwWindow          *self);

G_END_DECLS
