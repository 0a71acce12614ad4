/* bw-fetcher.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BW_FETCH_MAX_REDIRECTS   5
#define BW_FETCH_MAX_DOCUMENT    (2 * 1024 * 1024)
#define BW_FETCH_MAX_IMAGE       (10 * 1024 * 1024)

typedef enum
{
  BW_FETCH_DOCUMENT,  /* Accept: application/ld+json, application/json; 2 MiB cap */
  BW_FETCH_IMAGE,     /* images; 10 MiB cap */
  BW_FETCH_ANY,       /* a dropped URL: JSON or a baked image; 10 MiB cap */
} BwFetchKind;

/**
 * BwFetchResult:
 * @url: the URL asked for
 * @final_url: the URL answered after redirects (before --map-url rewriting)
 * @status: the HTTP status (200, 410, 404, ...); non-2xx is not an error
 * @content_type: (nullable): the media type, without parameters
 * @body: the body (possibly empty)
 * @from_cache: served from the documents cache without a request
 * @insecure: fetched over plain http
 */
typedef struct
{
  char     *url;
  char     *final_url;
  guint     status;
  char     *content_type;
  GBytes   *body;
  gboolean  from_cache;
  gboolean  insecure;
} BwFetchResult;

#define BW_TYPE_FETCH_RESULT (bw_fetch_result_get_type ())
GType          bw_fetch_result_get_type (void) G_GNUC_CONST;
BwFetchResult *bw_fetch_result_ref_copy (const BwFetchResult *result);
void           bw_fetch_result_free     (BwFetchResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwFetchResult, bw_fetch_result_free)

#define BW_TYPE_FETCHER (bw_fetcher_get_type ())

/* A fetcher is used from the thread whose main context created it, like
 * the SoupSession inside it. Errors of bw_fetcher_fetch_finish():
 * BW_ERROR_POLICY (scheme, local address, offline and not cached),
 * BW_ERROR_NETWORK (unresolvable, refused, TLS, cut short),
 * BW_ERROR_TIMEOUT, BW_ERROR_TOO_LARGE, BW_ERROR_HTTP (more than
 * BW_FETCH_MAX_REDIRECTS redirects), G_IO_ERROR_CANCELLED. Any HTTP
 * status is a result, not an error. */

G_DECLARE_FINAL_TYPE (BwFetcher, bw_fetcher, BW, FETCHER, GObject)

BwFetcher     *bw_fetcher_new                (void);
void           bw_fetcher_set_allow_local    (BwFetcher     *self,
                                              gboolean       allow_local);
void           bw_fetcher_set_offline        (BwFetcher     *self,
                                              gboolean       offline);
void           bw_fetcher_set_cache_dir      (BwFetcher     *self,
                                              const char    *directory);
void           bw_fetcher_set_timeout        (BwFetcher     *self,
                                              guint          seconds);
void           bw_fetcher_set_max_per_host   (BwFetcher     *self,
                                              guint          max_per_host);
gboolean       bw_fetcher_add_url_map        (BwFetcher     *self,
                                              const char    *mapping,
                                              GError       **error);
char          *bw_fetcher_map_url            (BwFetcher     *self,
                                              const char    *url);
guint          bw_fetcher_get_request_count  (BwFetcher     *self);

/* The bound on each HTTP request (one redirect hop), and on silence on
 * the connection; bw_fetcher_set_timeout() bounds the whole fetch. */
void           bw_fetcher_set_request_timeout (BwFetcher     *self,
                                               guint          seconds);
/* NULL restores the system's proxy settings. */
void           bw_fetcher_set_proxy_resolver (BwFetcher      *self,
                                              GProxyResolver *resolver);
/* Body bytes read from the network so far. */
guint64        bw_fetcher_get_bytes_received (BwFetcher     *self);
/* Disk cache writes still running; iterate the main context until 0
 * before exiting. */
guint          bw_fetcher_get_pending_writes (BwFetcher     *self);
/* Whether the policy refuses @address (text form) without allow-local. */
gboolean       bw_fetcher_is_local_address   (const char    *address);

void           bw_fetcher_fetch_async        (BwFetcher           *self,
                                              const char          *url,
                                              BwFetchKind          kind,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
BwFetchResult *bw_fetcher_fetch_finish       (BwFetcher           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
