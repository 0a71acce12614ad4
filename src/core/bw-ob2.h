/* bw-ob2.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-badge.h"

G_BEGIN_DECLS

BwSpecVersion bw_ob2_detect_version     (JsonObject *object);
gboolean      bw_ob2_is_assertion_like (JsonObject *object);

G_END_DECLS
