/* bw-badge-tile.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-store.h"

G_BEGIN_DECLS

#define BW_TYPE_BADGE_TILE (bw_badge_tile_get_type ())

/* One badge in the library grid: its image, name, issuer and an emblem
 * for its last verdict. */
G_DECLARE_FINAL_TYPE (BwBadgeTile, bw_badge_tile, BW, BADGE_TILE, GtkWidget)

GtkWidget  *bw_badge_tile_new            (void);
BwBadge    *bw_badge_tile_get_badge      (BwBadgeTile *self);
void        bw_badge_tile_set_badge      (BwBadgeTile *self,
                                          BwStore     *store,
                                          BwBadge     *badge);
const char *bw_badge_tile_get_emblem_tooltip (BwBadgeTile *self);
const char *bw_badge_tile_get_accessible_label (BwBadgeTile *self);
GtkWidget  *bw_badge_tile_get_picture    (BwBadgeTile *self);

G_END_DECLS
