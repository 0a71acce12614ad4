/* bw-store-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "bw-store.h"

G_BEGIN_DECLS

/* The schema version this build writes. */
#define BW_STORE_SCHEMA_VERSION 2

/**
 * BwStoreFault:
 * @BW_STORE_FAULT_NONE: writes behave normally
 * @BW_STORE_FAULT_DISK_FULL: writes fail as if the disk were full (ENOSPC, SQLITE_FULL)
 * @BW_STORE_FAULT_IO: writes fail with an I/O error (EIO, SQLITE_IOERR)
 *
 * Every write of the store, to an original file or to the database, goes
 * through one seam so tests can make it fail and check that the wallet is
 * left as it was.
 */
typedef enum
{
  BW_STORE_FAULT_NONE,
  BW_STORE_FAULT_DISK_FULL,
  BW_STORE_FAULT_IO,
} BwStoreFault;

/* Arms the fault for the whole process: the first @after_writes writes still
 * succeed, every later one fails until the fault is set back to NONE. */
void      _bw_store_set_fault            (BwStoreFault  fault,
                                          guint         after_writes);
/* How many writes the armed fault has refused so far. */
guint     _bw_store_get_fault_hits       (void);

/* Creates a wallet database at @path holding only the schema up to
 * @version, so migrations can be tested from any older version. */
gboolean  _bw_store_create_schema        (const char   *path,
                                          int           version,
                                          GError      **error);
/* The open database handle, for tests that inspect the tables. */
sqlite3  *_bw_store_get_db               (BwStore      *self);
/* Commits the import batch after this many inputs (default 64). */
void      _bw_store_set_batch_size       (BwStore      *self,
                                          guint         batch_size);

G_END_DECLS
