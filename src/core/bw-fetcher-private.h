/* bw-fetcher-private.h
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bw-fetcher.h"

G_BEGIN_DECLS

/* BwFetcher is split over three files: bw-fetcher.c (the object, the
 * request queue and the transfers), bw-fetcher-policy.c (scheme and
 * address policy, URL maps) and bw-fetcher-cache.c (the documents cache
 * in memory and on disk). This header holds what they share. */

/* A document kept for revalidation and offline use. */
typedef struct
{
  char     *url;
  char     *final_url;
  char     *content_type;
  GBytes   *body;
  char     *etag;
  char     *last_modified;
  gint64    stored_at;     /* Unix seconds */
  gint64    max_age;       /* seconds, or -1 when the server gave none */
  gboolean  no_cache;
  gboolean  insecure;
  guint64   serial;        /* insertion order in the memory cache */
} BwCacheEntry;

typedef struct _BwCacheOrder BwCacheOrder;
typedef struct _BwUrlMap     BwUrlMap;
typedef struct _BwFetchJob   BwFetchJob;

/* One network fetch, shared by every caller asking for the same URL and
 * kind while it runs. */
struct _BwFetchJob
{
  gint          ref_count;
  BwFetcher    *fetcher;
  char         *key;
  char         *url;
  BwFetchKind   kind;
  gsize         cap;
  GPtrArray    *waiters;   /* GTask */
  GCancellable *cancellable;
  GSource      *timeout_source;
  gboolean      done;
  gboolean      insecure;
  gboolean      via_proxy;
  BwCacheEntry *stale;
  char         *policy_message;

  /* The current hop. */
  guint         redirects;
  char         *hop_url;       /* in the caller's URL space */
  char         *hop_mapped;    /* what is requested */
  char         *host_key;      /* the per-host slot held */
  char         *queued_key;    /* the per-host queue the job waits in */
  SoupSession  *session;       /* kept until the body is read */
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  GSource      *hop_source;
};

struct _BwFetcher
{
  GObject       parent_instance;

  SoupSession  *session;
  GProxyResolver *proxy_resolver;
  gboolean      allow_local;
  gboolean      offline;
  char         *cache_dir;
  guint         timeout;
  guint         request_timeout;
  guint         max_per_host;
  GPtrArray    *maps;          /* BwUrlMap */
  guint         request_count;
  guint64       bytes_received;
  guint         pending_writes;
  GHashTable   *cache;         /* url → BwCacheEntry */
  GQueue        cache_order;   /* BwCacheOrder, oldest first */
  gsize         cache_bytes;
  guint64       cache_serial;
  GHashTable   *jobs;          /* key → BwFetchJob */
  GHashTable   *hosts;         /* host key → HostSlots */
};

/* bw-fetcher.c: jobs */
BwFetchJob    *_bw_fetch_job_ref               (BwFetchJob          *job);
void           _bw_fetch_job_unref             (BwFetchJob          *job);
void           _bw_fetch_job_fail              (BwFetchJob          *job,
                                                GQuark               domain,
                                                int                  code,
                                                const char          *format,
                                                ...) G_GNUC_PRINTF (4, 5);
void           _bw_fetch_job_fail_with         (BwFetchJob          *job,
                                                const GError        *error);
void           _bw_fetch_job_acquire_slot      (BwFetchJob          *job);

/* bw-fetcher-policy.c */
void           _bw_fetch_job_begin_hop         (BwFetchJob          *job,
                                                const char          *url);
void           _bw_fetch_job_watch_connection  (BwFetchJob          *job);
char          *_bw_fetcher_apply_maps          (BwFetcher           *self,
                                                const char          *url,
                                                gboolean             reverse);
void           _bw_url_map_free                (BwUrlMap            *map);

/* bw-fetcher-cache.c */
BwCacheEntry  *_bw_cache_entry_ref             (BwCacheEntry        *entry);
void           _bw_cache_entry_unref           (BwCacheEntry        *entry);
gboolean       _bw_cache_entry_is_fresh        (const BwCacheEntry  *entry);
BwFetchResult *_bw_cache_entry_to_result       (const char          *url,
                                                const BwCacheEntry  *entry,
                                                gboolean             from_cache);
void           _bw_cache_entry_add_conditions  (BwCacheEntry        *entry,
                                                SoupMessageHeaders  *headers);
void           _bw_cache_order_free            (BwCacheOrder        *order);
gboolean       _bw_fetcher_kind_uses_cache     (BwFetchKind          kind);
void           _bw_fetcher_memory_cache_insert (BwFetcher           *self,
                                                BwCacheEntry        *entry);
void           _bw_fetcher_cache_store         (BwFetcher           *self,
                                                BwFetchJob          *job,
                                                SoupMessageHeaders  *headers,
                                                const char          *content_type,
                                                GBytes              *body);
void           _bw_fetcher_cache_refresh       (BwFetcher           *self,
                                                BwCacheEntry        *entry,
                                                SoupMessageHeaders  *headers);
void           _bw_fetcher_disk_load_async     (BwFetcher           *self,
                                                const char          *url,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
BwCacheEntry  *_bw_fetcher_disk_load_finish    (BwFetcher           *self,
                                                GAsyncResult        *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BwCacheEntry, _bw_cache_entry_unref)

G_END_DECLS
