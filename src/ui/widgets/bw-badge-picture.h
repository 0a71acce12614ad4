/* bw-badge-picture.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bw-badge-image.h"
#include "bw-store.h"

G_BEGIN_DECLS

#define BW_TYPE_BADGE_PICTURE (bw_badge_picture_get_type ())

/* Shows one badge image at a fixed size, loaded without blocking by a
 * BwBadgeImage; a placeholder stands in until it is ready. */
G_DECLARE_FINAL_TYPE (BwBadgePicture, bw_badge_picture, BW, BADGE_PICTURE, GtkWidget)

GtkWidget    *bw_badge_picture_new               (int             pixel_size);
int           bw_badge_picture_get_pixel_size    (BwBadgePicture *self);
void          bw_badge_picture_set_pixel_size    (BwBadgePicture *self,
                                                  int             pixel_size);
void          bw_badge_picture_set_loader        (BwBadgePicture *self,
                                                  BwBadgeImage   *loader);
void          bw_badge_picture_set_allow_network (BwBadgePicture *self,
                                                  gboolean        allow_network);
void          bw_badge_picture_set_load_when_drawn (BwBadgePicture *self,
                                                    gboolean        when_drawn);
void          bw_badge_picture_set_badge         (BwBadgePicture *self,
                                                  BwStore        *store,
                                                  BwBadge        *badge);
void          bw_badge_picture_set_image_bytes   (BwBadgePicture *self,
                                                  GBytes         *image);
GdkTexture   *bw_badge_picture_get_texture       (BwBadgePicture *self);
gboolean      bw_badge_picture_get_loading       (BwBadgePicture *self);

G_END_DECLS
