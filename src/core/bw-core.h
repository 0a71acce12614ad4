/* bw-core.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bw-error.h"
#include "bw-util.h"
#include "bw-baked.h"
#include "bw-badge.h"
#include "bw-fetcher.h"
#include "bw-identity.h"
#include "bw-jose.h"
#include "bw-report.h"
#include "bw-verifier.h"
#include "bw-store.h"
#include "bw-share.h"
