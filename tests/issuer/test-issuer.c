/* test-issuer.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-issuer"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bw-test-issuer.h"

/* The issuer answers synchronous clients (no main loop here), which is
 * what its own thread is for. */
typedef struct
{
  guint   status;
  GBytes *body;
  char   *content_type;
  char   *etag;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->etag, g_free);
}

static SoupSession *
new_session (void)
{
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);

  return soup_session_new_with_options ("proxy-resolver", no_proxy, "timeout", 10, NULL);
}

static void
get (SoupSession *session,
     const char  *url,
     const char  *if_none_match,
     Answer      *answer)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", if_none_match);
  answer->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  answer->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  answer->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
}

static void
test_routes_and_origins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestIssuer) issuer = bw_test_issuer_new (&error);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  Answer answer = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bw_test_issuer_get_url (issuer, 0), "http://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (bw_test_issuer_get_url (issuer, 1), "http://127.0.0.2:"));
  g_assert_false (g_str_has_suffix (bw_test_issuer_get_url (issuer, 0), "/"));

  bw_test_issuer_add_json (issuer, 0, "/a.json", "{\"origin\": 0}");
  one = g_strconcat (bw_test_issuer_get_url (issuer, 0), "/a.json", NULL);
  two = g_strconcat (bw_test_issuer_get_url (issuer, 1), "/a.json", NULL);

  get (session, one, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (answer.content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (answer.body, NULL), g_bytes_get_size (answer.body), "{\"origin\": 0}", 13);
  g_assert_nonnull (answer.etag);

  /* Conditional requests get 304, with no body. */
  {
    Answer again = { 0 };

    get (session, one, answer.etag, &again);
    g_assert_cmpuint (again.status, ==, 304);
    g_assert_cmpuint (g_bytes_get_size (again.body), ==, 0);
    answer_clear (&again);
  }
  answer_clear (&answer);

  /* Routes belong to one origin. */
  get (session, two, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 404);
  answer_clear (&answer);

  g_assert_cmpuint (bw_test_issuer_get_request_count (issuer, "/a.json"), ==, 3);
  g_assert_cmpuint (bw_test_issuer_get_request_count (issuer, NULL), ==, 3);
  bw_test_issuer_reset_counts (issuer);
  g_assert_cmpuint (bw_test_issuer_get_request_count (issuer, NULL), ==, 0);
}

static void
test_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestIssuer) issuer = bw_test_issuer_new (&error);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *dir = g_dir_make_tmp ("bw-issuer-XXXXXX", &error);
  g_autofree char *sub = g_build_filename (dir, "ob20", NULL);
  g_autofree char *file = g_build_filename (sub, "key 1.json", NULL);
  g_autofree char *outside = g_build_filename (dir, "secret.txt", NULL);
  g_autofree char *served = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *climb = NULL;
  Answer answer = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "{\"key\": 1}", -1, &error));
  g_assert_true (g_file_set_contents (outside, "secret", -1, &error));
  bw_test_issuer_serve_directory (issuer, "/assets", sub);

  served = g_strconcat (bw_test_issuer_get_url (issuer, 1), "/assets/key%201.json", NULL);
  get (session, served, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpstr (answer.content_type, ==, "application/json");
  answer_clear (&answer);

  /* Faults apply to served files too. */
  g_assert_cmpuint (bw_test_issuer_get_request_count (issuer, "/assets/key 1.json"), ==, 1);
  bw_test_issuer_set_fault (issuer, 1, "/assets/key 1.json", BW_TEST_FAULT_ERROR_500);
  get (session, served, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 500);
  answer_clear (&answer);

  /* Nothing outside the directory (libsoup itself refuses some forms
   * with 400, the issuer the rest with 404). */
  escaped = g_strconcat (bw_test_issuer_get_url (issuer, 0), "/assets/%2e%2e/secret.txt", NULL);
  get (session, escaped, NULL, &answer);
  g_assert_cmpuint (answer.status, >=, 400);
  answer_clear (&answer);
  climb = g_strconcat (bw_test_issuer_get_url (issuer, 0), "/assets/..%2fsecret.txt", NULL);
  get (session, climb, NULL, &answer);
  g_assert_cmpuint (answer.status, >=, 400);
  answer_clear (&answer);

  g_unlink (file);
  g_unlink (outside);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_faults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwTestIssuer) issuer = bw_test_issuer_new (&error);
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *base = NULL;
  g_autofree char *revoked = NULL;
  g_autofree char *loop = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *location = NULL;
  Answer answer = { 0 };

  g_assert_no_error (error);
  base = g_strdup (bw_test_issuer_get_url (issuer, 0));
  revoked = g_strconcat (base, "/revoked.json", NULL);
  loop = g_strconcat (base, "/loop", NULL);
  huge = g_strconcat (base, "/huge", NULL);
  moved = g_strconcat (base, "/moved", NULL);

  bw_test_issuer_add_revoked (issuer, 0, "/revoked.json", "Said \"oops\"");
  get (session, revoked, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 410);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object;

    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer.body, NULL),
                                               g_bytes_get_size (answer.body), &error));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_get_boolean_member (object, "revoked"));
    g_assert_cmpstr (json_object_get_string_member (object, "revocationReason"), ==, "Said \"oops\"");
  }
  answer_clear (&answer);

  bw_test_issuer_set_fault (issuer, 0, "/loop", BW_TEST_FAULT_REDIRECT_LOOP);
  get (session, loop, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 302);
  answer_clear (&answer);

  bw_test_issuer_set_fault (issuer, 0, "/huge", BW_TEST_FAULT_OVERSIZED);
  get (session, huge, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (answer.body), ==, BW_TEST_OVERSIZED_BYTES);
  answer_clear (&answer);

  bw_test_issuer_add_redirect (issuer, 0, "/moved", 308, "/elsewhere");
  bw_test_issuer_set_header (issuer, 0, "/moved", "X-Test", "yes");
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", moved);
    g_autoptr(GBytes) body = NULL;

    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
    body = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 308);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                     ==, "/elsewhere");
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Test"),
                     ==, "yes");
  }
  location = bw_test_issuer_dup_last_request_header (issuer, "/moved", "accept");
  g_assert_cmpstr (location, ==, "application/json");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/issuer/routes-and-origins", test_routes_and_origins);
  g_test_add_func ("/issuer/directory", test_directory);
  g_test_add_func ("/issuer/faults", test_faults);

  return g_test_run ();
}
