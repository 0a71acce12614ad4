/* bw-application.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BW_TYPE_APPLICATION (bw_application_get_type ())

G_DECLARE_FINAL_TYPE (BwApplication, bw_application, BW, APPLICATION, AdwApplication)

BwApplication *bw_application_new (void);
int            bw_application_run (int    argc,
                                   char **argv);

G_END_DECLS
