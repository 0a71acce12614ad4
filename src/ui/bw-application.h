/* bw-application.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bw-core.h"

G_BEGIN_DECLS

#define BW_TYPE_APPLICATION (bw_application_get_type ())

G_DECLARE_FINAL_TYPE (BwApplication, bw_application, BW, APPLICATION, AdwApplication)

BwApplication *bw_application_new             (void);
int            bw_application_run             (int            argc,
                                               char         **argv);
GSettings     *bw_application_get_settings    (BwApplication *self);
BwStore       *bw_application_get_store       (BwApplication *self);
const GError  *bw_application_get_store_error (BwApplication *self);
BwFetcher     *bw_application_get_fetcher     (BwApplication *self);
BwVerifier    *bw_application_get_verifier    (BwApplication *self);
GPtrArray     *bw_application_dup_identities  (BwApplication *self);

G_END_DECLS
