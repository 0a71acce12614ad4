/* bench-net.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-net"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bw-fetcher.h"
#include "bw-jose.h"
#include "bw-test-issuer.h"
#include "bw-test-keys.h"

#define N_DOCUMENTS 500
#define N_VERIFY    300

typedef struct
{
  guint remaining;
  guint failed;
} Batch;

static void
on_fetched (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = bw_fetcher_fetch_finish (BW_FETCHER (source), res, &error);

  if (result == NULL || result->status != 200)
    batch->failed++;
  batch->remaining--;
}

/* Fetches every URL at once and returns the seconds taken. */
static double
fetch_all (BwFetcher  *fetcher,
           GPtrArray  *urls,
           guint      *failed)
{
  Batch batch = { urls->len, 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < urls->len; i++)
    bw_fetcher_fetch_async (fetcher, g_ptr_array_index (urls, i), BW_FETCH_DOCUMENT, NULL,
                            on_fetched, &batch);
  while (batch.remaining > 0)
    g_main_context_iteration (NULL, TRUE);
  *failed = batch.failed;
  return (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
}

static void
bench_fetcher (guint delay_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestIssuer) issuer = bw_test_issuer_new (&error);
  g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) same = g_ptr_array_new_with_free_func (g_free);
  guint failed = 0;
  double cold;
  double cached;
  double coalesced;

  g_assert_no_error (error);
  bw_fetcher_set_proxy_resolver (fetcher, no_proxy);
  bw_fetcher_set_allow_local (fetcher, TRUE);
  bw_test_issuer_set_delay (issuer, delay_ms);
  for (guint i = 0; i < N_DOCUMENTS; i++)
    {
      g_autofree char *path = g_strdup_printf ("/assertions/%u.json", i);
      g_autofree char *json = g_strdup_printf ("{\"id\": \"%s/assertions/%u.json\", \"type\": \"Assertion\"}",
                                               bw_test_issuer_get_url (issuer, i % 2), i);

      bw_test_issuer_add_json (issuer, i % 2, path, json);
      bw_test_issuer_set_header (issuer, i % 2, path, "Cache-Control", "max-age=600");
      g_ptr_array_add (urls, g_strconcat (bw_test_issuer_get_url (issuer, i % 2), path, NULL));
      g_ptr_array_add (same, g_strconcat (bw_test_issuer_get_url (issuer, 0), "/assertions/0.json", NULL));
    }

  cold = fetch_all (fetcher, urls, &failed);
  printf ("fetch, %u documents on 2 hosts, %u ms server delay, 6 per host: %.3f s (%.0f/s), %u failed\n",
          N_DOCUMENTS, delay_ms, cold, N_DOCUMENTS / cold, failed);
  cached = fetch_all (fetcher, urls, &failed);
  printf ("fetch again from the documents cache: %.4f s (%.0f/s), %u failed, %u requests in all\n",
          cached, N_DOCUMENTS / cached, failed, bw_test_issuer_get_request_count (issuer, NULL));

  {
    g_autoptr(BwFetcher) fresh = bw_fetcher_new ();

    bw_fetcher_set_proxy_resolver (fresh, no_proxy);
    bw_fetcher_set_allow_local (fresh, TRUE);
    bw_test_issuer_reset_counts (issuer);
    coalesced = fetch_all (fresh, same, &failed);
    printf ("fetch one URL %u times at once: %.3f s, %u request(s), %u failed\n",
            N_DOCUMENTS, coalesced, bw_test_issuer_get_request_count (issuer, NULL), failed);
  }
}

static void
bench_verify (BwTestKeyType type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestKey) key = bw_test_key_new (type, &error);
  g_autofree char *token = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(BwJws) jws = NULL;
  gint64 start;
  double seconds;
  guint ok = 0;

  g_assert_no_error (error);
  token = bw_test_key_sign_jws (key, NULL, "{\"iss\": \"https://issuer.example/\"}", &error);
  pem = bw_test_key_dup_public_pem (key);
  jws = bw_jws_parse (token, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_VERIFY; i++)
    ok += bw_jws_verify_pem (jws, pem, NULL);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  printf ("verify %s (PEM import + check): %.1f µs each, %u/%u verified\n",
          bw_test_key_get_alg (key), seconds * 1e6 / N_VERIFY, ok, N_VERIFY);
}

int
main (int   argc,
      char *argv[])
{
  bench_fetcher (0);
  bench_fetcher (20);
  bench_verify (BW_TEST_KEY_RSA);
  bench_verify (BW_TEST_KEY_P256);
  bench_verify (BW_TEST_KEY_ED25519);
  return 0;
}
