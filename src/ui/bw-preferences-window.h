/* bw-preferences-window.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BW_TYPE_PREFERENCES_WINDOW (bw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BwPreferencesWindow, bw_preferences_window, BW, PREFERENCES_WINDOW, AdwPreferencesWindow)

BwPreferencesWindow *bw_preferences_window_new        (GSettings  *settings);
char                *bw_identity_setting_from_text    (const char *text,
                                                       GError    **error);
gboolean             bw_preferences_window_add_identity (BwPreferencesWindow *self,
                                                         const char          *text,
                                                         GError             **error);

G_END_DECLS
