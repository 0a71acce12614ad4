/* bw-cli.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of cli.md. */
#define BW_EXIT_OK         0
#define BW_EXIT_FAILED     1
#define BW_EXIT_USAGE      2
#define BW_EXIT_UNREACHABLE 3

gboolean bw_cli_is_command (const char  *arg);
int      bw_cli_main       (int          argc,
                            char       **argv);

/* Each subcommand takes argv with argv[0] = the subcommand name. */
int      bw_cli_inspect    (int          argc,
                            char       **argv);
int      bw_cli_verify     (int          argc,
                            char       **argv);
int      bw_cli_import     (int          argc,
                            char       **argv);
int      bw_cli_list       (int          argc,
                            char       **argv);
int      bw_cli_export     (int          argc,
                            char       **argv);
int      bw_cli_remove     (int          argc,
                            char       **argv);
int      bw_cli_share      (int          argc,
                            char       **argv);

/* Shared helpers. */
#define BW_CLI_MAX_STDIN (32 * 1024 * 1024)

char    *bw_cli_wallet_dir (void);
GBytes  *bw_cli_read_stdin (GError     **error);
void     bw_cli_printerr   (const char  *format,
                            ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
