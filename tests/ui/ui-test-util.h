/* ui-test-util.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bw-test-issuer.h"

G_BEGIN_DECLS

typedef gboolean (*UiTestCondition) (gpointer user_data);

/* A badge published on the test issuer and baked into a PNG. */
typedef struct
{
  char   *name;
  char   *assertion_url;
  char   *assertion_json;
  GBytes *baked_png;
} UiTestBadge;

void         ui_test_badge_free        (UiTestBadge     *badge);

void         ui_test_init_environment  (const char      *tmpdir);
gboolean     ui_test_wait_until        (UiTestCondition  condition,
                                        gpointer         user_data,
                                        guint            timeout_ms);
void         ui_test_wait_frames       (GtkWidget       *widget,
                                        guint            n_frames);
char        *ui_test_save_screenshot   (GtkWidget       *widget,
                                        const char      *name);
GBytes      *ui_test_draw_badge_png    (guint            size,
                                        double           hue,
                                        const char      *initials);
UiTestBadge *ui_test_publish_badge     (BwTestIssuer    *issuer,
                                        guint            index,
                                        const char      *name,
                                        const char      *description,
                                        const char      *issuer_name,
                                        const char      *initials,
                                        double           hue,
                                        const char      *recipient_email,
                                        const char      *expires,
                                        gboolean         revoked);
GPtrArray   *ui_test_list_toplevels    (GType            type);
GtkWidget   *ui_test_find_descendant   (GtkWidget       *root,
                                        GType            type);
void         ui_test_destroy_windows   (GtkApplication  *application);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UiTestBadge, ui_test_badge_free)

G_END_DECLS
