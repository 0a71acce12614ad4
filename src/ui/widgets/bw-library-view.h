/* bw-library-view.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-store.h"

G_BEGIN_DECLS

#define BW_TYPE_LIBRARY_VIEW (bw_library_view_get_type ())

/* The badge grid with its sort and filter controls and its empty,
 * no-results and error states. Emits "badge-activated" (BwBadge *). */
G_DECLARE_FINAL_TYPE (BwLibraryView, bw_library_view, BW, LIBRARY_VIEW, AdwBin)

GtkWidget *bw_library_view_new             (BwStore       *store);
BwStore   *bw_library_view_get_store       (BwLibraryView *self);
void       bw_library_view_set_search_text (BwLibraryView *self,
                                            const char    *text);

/* Additions: the controls' state, for the window's actions and for tests. */
void       bw_library_view_set_sort        (BwLibraryView *self,
                                            BwStoreSort    sort);
void       bw_library_view_set_filter      (BwLibraryView *self,
                                            BwStoreFilter  filter);
void       bw_library_view_set_error       (BwLibraryView *self,
                                            const char    *message);
/* "grid", "empty", "no-results" or "error". */
const char *bw_library_view_get_state      (BwLibraryView *self);
guint      bw_library_view_get_n_shown     (BwLibraryView *self);
/* Restores the "sort" and "filter" keys and keeps them up to date. */
void       bw_library_view_bind_settings   (BwLibraryView *self,
                                            GSettings     *settings);

G_END_DECLS
