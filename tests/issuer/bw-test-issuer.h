/* bw-test-issuer.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * BwTestFault:
 * @BW_TEST_FAULT_NONE: answer normally
 * @BW_TEST_FAULT_GONE: 410, with the registered body if there is one
 * @BW_TEST_FAULT_ERROR_500: 500 Internal Server Error
 * @BW_TEST_FAULT_REDIRECT_LOOP: 302 back to the same path, forever
 * @BW_TEST_FAULT_SLOW_DRIP: 200, then a few bytes every 100 ms for a minute
 * @BW_TEST_FAULT_TRUNCATED: a Content-Length larger than the body, then close
 * @BW_TEST_FAULT_OVERSIZED: a 12 MiB body, sent chunked (no Content-Length)
 * @BW_TEST_FAULT_NOT_FOUND: 404 even when the path is registered
 */
typedef enum
{
  BW_TEST_FAULT_NONE,
  BW_TEST_FAULT_GONE,
  BW_TEST_FAULT_ERROR_500,
  BW_TEST_FAULT_REDIRECT_LOOP,
  BW_TEST_FAULT_SLOW_DRIP,
  BW_TEST_FAULT_TRUNCATED,
  BW_TEST_FAULT_OVERSIZED,
  BW_TEST_FAULT_NOT_FOUND,
} BwTestFault;

#define BW_TEST_OVERSIZED_BYTES (12 * 1024 * 1024)

typedef struct _BwTestIssuer BwTestIssuer;

/* Origin 0 listens on 127.0.0.1, origin 1 on 127.0.0.2, both on a free
 * port, in a thread of their own: the caller's main loop, synchronous
 * clients and child processes can all talk to them.
 *
 * Every response carries an ETag and a fixed Last-Modified, and honours
 * If-None-Match and If-Modified-Since with 304, so that caches can be
 * tested.
 *
 * Paths are given as SoupServer sees them, percent-decoded ("/a b.json"
 * for a request of "/a%20b.json"), without the query. */
BwTestIssuer *bw_test_issuer_new              (GError       **error);
BwTestIssuer *bw_test_issuer_new_on_port      (guint          port,
                                               GError       **error);
void          bw_test_issuer_free             (BwTestIssuer  *issuer);

/* "http://127.0.0.1:PORT", without a trailing slash. */
const char   *bw_test_issuer_get_url          (BwTestIssuer  *issuer,
                                               guint          origin);

/* Serves the files below @dir for every path that starts with
 * @url_prefix_path ("/" serves @dir at the root), on both origins.
 * Registered paths win over directories. */
void          bw_test_issuer_serve_directory  (BwTestIssuer  *issuer,
                                               const char    *url_prefix_path,
                                               const char    *dir);
void          bw_test_issuer_add              (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               const char    *content_type,
                                               GBytes        *body);
void          bw_test_issuer_add_json         (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               const char    *json);

/* Registers {"revoked": true, "revocationReason": @reason} at @path and
 * answers it with 410 Gone. @reason may be %NULL. */
void          bw_test_issuer_add_revoked      (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               const char    *reason);

/* Answers @path with @status (301, 302, 303, 307 or 308) and a Location
 * header of @location, which may be relative or on another origin. */
void          bw_test_issuer_add_redirect     (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               guint          status,
                                               const char    *location);

/* Leaves the ETag out of the answers for @path, so that only
 * Last-Modified (and If-Modified-Since) can validate a cached copy. */
void          bw_test_issuer_set_etag         (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               gboolean       send_etag);

/* Adds a response header to @path (for example Cache-Control). */
void          bw_test_issuer_set_header       (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               const char    *name,
                                               const char    *value);
void          bw_test_issuer_set_fault        (BwTestIssuer  *issuer,
                                               guint          origin,
                                               const char    *path,
                                               BwTestFault    fault);

/* Delays every response by @milliseconds. */
void          bw_test_issuer_set_delay        (BwTestIssuer  *issuer,
                                               guint          milliseconds);

/* Requests received for @path_or_null (every path when %NULL) on both
 * origins, conditional requests and redirects included. */
guint         bw_test_issuer_get_request_count (BwTestIssuer *issuer,
                                                const char   *path_or_null);

/* The largest number of requests that were being answered at once. */
guint         bw_test_issuer_get_max_concurrent (BwTestIssuer *issuer);
void          bw_test_issuer_reset_counts     (BwTestIssuer  *issuer);

/* How many distinct client connections (remote address and port) the
 * requests counted above came on. */
guint         bw_test_issuer_get_connection_count (BwTestIssuer *issuer);

/* A header of the last request for @path (either origin), or %NULL. */
char         *bw_test_issuer_dup_last_request_header (BwTestIssuer *issuer,
                                                      const char   *path,
                                                      const char   *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwTestIssuer, bw_test_issuer_free)

G_END_DECLS
