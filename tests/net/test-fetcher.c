/* test-fetcher.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-fetcher"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bw-error.h"
#include "bw-fetcher.h"
#include "bw-test-issuer.h"

#define DOC "{\"type\": \"Assertion\", \"id\": \"urn:uuid:0c4f6e8a\"}"

typedef struct
{
  BwTestIssuer *issuer;
  BwFetcher    *fetcher;
  char         *tmpdir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);

  f->issuer = bw_test_issuer_new (&error);
  g_assert_no_error (error);
  f->fetcher = bw_fetcher_new ();
  /* Loopback only, whatever proxy the environment names. */
  bw_fetcher_set_proxy_resolver (f->fetcher, no_proxy);
  bw_fetcher_set_allow_local (f->fetcher, TRUE);
  bw_fetcher_set_timeout (f->fetcher, 20);
  bw_test_issuer_add_json (f->issuer, 0, "/doc.json", DOC);
  f->tmpdir = g_dir_make_tmp ("bw-fetcher-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  while (bw_fetcher_get_pending_writes (f->fetcher) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->issuer, bw_test_issuer_free);
  remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static char *
url_on (Fixture    *f,
        guint       origin,
        const char *path)
{
  return g_strconcat (bw_test_issuer_get_url (f->issuer, origin), path, NULL);
}

typedef struct
{
  BwFetchResult *result;
  GError        *error;
  gboolean       done;
  gint64         finished_at;
} Outcome;

static void
on_fetched (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = bw_fetcher_fetch_finish (BW_FETCHER (source), res, &outcome->error);
  outcome->done = TRUE;
  outcome->finished_at = g_get_monotonic_time ();
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, bw_fetch_result_free);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

static void
wait_for (Outcome *outcomes,
          guint    n)
{
  for (guint i = 0; i < n; i++)
    while (!outcomes[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static BwFetchResult *
fetch (BwFetcher    *fetcher,
       const char   *url,
       BwFetchKind   kind,
       GError      **error)
{
  Outcome outcome = { 0 };

  bw_fetcher_fetch_async (fetcher, url, kind, NULL, on_fetched, &outcome);
  wait_for (&outcome, 1);
  if (outcome.error != NULL)
    g_propagate_error (error, outcome.error);
  return outcome.result;
}

static void
test_basic (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autofree char *accept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result->url, ==, url);
  g_assert_cmpstr (result->final_url, ==, url);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body), DOC, strlen (DOC));
  g_assert_false (result->from_cache);
  g_assert_true (result->insecure);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 1);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);

  accept = bw_test_issuer_dup_last_request_header (f->issuer, "/doc.json", "Accept");
  g_assert_cmpstr (accept, ==, "application/ld+json, application/json");

  /* A dropped URL may be JSON or a baked image. */
  bw_test_issuer_add_json (f->issuer, 0, "/any.json", DOC);
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&accept, g_free);
  g_clear_pointer (&result, bw_fetch_result_free);
  url = url_on (f, 0, "/any.json");
  result = fetch (f->fetcher, url, BW_FETCH_ANY, &error);
  g_assert_no_error (error);
  accept = bw_test_issuer_dup_last_request_header (f->issuer, "/any.json", "Accept");
  g_assert_nonnull (strstr (accept, "application/json"));
  g_assert_nonnull (strstr (accept, "image/png"));
  g_assert_nonnull (strstr (accept, "image/svg+xml"));

  /* One session: the second request reused the first one's connection. */
  g_assert_cmpuint (bw_test_issuer_get_connection_count (f->issuer), ==, 1);
}

static void
test_policy_scheme (Fixture       *f,
                    gconstpointer  data)
{
  static const char *urls[] = {
    "file:///etc/passwd", "ftp://127.0.0.1/doc.json", "data:application/json,{}",
    "javascript:alert(1)", "not a url", "//127.0.0.1/doc.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwFetchResult) result = fetch (f->fetcher, urls[i], BW_FETCH_DOCUMENT, &error);

      g_test_message ("%s", urls[i]);
      g_assert_null (result);
      g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 0);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 0);
}

/* Every form of "this machine" is refused without allow-local, before
 * any request is made. */
static void
test_policy_local (Fixture       *f,
                   gconstpointer  data)
{
  const char *port = strrchr (bw_test_issuer_get_url (f->issuer, 0), ':') + 1;
  g_autofree char *origin0 = url_on (f, 0, "/doc.json");
  g_autofree char *origin1 = url_on (f, 1, "/doc.json");
  g_autofree char *localhost = g_strdup_printf ("http://localhost:%s/doc.json", port);
  g_autofree char *localhost_dot = g_strdup_printf ("http://LOCALHOST.:%s/doc.json", port);
  g_autofree char *sub = g_strdup_printf ("http://issuer.localhost:%s/doc.json", port);
  g_autofree char *v6 = g_strdup_printf ("http://[::1]:%s/doc.json", port);
  g_autofree char *mapped = g_strdup_printf ("http://[::ffff:127.0.0.1]:%s/doc.json", port);
  g_autofree char *any = g_strdup_printf ("http://0.0.0.0:%s/doc.json", port);
  g_autofree char *other = g_strdup_printf ("https://127.8.9.10:%s/doc.json", port);
  const char *urls[] = { origin0, origin1, localhost, localhost_dot, sub, v6, mapped, any, other };

  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BwFetchResult) result = fetch (f->fetcher, urls[i], BW_FETCH_DOCUMENT, &error);

      g_test_message ("%s", urls[i]);
      g_assert_null (result);
      g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 0);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 0);

  /* The same URL is fine once local issuers are allowed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BwFetchResult) result = NULL;

    bw_fetcher_set_allow_local (f->fetcher, TRUE);
    result = fetch (f->fetcher, origin1, BW_FETCH_DOCUMENT, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (result->status, ==, 404);
  }
}

/* The classification behind the policy, checked without any network. */
static void
test_policy_addresses (void)
{
  static const char *local[] = {
    "127.0.0.1", "127.255.0.7", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.1",
    "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1",
    "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:192.168.0.1", "64:ff9b::a00:1",
    "not-an-address",
  };
  static const char *public[] = {
    "93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1", "100.128.0.1",
    "2606:2800:220:1::", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808",
  };

  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_test_message ("local %s", local[i]);
      g_assert_true (bw_fetcher_is_local_address (local[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (public); i++)
    {
      g_test_message ("public %s", public[i]);
      g_assert_false (bw_fetcher_is_local_address (public[i]));
    }
}

static void
test_redirect_cap (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/loop");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_test_issuer_set_fault (f->issuer, 0, "/loop", BW_TEST_FAULT_REDIRECT_LOOP);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_HTTP);
  /* The first request and five followed redirects; the sixth is refused. */
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/loop"), ==, BW_FETCH_MAX_REDIRECTS + 1);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, BW_FETCH_MAX_REDIRECTS + 1);
}

/* Five redirects, across both origins and relative and absolute, are
 * followed; each hop is a request of its own. */
static void
test_redirect_chain (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *start = url_on (f, 0, "/r1");
  g_autofree char *r3 = url_on (f, 1, "/r3");
  g_autofree char *r4 = url_on (f, 0, "/r4");
  g_autofree char *final = url_on (f, 1, "/final.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_test_issuer_add_redirect (f->issuer, 0, "/r1", 301, "/r2");
  bw_test_issuer_add_redirect (f->issuer, 0, "/r2", 302, r3);
  bw_test_issuer_add_redirect (f->issuer, 1, "/r3", 307, r4);
  bw_test_issuer_add_redirect (f->issuer, 0, "/r4", 308, "/r5");
  bw_test_issuer_add_redirect (f->issuer, 0, "/r5", 303, final);
  bw_test_issuer_add_json (f->issuer, 1, "/final.json", DOC);

  result = fetch (f->fetcher, start, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->url, ==, start);
  g_assert_cmpstr (result->final_url, ==, final);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 6);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 6);
}

/* A redirect is checked like a first request: here, its scheme. */
static void
test_redirect_policy (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/to-file");
  g_autofree char *url2 = url_on (f, 0, "/to-ftp");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_test_issuer_add_redirect (f->issuer, 0, "/to-file", 302, "file:///etc/passwd");
  bw_test_issuer_add_redirect (f->issuer, 0, "/to-ftp", 302, "ftp://127.0.0.1/x");
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  g_clear_error (&error);
  result = fetch (f->fetcher, url2, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
}

static void
test_cap_streamed (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/huge.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  /* Chunked, so no Content-Length announces the size: the cap must hold
   * while reading. */
  bw_test_issuer_set_fault (f->issuer, 0, "/huge.json", BW_TEST_FAULT_OVERSIZED);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), >, BW_FETCH_MAX_DOCUMENT);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), <=, BW_FETCH_MAX_DOCUMENT + 64 * 1024);

  /* Images have the larger cap, which 12 MiB still passes. */
  g_clear_error (&error);
  result = fetch (f->fetcher, url, BW_FETCH_IMAGE, &error);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), <=,
                    BW_FETCH_MAX_DOCUMENT + BW_FETCH_MAX_IMAGE + 2 * 64 * 1024);
}

static void
test_cap_content_length (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/big.json");
  gsize size = BW_FETCH_MAX_DOCUMENT + 1;
  g_autofree char *body = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  memset (body, ' ', size);
  bytes = g_bytes_new (body, size);
  bw_test_issuer_add (f->issuer, 0, "/big.json", "application/json", bytes);

  /* The announced length is enough to refuse without reading. */
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_TOO_LARGE);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), ==, 0);

  /* As an image it fits. */
  g_clear_error (&error);
  result = fetch (f->fetcher, url, BW_FETCH_IMAGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, size);
}

static void
test_timeout_drip (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/drip.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;
  gint64 start;

  bw_test_issuer_set_fault (f->issuer, 0, "/drip.json", BW_TEST_FAULT_SLOW_DRIP);
  bw_fetcher_set_timeout (f->fetcher, 1);
  start = g_get_monotonic_time ();
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_TIMEOUT);
  /* The drip lasts a minute; the fetch must end near its 1 s bound. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), >, 0);
}

static void
test_timeout_request (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  /* The overall bound is generous; the per-request one is not. */
  bw_test_issuer_set_delay (f->issuer, 5000);
  bw_fetcher_set_timeout (f->fetcher, 30);
  bw_fetcher_set_request_timeout (f->fetcher, 1);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_TIMEOUT);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/cut.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_test_issuer_set_fault (f->issuer, 0, "/cut.json", BW_TEST_FAULT_TRUNCATED);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_NETWORK);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  /* A port that was free a moment ago, with nothing listening on it. */
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/doc.json",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_NETWORK);
}

static void
test_statuses (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *gone = url_on (f, 0, "/gone.json");
  g_autofree char *broken = url_on (f, 0, "/broken.json");
  g_autofree char *missing = url_on (f, 0, "/doc.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  bw_test_issuer_add_revoked (f->issuer, 0, "/gone.json", "Issued by mistake");
  bw_test_issuer_set_fault (f->issuer, 0, "/broken.json", BW_TEST_FAULT_ERROR_500);
  bw_test_issuer_set_fault (f->issuer, 0, "/doc.json", BW_TEST_FAULT_NOT_FOUND);

  result = fetch (f->fetcher, gone, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 410);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (result->body, NULL),
                                             g_bytes_get_size (result->body), &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (object, "revoked"));
  g_assert_cmpstr (json_object_get_string_member (object, "revocationReason"), ==, "Issued by mistake");
  g_clear_pointer (&result, bw_fetch_result_free);

  result = fetch (f->fetcher, broken, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 500);
  g_clear_pointer (&result, bw_fetch_result_free);

  result = fetch (f->fetcher, missing, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 404);
}

/* Without caching headers the document is kept but revalidated: the
 * second fetch is a conditional request answered 304, no body sent. */
static void
test_cache_etag (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autofree char *condition = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) first = NULL;
  g_autoptr(BwFetchResult) second = NULL;
  guint64 bytes;

  first = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  bytes = bw_fetcher_get_bytes_received (f->fetcher);
  g_assert_cmpuint (bytes, ==, strlen (DOC));

  second = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_true (g_bytes_equal (first->body, second->body));
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 2);
  condition = bw_test_issuer_dup_last_request_header (f->issuer, "/doc.json", "If-None-Match");
  g_assert_nonnull (condition);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), ==, bytes);
}

/* The same with only Last-Modified to go by. */
static void
test_cache_last_modified (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/dated.json");
  g_autofree char *since = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) first = NULL;
  g_autoptr(BwFetchResult) second = NULL;
  guint64 bytes;

  bw_test_issuer_add_json (f->issuer, 0, "/dated.json", DOC);
  bw_test_issuer_set_etag (f->issuer, 0, "/dated.json", FALSE);
  first = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  bytes = bw_fetcher_get_bytes_received (f->fetcher);

  second = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_true (g_bytes_equal (first->body, second->body));
  since = bw_test_issuer_dup_last_request_header (f->issuer, "/dated.json", "If-Modified-Since");
  etag = bw_test_issuer_dup_last_request_header (f->issuer, "/dated.json", "If-None-Match");
  g_assert_nonnull (since);
  g_assert_null (etag);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/dated.json"), ==, 2);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), ==, bytes);
}

static void
test_cache_max_age (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *fresh = url_on (f, 0, "/fresh.json");
  g_autofree char *revalidate = url_on (f, 0, "/revalidate.json");
  g_autofree char *never = url_on (f, 0, "/never.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;
  guint64 bytes;

  bw_test_issuer_add_json (f->issuer, 0, "/fresh.json", DOC);
  bw_test_issuer_set_header (f->issuer, 0, "/fresh.json", "Cache-Control", "public, max-age=600");
  bw_test_issuer_add_json (f->issuer, 0, "/revalidate.json", DOC);
  bw_test_issuer_set_header (f->issuer, 0, "/revalidate.json", "Cache-Control", "max-age=600, no-cache");
  bw_test_issuer_add_json (f->issuer, 0, "/never.json", DOC);
  bw_test_issuer_set_header (f->issuer, 0, "/never.json", "Cache-Control", "no-store");

  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&result, bw_fetch_result_free);
      result = fetch (f->fetcher, fresh, BW_FETCH_DOCUMENT, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result->from_cache, ==, i == 1);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/fresh.json"), ==, 1);

  /* no-cache: kept, but asked again every time. */
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&result, bw_fetch_result_free);
      result = fetch (f->fetcher, revalidate, BW_FETCH_DOCUMENT, &error);
      g_assert_no_error (error);
      g_assert_false (result->from_cache);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/revalidate.json"), ==, 2);

  /* no-store: fetched in full both times. */
  bytes = bw_fetcher_get_bytes_received (f->fetcher);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&result, bw_fetch_result_free);
      result = fetch (f->fetcher, never, BW_FETCH_DOCUMENT, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/never.json"), ==, 2);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), ==, bytes + 2 * strlen (DOC));
}

/* A second fetcher (a later run) reads the first one's disk cache, and
 * offline serves it without asking the network. */
static void
test_cache_disk_offline (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autofree char *other = url_on (f, 0, "/other.json");
  g_autofree char *cache_dir = g_build_filename (f->tmpdir, "documents", NULL);
  g_autoptr(BwFetcher) later = bw_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;
  GStatBuf st;

  bw_fetcher_set_cache_dir (f->fetcher, cache_dir);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  while (bw_fetcher_get_pending_writes (f->fetcher) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_stat (cache_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  bw_fetcher_set_cache_dir (later, cache_dir);
  bw_fetcher_set_offline (later, TRUE);
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (later, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_true (result->from_cache);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body), DOC, strlen (DOC));
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 1);

  /* Offline and never fetched: refused, nothing asked. */
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (later, other, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 1);
  g_assert_cmpuint (bw_fetcher_get_request_count (later), ==, 0);
}

/* Returns the one file of @dir whose name ends in @suffix. */
static char *
find_cache_file (const char *dir,
                 const char *suffix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, suffix))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

static void
test_cache_disk_integrity (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autofree char *cache_dir = g_build_filename (f->tmpdir, "documents", NULL);
  g_autofree char *body_path = NULL;
  g_autofree char *altered = g_strdup (DOC);
  g_autoptr(BwFetcher) intact = bw_fetcher_new ();
  g_autoptr(BwFetcher) later = bw_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_fetcher_set_cache_dir (f->fetcher, cache_dir);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  while (bw_fetcher_get_pending_writes (f->fetcher) > 0)
    g_main_context_iteration (NULL, TRUE);

  /* The copy as written is served offline. */
  bw_fetcher_set_cache_dir (intact, cache_dir);
  bw_fetcher_set_offline (intact, TRUE);
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (intact, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_true (result->from_cache);

  /* A body that no longer matches the checksum in its metadata, as after
   * a torn write, is never served: offline, the URL counts as uncached. */
  body_path = find_cache_file (cache_dir, ".body");
  altered[0] = '[';
  g_file_set_contents (body_path, altered, -1, &error);
  g_assert_no_error (error);
  bw_fetcher_set_cache_dir (later, cache_dir);
  bw_fetcher_set_offline (later, TRUE);
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (later, url, BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 1);
}

static void
test_cache_revalidate_disk (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autofree char *cache_dir = g_build_filename (f->tmpdir, "documents", NULL);
  g_autoptr(BwFetcher) later = bw_fetcher_new ();
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  bw_test_issuer_set_header (f->issuer, 0, "/doc.json", "Cache-Control", "no-cache");
  bw_fetcher_set_cache_dir (f->fetcher, cache_dir);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_false (result->from_cache);

  /* The 304 now carries a lifetime: the kept copy takes it, in memory
   * and on disk. */
  bw_test_issuer_set_header (f->issuer, 0, "/doc.json", "Cache-Control", "max-age=600");
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_false (result->from_cache);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   DOC, strlen (DOC));
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 2);
  g_assert_cmpuint (bw_fetcher_get_bytes_received (f->fetcher), ==, strlen (DOC));
  while (bw_fetcher_get_pending_writes (f->fetcher) > 0)
    g_main_context_iteration (NULL, TRUE);

  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_true (result->from_cache);

  /* A later run reads the refreshed entry from disk: fresh, no request,
   * though it could ask the server. */
  bw_fetcher_set_proxy_resolver (later, no_proxy);
  bw_fetcher_set_allow_local (later, TRUE);
  bw_fetcher_set_cache_dir (later, cache_dir);
  g_clear_pointer (&result, bw_fetch_result_free);
  result = fetch (later, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_true (result->from_cache);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   DOC, strlen (DOC));
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 2);
}

static void
test_coalesce (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  Outcome outcomes[20] = { { 0 } };

  /* The delay keeps the first request open while the others arrive. */
  bw_test_issuer_set_delay (f->issuer, 100);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    bw_fetcher_fetch_async (f->fetcher, url, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[i]);
  wait_for (outcomes, G_N_ELEMENTS (outcomes));

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_assert_no_error (outcomes[i].error);
      g_assert_cmpuint (outcomes[i].result->status, ==, 200);
      g_assert_true (g_bytes_equal (outcomes[i].result->body, outcomes[0].result->body));
    }
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 1);
}

/* Fragments name parts of one document: one request serves them all,
 * and each caller gets back the URL it asked for. */
static void
test_fragments (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *plain = url_on (f, 0, "/doc.json");
  g_autofree char *key1 = url_on (f, 0, "/doc.json#key-1");
  g_autofree char *key2 = url_on (f, 0, "/doc.json#key-2");
  Outcome outcomes[3] = { { 0 } };

  bw_test_issuer_set_delay (f->issuer, 50);
  bw_fetcher_fetch_async (f->fetcher, key1, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[0]);
  bw_fetcher_fetch_async (f->fetcher, key2, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[1]);
  bw_fetcher_fetch_async (f->fetcher, plain, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[2]);
  wait_for (outcomes, G_N_ELEMENTS (outcomes));

  g_assert_no_error (outcomes[0].error);
  g_assert_no_error (outcomes[1].error);
  g_assert_no_error (outcomes[2].error);
  g_assert_cmpstr (outcomes[0].result->url, ==, key1);
  g_assert_cmpstr (outcomes[1].result->url, ==, key2);
  g_assert_cmpstr (outcomes[2].result->url, ==, plain);
  g_assert_cmpstr (outcomes[0].result->final_url, ==, plain);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
}

/* One caller giving up does not end the fetch for the others. */
static void
test_cancel_one (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = url_on (f, 0, "/doc.json");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  Outcome outcomes[3] = { { 0 } };
  Outcome early = { 0 };

  bw_test_issuer_set_delay (f->issuer, 200);
  bw_fetcher_fetch_async (f->fetcher, url, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[0]);
  bw_fetcher_fetch_async (f->fetcher, url, BW_FETCH_DOCUMENT, cancellable, on_fetched, &outcomes[1]);
  bw_fetcher_fetch_async (f->fetcher, url, BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[2]);
  g_cancellable_cancel (cancellable);

  g_cancellable_cancel (cancelled);
  bw_fetcher_fetch_async (f->fetcher, url, BW_FETCH_DOCUMENT, cancelled, on_fetched, &early);

  wait_for (outcomes, G_N_ELEMENTS (outcomes));
  wait_for (&early, 1);
  g_assert_no_error (outcomes[0].error);
  g_assert_error (outcomes[1].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (outcomes[2].error);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
  outcome_clear (&early);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);

  /* Everyone giving up ends the request. */
  {
    g_autoptr(GCancellable) all = g_cancellable_new ();
    g_autofree char *slow = url_on (f, 0, "/slow.json");
    Outcome lone = { 0 };

    bw_test_issuer_set_fault (f->issuer, 0, "/slow.json", BW_TEST_FAULT_SLOW_DRIP);
    bw_fetcher_fetch_async (f->fetcher, slow, BW_FETCH_DOCUMENT, all, on_fetched, &lone);
    g_cancellable_cancel (all);
    wait_for (&lone, 1);
    g_assert_error (lone.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    outcome_clear (&lone);
  }
}

static void
test_per_host_limit (Fixture       *f,
                     gconstpointer  data)
{
  Outcome outcomes[8] = { { 0 } };
  char *urls[8] = { NULL };

  bw_test_issuer_set_delay (f->issuer, 150);
  bw_fetcher_set_max_per_host (f->fetcher, 2);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/doc-%u.json", i);

      bw_test_issuer_add_json (f->issuer, 0, path, DOC);
      urls[i] = url_on (f, 0, path);
      bw_fetcher_fetch_async (f->fetcher, urls[i], BW_FETCH_DOCUMENT, NULL, on_fetched, &outcomes[i]);
    }
  wait_for (outcomes, G_N_ELEMENTS (outcomes));

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_assert_no_error (outcomes[i].error);
      g_assert_cmpuint (outcomes[i].result->status, ==, 200);
      outcome_clear (&outcomes[i]);
      g_free (urls[i]);
    }
  /* Two at a time: never more, and the queue did run in parallel, on
   * the same two connections throughout. */
  g_assert_cmpuint (bw_test_issuer_get_max_concurrent (f->issuer), ==, 2);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 8);
  g_assert_cmpuint (bw_test_issuer_get_connection_count (f->issuer), ==, 2);
}

static void
test_url_map (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *target = url_on (f, 0, "/");
  g_autofree char *mapping = g_strconcat ("https://issuer.example/=", target, NULL);
  g_autofree char *mapped = NULL;
  g_autofree char *absolute = url_on (f, 0, "/doc.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  g_assert_true (bw_fetcher_add_url_map (f->fetcher, mapping, &error));
  g_assert_no_error (error);
  mapped = bw_fetcher_map_url (f->fetcher, "https://issuer.example/badges/1.json");
  {
    g_autofree char *expected = g_strconcat (target, "badges/1.json", NULL);
    g_autofree char *untouched = bw_fetcher_map_url (f->fetcher, "https://elsewhere.example/x");

    g_assert_cmpstr (mapped, ==, expected);
    g_assert_cmpstr (untouched, ==, "https://elsewhere.example/x");
  }

  /* The mapped URL is what is requested; the result speaks of the
   * original, which is https, so not insecure. */
  result = fetch (f->fetcher, "https://issuer.example/doc.json", BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->url, ==, "https://issuer.example/doc.json");
  g_assert_cmpstr (result->final_url, ==, "https://issuer.example/doc.json");
  g_assert_false (result->insecure);
  g_clear_pointer (&result, bw_fetch_result_free);

  /* A redirect to the absolute local URL is named back in the original
   * space, and is mapped again. */
  bw_test_issuer_add_redirect (f->issuer, 0, "/moved.json", 301, absolute);
  result = fetch (f->fetcher, "https://issuer.example/moved.json", BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->final_url, ==, "https://issuer.example/doc.json");
  g_clear_pointer (&result, bw_fetch_result_free);

  /* A map target on loopback still needs allow-local. */
  bw_test_issuer_reset_counts (f->issuer);
  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  result = fetch (f->fetcher, "https://issuer.example/other.json", BW_FETCH_DOCUMENT, &error);
  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 0);
}

static void
test_url_map_parse (void)
{
  g_autoptr(BwFetcher) fetcher = bw_fetcher_new ();
  static const char *bad[] = {
    "nonsense", "https://a.example/", "=http://127.0.0.1/", "https://a.example/=",
    "ftp://a.example/=http://127.0.0.1/", "https://a.example/=file:///tmp/",
  };
  g_autofree char *longest = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (bw_fetcher_add_url_map (fetcher, bad[i], &local_error));
      g_assert_error (local_error, BW_ERROR, BW_ERROR_MALFORMED);
    }

  g_assert_true (bw_fetcher_add_url_map (fetcher, "https://a.example/=http://127.0.0.1:1/", &error));
  g_assert_true (bw_fetcher_add_url_map (fetcher, "https://a.example/keys/=http://127.0.0.2:2/k/", &error));
  g_assert_true (bw_fetcher_add_url_map (fetcher, "https://q.example/?a=b=http://127.0.0.1:3/", &error));
  g_assert_no_error (error);

  longest = bw_fetcher_map_url (fetcher, "https://a.example/keys/1.json");
  g_assert_cmpstr (longest, ==, "http://127.0.0.2:2/k/1.json");
  query = bw_fetcher_map_url (fetcher, "https://q.example/?a=b&c");
  g_assert_cmpstr (query, ==, "http://127.0.0.1:3/&c");
}

/* A resolver whose answer for rebind.test changes: first a public
 * address, then loopback, as a hostile DNS server would answer. Nothing
 * ever connects to the public address: the fetcher only checks it. */
typedef struct
{
  GResolver    parent_instance;
  guint        calls;
  const char **answers;   /* one per call, the last one repeated */
} TestResolver;

typedef struct
{
  GResolverClass parent_class;
} TestResolverClass;

static GType test_resolver_get_type (void);
G_DEFINE_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResolver, g_object_unref)

static GList *
test_resolver_answer (TestResolver              *self,
                      const char                *hostname,
                      GResolverNameLookupFlags   flags,
                      GError                   **error)
{
  guint n;

  if (g_strcmp0 (hostname, "rebind.test") != 0 || (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY) != 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such host %s", hostname);
      return NULL;
    }
  self->calls++;
  for (n = 0; self->answers[n + 1] != NULL && n + 1 < self->calls; n++)
    ;
  return g_list_prepend (NULL, g_inet_address_new_from_string (self->answers[n]));
}

static GList *
test_resolver_lookup_by_name (GResolver     *resolver,
                              const char    *hostname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return test_resolver_answer ((TestResolver *)resolver, hostname, 0, error);
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                         const char                *hostname,
                                         GResolverNameLookupFlags   flags,
                                         GCancellable              *cancellable,
                                         GError                   **error)
{
  return test_resolver_answer ((TestResolver *)resolver, hostname, flags, error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                 *resolver,
                                               const char                *hostname,
                                               GResolverNameLookupFlags   flags,
                                               GCancellable              *cancellable,
                                               GAsyncReadyCallback        callback,
                                               gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *answer = test_resolver_answer ((TestResolver *)resolver, hostname, flags, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify)g_resolver_free_addresses);
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname, 0, cancellable, callback, user_data);
}

static GList *
test_resolver_lookup_finish (GResolver     *resolver,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static const char *rebinding_answers[] = { "203.0.113.7", "127.0.0.1", NULL };

static void
test_resolver_init (TestResolver *self)
{
  self->answers = rebinding_answers;
}

static void
test_rebinding (Fixture       *f,
                gconstpointer  data)
{
  const char *port = strrchr (bw_test_issuer_get_url (f->issuer, 0), ':') + 1;
  g_autofree char *url = g_strdup_printf ("http://rebind.test:%s/doc.json", port);
  g_autoptr(GResolver) original = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_resolver_set_default (original);

  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  /* The first answer passed the check; the connection made on the
   * second was cut before the request. */
  g_assert_cmpuint (resolver->calls, >=, 2);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, NULL), ==, 0);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 0);
}

/* A connection opened while local addresses were allowed is not reused
 * once they are not: the name first resolves to loopback (allowed), then
 * to a public address for the policy check, and the request must not
 * ride the old connection to loopback. */
static void
test_reused_connection (Fixture       *f,
                        gconstpointer  data)
{
  static const char *answers[] = { "127.0.0.1", "203.0.113.7", "127.0.0.1", NULL };
  const char *port = strrchr (bw_test_issuer_get_url (f->issuer, 0), ':') + 1;
  g_autofree char *url = g_strdup_printf ("http://rebind.test:%s/doc.json", port);
  g_autoptr(GResolver) original = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  resolver->answers = answers;
  g_resolver_set_default (G_RESOLVER (resolver));
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_clear_pointer (&result, bw_fetch_result_free);

  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_resolver_set_default (original);

  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_POLICY);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);
}

/* A name that does not resolve is a network failure, not a policy one. */
static void
test_unresolvable (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GResolver) original = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  result = fetch (f->fetcher, "https://nowhere.test/badge.json", BW_FETCH_DOCUMENT, &error);
  g_resolver_set_default (original);

  g_assert_null (result);
  g_assert_error (error, BW_ERROR, BW_ERROR_NETWORK);
  g_assert_cmpuint (bw_fetcher_get_request_count (f->fetcher), ==, 0);
}

/* Through a proxy (here the test issuer itself, which answers absolute
 * request URIs) the target name is checked, and the connection to the
 * proxy on loopback is not mistaken for a local target. */
static void
test_proxy (Fixture       *f,
            gconstpointer  data)
{
  const char *port = strrchr (bw_test_issuer_get_url (f->issuer, 0), ':') + 1;
  g_autofree char *url = g_strdup_printf ("http://rebind.test:%s/doc.json", port);
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new (bw_test_issuer_get_url (f->issuer, 0), NULL);
  g_autoptr(GResolver) original = g_resolver_get_default ();
  g_autoptr(TestResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwFetchResult) result = NULL;

  g_resolver_set_default (G_RESOLVER (resolver));
  bw_fetcher_set_proxy_resolver (f->fetcher, proxy);
  bw_fetcher_set_allow_local (f->fetcher, FALSE);
  result = fetch (f->fetcher, url, BW_FETCH_DOCUMENT, &error);
  g_resolver_set_default (original);

  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpuint (resolver->calls, ==, 1);
  g_assert_cmpuint (bw_test_issuer_get_request_count (f->issuer, "/doc.json"), ==, 1);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/fetcher/basic", test_basic);
  ADD ("/fetcher/policy/scheme", test_policy_scheme);
  ADD ("/fetcher/policy/local", test_policy_local);
  g_test_add_func ("/fetcher/policy/addresses", test_policy_addresses);
  ADD ("/fetcher/policy/rebinding", test_rebinding);
  ADD ("/fetcher/policy/proxy", test_proxy);
  ADD ("/fetcher/unresolvable", test_unresolvable);
  ADD ("/fetcher/policy/reused-connection", test_reused_connection);
  ADD ("/fetcher/redirect/cap", test_redirect_cap);
  ADD ("/fetcher/redirect/chain", test_redirect_chain);
  ADD ("/fetcher/redirect/policy", test_redirect_policy);
  ADD ("/fetcher/cap/streamed", test_cap_streamed);
  ADD ("/fetcher/cap/content-length", test_cap_content_length);
  ADD ("/fetcher/timeout/drip", test_timeout_drip);
  ADD ("/fetcher/timeout/request", test_timeout_request);
  ADD ("/fetcher/truncated", test_truncated);
  ADD ("/fetcher/unreachable", test_unreachable);
  ADD ("/fetcher/statuses", test_statuses);
  ADD ("/fetcher/cache/etag", test_cache_etag);
  ADD ("/fetcher/cache/max-age", test_cache_max_age);
  ADD ("/fetcher/cache/last-modified", test_cache_last_modified);
  ADD ("/fetcher/cache/disk-offline", test_cache_disk_offline);
  ADD ("/fetcher/cache/disk-integrity", test_cache_disk_integrity);
  ADD ("/fetcher/cache/revalidate-disk", test_cache_revalidate_disk);
  ADD ("/fetcher/coalesce", test_coalesce);
  ADD ("/fetcher/cancel", test_cancel_one);
  ADD ("/fetcher/fragments", test_fragments);
  ADD ("/fetcher/per-host-limit", test_per_host_limit);
  ADD ("/fetcher/url-map", test_url_map);
  g_test_add_func ("/fetcher/url-map-parse", test_url_map_parse);

  return g_test_run ();
}
