/* bw-widgets.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-report.h"
#include "bw-badge.h"

G_BEGIN_DECLS

/* The resource path of the widgets' templates and style sheet. */
#define BW_WIDGETS_RESOURCE_PATH "/io/github/badgewallet/BadgeWallet/widgets/"

/* Badges that expire within this many days count as expiring soon. */
#define BW_WIDGETS_EXPIRING_DAYS 30

/* How a verdict looks: the colour family of its icon and banner. */
typedef enum
{
  BW_VERDICT_STYLE_NEUTRAL,
  BW_VERDICT_STYLE_GOOD,
  BW_VERDICT_STYLE_WARNING,
  BW_VERDICT_STYLE_BAD,
} BwVerdictStyle;

void            bw_widgets_init                  (void);

/* @verdict is a bw_verdict_to_string() name, or NULL for a badge that was
 * never checked. */
BwVerdictStyle  bw_widgets_verdict_style         (const char    *verdict);
const char     *bw_widgets_verdict_icon_name     (const char    *verdict);
const char     *bw_widgets_verdict_title         (const char    *verdict);
const char     *bw_widgets_verdict_explanation   (const char    *verdict);
const char     *bw_widgets_verdict_style_class   (BwVerdictStyle style);

const char     *bw_widgets_check_icon_name       (BwCheckStatus  status);
const char     *bw_widgets_check_style_class     (BwCheckStatus  status);
const char     *bw_widgets_check_status_label    (BwCheckStatus  status);

char           *bw_widgets_format_date           (GDateTime     *datetime);
char           *bw_widgets_format_checked        (GDateTime     *checked,
                                                  GDateTime     *now);
char           *bw_widgets_dup_domain            (const char    *url);
gboolean        bw_widgets_badge_is_expiring     (BwBadge       *badge,
                                                  GDateTime     *now);
void            bw_widgets_set_style_class       (GtkWidget     *widget,
                                                  const char    *prefix,
                                                  const char    *style_class);

/* Rows shared by the details page and the verification dialog. Their
 * texts come from badges, so none of them is read as markup. */
GtkWidget      *bw_widgets_check_row_new         (const BwCheck *check);
char           *bw_widgets_dup_checks_summary    (GPtrArray     *checks);
GtkWidget      *bw_widgets_link_row_new          (const char    *title,
                                                  const char    *subtitle,
                                                  const char    *url);
gboolean        bw_widgets_open_uri              (GtkWidget     *widget,
                                                  const char    *uri);

G_END_DECLS
