/* bw-verifier-hosted.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
