/* bw-window-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-window.h"

G_BEGIN_DECLS

/* BwWindow is split over bw-window.c (state, navigation, drops, background
 * work) and bw-window-actions.c (its actions and key bindings). */
struct _BwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children. */
  AdwToastOverlay      *toast_overlay;
  GtkOverlay           *drop_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *library_page;
  GtkWidget            *details_page;
  AdwWindowTitle       *window_title;
  AdwWindowTitle       *short_title;
  AdwWindowTitle       *details_title;
  GtkMenuButton        *add_button;
  GtkMenuButton        *primary_menu_button;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
  AdwBin               *library_bin;
  AdwBin               *details_bin;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkRevealer          *drop_revealer;
  GtkWidget            *back_button;

  GSettings            *settings;
  BwStore              *store;
  BwVerifier           *verifier;
  BwBatch              *batch;
  GtkWidget            *library_view;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;

  /* Removals waiting for their undo toast to go away (element-type Removal). */
  GPtrArray            *removals;
  guint                 live_removal_toasts;

  gboolean              disposed;

  guint                 stale_position;
  guint                 stale_source;
  GPtrArray            *stale_badges;
};

gboolean _bw_window_details_visible     (BwWindow       *self);
void     _bw_window_update_actions      (BwWindow       *self);
void     _bw_window_show_toast          (BwWindow       *self,
                                         const char     *message);
void     _bw_window_go_back             (BwWindow       *self);
void     _bw_window_undo_last_removal   (BwWindow       *self);
char    *_bw_window_input_for_file      (GFile          *file);
gboolean _bw_window_is_web_address      (const char     *text);
gboolean _bw_window_drop_value          (BwWindow       *self,
                                         const GValue   *value,
                                         double          x,
                                         double          y,
                                         GtkDropTarget  *target);
void     _bw_window_class_init_actions  (GtkWidgetClass *widget_class);

G_END_DECLS
