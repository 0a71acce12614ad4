/* bw-test-issuer.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-test-issuer"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bw-test-issuer.h"

#define N_ORIGINS         2
#define DRIP_INTERVAL_MS  100
#define DRIP_TICKS        600
#define LAST_MODIFIED     "Mon, 02 Mar 2026 10:00:00 GMT"

typedef struct
{
  char        *content_type;
  GBytes      *body;
  BwTestFault  fault;
  guint        redirect_status;
  char        *location;
  GPtrArray   *headers;   /* name, value, name, value, ... */
  gboolean     no_etag;
} Route;

typedef struct
{
  char *prefix;
  char *dir;
} Mount;

typedef struct
{
  BwTestIssuer *issuer;
  guint         index;
} Origin;

/* What to answer, decided under the lock and carried out later, possibly
 * after the configured delay. */
typedef struct
{
  BwTestIssuer      *issuer;
  SoupServerMessage *msg;
  Route             *route;       /* a private copy, or NULL for 404 */
  char              *path;
  guint              hop;
  GSource           *source;
  gulong             finished_id;
  guint              drip_left;
} Reply;

struct _BwTestIssuer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *servers[N_ORIGINS];
  char         *urls[N_ORIGINS];
  Origin        origins[N_ORIGINS];
  guint         first_port;

  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *start_error;

  /* Guarded by mutex. */
  GHashTable   *routes;     /* "origin path" → Route */
  GPtrArray    *mounts;
  GHashTable   *counts;     /* path → count */
  GHashTable   *last_headers; /* path → (lower-case name → value) */
  GHashTable   *connections;  /* "address port" of each client connection */
  guint         total;
  guint         delay_ms;
  guint         active;
  guint         max_active;

  /* Server thread only. */
  GBytes       *oversized;
  GList        *replies;
};

static void
route_free (Route *route)
{
  if (route == NULL)
    return;
  g_free (route->content_type);
  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->location);
  g_clear_pointer (&route->headers, g_ptr_array_unref);
  g_free (route);
}

static Route *
route_copy (const Route *route)
{
  Route *copy = g_new0 (Route, 1);

  copy->content_type = g_strdup (route->content_type);
  copy->body = route->body != NULL ? g_bytes_ref (route->body) : NULL;
  copy->fault = route->fault;
  copy->redirect_status = route->redirect_status;
  copy->location = g_strdup (route->location);
  copy->no_etag = route->no_etag;
  copy->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; route->headers != NULL && i < route->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (route->headers, i)));
  return copy;
}

static void
mount_free (Mount *mount)
{
  g_free (mount->prefix);
  g_free (mount->dir);
  g_free (mount);
}

static char *
route_key (guint       origin,
           const char *path)
{
  return g_strdup_printf ("%u %s", origin, path);
}

/* Returns the route for @path, creating an empty one. Called locked. */
static Route *
ensure_route (BwTestIssuer *self,
              guint         origin,
              const char   *path)
{
  g_autofree char *key = route_key (origin, path);
  Route *route = g_hash_table_lookup (self->routes, key);

  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->headers = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->routes, g_steal_pointer (&key), route);
    }
  return route;
}

static const char *
guess_content_type (const char *path)
{
  if (g_str_has_suffix (path, ".json"))
    return "application/json";
  if (g_str_has_suffix (path, ".jsonld"))
    return "application/ld+json";
  if (g_str_has_suffix (path, ".png"))
    return "image/png";
  if (g_str_has_suffix (path, ".svg"))
    return "image/svg+xml";
  if (g_str_has_suffix (path, ".html"))
    return "text/html";
  if (g_str_has_suffix (path, ".jwt") || g_str_has_suffix (path, ".jws"))
    return "application/jwt";
  return "application/octet-stream";
}

/* Maps a request path onto a file of a served directory; NULL when the
 * path is outside every mount or tries to climb out of it. */
static Route *
route_from_mounts (BwTestIssuer *self,
                   const char   *path)
{
  for (guint i = 0; i < self->mounts->len; i++)
    {
      Mount *mount = g_ptr_array_index (self->mounts, i);
      g_autofree char *rest = NULL;
      g_autofree char *file = NULL;
      g_auto(GStrv) parts = NULL;
      char *contents = NULL;
      gsize length = 0;
      Route *route;

      if (!g_str_has_prefix (path, mount->prefix))
        continue;
      /* SoupServer hands over the path already percent-decoded. */
      rest = g_strdup (path + strlen (mount->prefix));
      parts = g_strsplit (rest, "/", -1);
      for (guint j = 0; parts[j] != NULL; j++)
        if (strcmp (parts[j], "..") == 0)
          return NULL;
      file = g_build_filename (mount->dir, rest, NULL);
      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!g_file_get_contents (file, &contents, &length, NULL))
        continue;
      route = g_new0 (Route, 1);
      route->headers = g_ptr_array_new_with_free_func (g_free);
      route->content_type = g_strdup (guess_content_type (file));
      route->body = g_bytes_new_take (contents, length);
      return route;
    }
  return NULL;
}

static void
reply_free (Reply *reply)
{
  if (reply->source != NULL)
    {
      g_source_destroy (reply->source);
      g_source_unref (reply->source);
    }
  if (reply->finished_id != 0)
    g_signal_handler_disconnect (reply->msg, reply->finished_id);
  g_clear_object (&reply->msg);
  route_free (reply->route);
  g_free (reply->path);
  g_free (reply);
}

static void
reply_done (Reply *reply)
{
  BwTestIssuer *self = reply->issuer;

  self->replies = g_list_remove (self->replies, reply);
  reply_free (reply);
}

/* The request is over (answered, or the client went away): nothing is
 * left to write, so a pending delay or drip goes with it. */
static void
on_message_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Reply *reply = user_data;
  BwTestIssuer *self = reply->issuer;

  g_mutex_lock (&self->mutex);
  if (self->active > 0)
    self->active--;
  g_mutex_unlock (&self->mutex);

  g_signal_handler_disconnect (msg, reply->finished_id);
  reply->finished_id = 0;
  reply_done (reply);
}

static void
set_body (SoupServerMessage *msg,
          const char        *content_type,
          GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *response = soup_server_message_get_response_body (msg);

  soup_message_headers_set_content_type (headers, content_type, NULL);
  if (body != NULL)
    soup_message_body_append_bytes (response, body);
  soup_message_body_complete (response);
}

static gboolean
drip_tick (gpointer user_data)
{
  Reply *reply = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (reply->msg);

  if (reply->drip_left == 0)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"}", 2);
      soup_message_body_complete (body);
      soup_server_message_unpause (reply->msg);
      g_source_unref (reply->source);
      reply->source = NULL;
      return G_SOURCE_REMOVE;
    }

  reply->drip_left--;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "drip", 4);
  soup_server_message_unpause (reply->msg);
  return G_SOURCE_CONTINUE;
}

static void
start_drip (Reply *reply)
{
  SoupServerMessage *msg = reply->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"drip\": \"", 10);
  reply->drip_left = DRIP_TICKS;
  reply->source = g_timeout_source_new (DRIP_INTERVAL_MS);
  g_source_set_callback (reply->source, drip_tick, reply, NULL);
  g_source_attach (reply->source, reply->issuer->context);
}

/* Sends headers that promise more than the body holds, then hangs up.
 * SoupServer always completes what it promised, so the connection is
 * taken over and written by hand. */
static void
send_truncated (Reply *reply)
{
  BwTestIssuer *self = reply->issuer;
  g_autoptr(SoupServerMessage) msg = g_object_ref (reply->msg);
  g_autoptr(GIOStream) stream = NULL;
  static const char response[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 4096\r\n"
    "Connection: close\r\n"
    "\r\n"
    "{\"truncated\": \"this body stops";
  GOutputStream *out;

  if (reply->finished_id != 0)
    {
      g_signal_handler_disconnect (reply->msg, reply->finished_id);
      reply->finished_id = 0;
      g_mutex_lock (&self->mutex);
      if (self->active > 0)
        self->active--;
      g_mutex_unlock (&self->mutex);
    }

  stream = soup_server_message_steal_connection (msg);
  reply_done (reply);
  if (stream == NULL)
    return;

  out = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (out, response, sizeof response - 1, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
truncated_idle (gpointer user_data)
{
  Reply *reply = user_data;

  g_source_unref (reply->source);
  reply->source = NULL;
  send_truncated (reply);
  return G_SOURCE_REMOVE;
}

static GBytes *
get_oversized (BwTestIssuer *self)
{
  if (self->oversized == NULL)
    {
      guint8 *data = g_malloc (BW_TEST_OVERSIZED_BYTES);

      memset (data, ' ', BW_TEST_OVERSIZED_BYTES);
      data[0] = '{';
      data[1] = '}';
      self->oversized = g_bytes_new_take (data, BW_TEST_OVERSIZED_BYTES);
    }
  return self->oversized;
}

static char *
make_etag (GBytes *body)
{
  g_autofree char *sum = NULL;
  gsize size = 0;
  gconstpointer data = "";

  if (body != NULL)
    data = g_bytes_get_data (body, &size);
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return g_strdup_printf ("\"%.16s\"", sum);
}

/* Fills in the response of @reply, or starts the timer or idle that
 * will. Returns FALSE in the second case. */
static gboolean
reply_run (Reply *reply)
{
  SoupServerMessage *msg = reply->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Route *route = reply->route;

  if (route == NULL || route->fault == BW_TEST_FAULT_NOT_FOUND)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      set_body (msg, "text/plain", NULL);
      return TRUE;
    }

  for (guint i = 0; i + 1 < route->headers->len; i += 2)
    soup_message_headers_replace (headers,
                                  g_ptr_array_index (route->headers, i),
                                  g_ptr_array_index (route->headers, i + 1));

  switch (route->fault)
    {
    case BW_TEST_FAULT_GONE:
      soup_server_message_set_status (msg, SOUP_STATUS_GONE, NULL);
      set_body (msg, route->content_type != NULL ? route->content_type : "application/json",
                route->body);
      return TRUE;

    case BW_TEST_FAULT_ERROR_500:
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      set_body (msg, "text/plain", NULL);
      return TRUE;

    case BW_TEST_FAULT_REDIRECT_LOOP:
      {
        g_autofree char *location = g_strdup_printf ("%s?hop=%u", reply->path, reply->hop + 1);

        soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
        return TRUE;
      }

    case BW_TEST_FAULT_SLOW_DRIP:
      start_drip (reply);
      return FALSE;

    case BW_TEST_FAULT_TRUNCATED:
      soup_server_message_pause (msg);
      reply->source = g_idle_source_new ();
      g_source_set_callback (reply->source, truncated_idle, reply, NULL);
      g_source_attach (reply->source, reply->issuer->context);
      return FALSE;

    case BW_TEST_FAULT_OVERSIZED:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      set_body (msg, route->content_type != NULL ? route->content_type : "application/json",
                get_oversized (reply->issuer));
      return TRUE;

    case BW_TEST_FAULT_NONE:
    case BW_TEST_FAULT_NOT_FOUND:
    default:
      break;
    }

  if (route->redirect_status != 0)
    {
      /* The Location goes out as given, relative or not, so that clients
       * resolving relative redirects can be tested. */
      soup_server_message_set_status (msg, route->redirect_status, NULL);
      soup_message_headers_replace (headers, "Location", route->location);
      set_body (msg, "text/plain", NULL);
      return TRUE;
    }

  if (route->body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      set_body (msg, "text/plain", NULL);
      return TRUE;
    }

  {
    SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
    g_autofree char *etag = make_etag (route->body);
    const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
    const char *if_modified_since = soup_message_headers_get_one (request, "If-Modified-Since");
    gboolean unchanged;

    if (!route->no_etag)
      soup_message_headers_replace (headers, "ETag", etag);
    soup_message_headers_replace (headers, "Last-Modified", LAST_MODIFIED);
    /* RFC 9110: If-None-Match, when sent, decides alone. */
    if (if_none_match != NULL)
      unchanged = !route->no_etag && strstr (if_none_match, etag) != NULL;
    else
      unchanged = g_strcmp0 (if_modified_since, LAST_MODIFIED) == 0;
    if (unchanged)
      {
        soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
        return TRUE;
      }
  }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  set_body (msg, route->content_type != NULL ? route->content_type : "application/octet-stream",
            route->body);
  return TRUE;
}

static gboolean
delay_done (gpointer user_data)
{
  Reply *reply = user_data;

  g_source_unref (reply->source);
  reply->source = NULL;
  soup_server_message_unpause (reply->msg);
  reply_run (reply);
  return G_SOURCE_REMOVE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Origin *origin = user_data;
  BwTestIssuer *self = origin->issuer;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = route_key (origin->index, path);
  Reply *reply;
  Route *route;
  guint delay;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  reply = g_new0 (Reply, 1);
  reply->issuer = self;
  reply->msg = g_object_ref (msg);
  reply->path = g_strdup (path);
  if (query != NULL && g_hash_table_lookup (query, "hop") != NULL)
    reply->hop = (guint)g_ascii_strtoull (g_hash_table_lookup (query, "hop"), NULL, 10);

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->counts, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path)) + 1));
  self->total++;
  {
    GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    SoupMessageHeadersIter iter;
    const char *name;
    const char *value;

    soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
    while (soup_message_headers_iter_next (&iter, &name, &value))
      g_hash_table_replace (headers, g_ascii_strdown (name, -1), g_strdup (value));
    g_hash_table_replace (self->last_headers, g_strdup (path), headers);
  }
  {
    GSocketAddress *remote = soup_server_message_get_remote_address (msg);

    if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote))
      {
        GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);
        g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

        g_hash_table_add (self->connections,
                          g_strdup_printf ("%s %u", address, g_inet_socket_address_get_port (inet)));
      }
  }
  self->active++;
  self->max_active = MAX (self->max_active, self->active);
  route = g_hash_table_lookup (self->routes, key);
  if (route == NULL || (route->body == NULL && route->redirect_status == 0))
    reply->route = route_from_mounts (self, path);
  if (reply->route != NULL && route != NULL)
    {
      /* Faults and headers set on a served file still apply. */
      reply->route->fault = route->fault;
      reply->route->no_etag = route->no_etag;
      for (guint i = 0; i < route->headers->len; i++)
        g_ptr_array_add (reply->route->headers, g_strdup (g_ptr_array_index (route->headers, i)));
    }
  else if (route != NULL)
    reply->route = route_copy (route);
  delay = self->delay_ms;
  g_mutex_unlock (&self->mutex);

  reply->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), reply);
  self->replies = g_list_prepend (self->replies, reply);

  if (delay > 0)
    {
      soup_server_message_pause (msg);
      reply->source = g_timeout_source_new (delay);
      g_source_set_callback (reply->source, delay_done, reply, NULL);
      g_source_attach (reply->source, self->context);
      return;
    }

  /* The reply lives on until the "finished" signal, which counts the
   * end of the request. */
  reply_run (reply);
}

static gboolean
signal_ready (gpointer user_data)
{
  BwTestIssuer *self = user_data;

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  return G_SOURCE_REMOVE;
}

static gboolean
start_servers (BwTestIssuer  *self,
               GError       **error)
{
  static const char *addresses[N_ORIGINS] = { "127.0.0.1", "127.0.0.2" };

  for (guint i = 0; i < N_ORIGINS; i++)
    {
      g_autoptr(GSocketAddress) address = NULL;
      GSList *uris;

      self->origins[i].issuer = self;
      self->origins[i].index = i;
      self->servers[i] = soup_server_new ("server-header", "bw-test-issuer ", NULL);
      soup_server_add_handler (self->servers[i], NULL, handle_request, &self->origins[i], NULL);
      address = g_inet_socket_address_new_from_string (addresses[i], i == 0 ? self->first_port : 0);
      if (!soup_server_listen (self->servers[i], address, 0, error))
        {
          g_prefix_error (error, "cannot listen on %s: ", addresses[i]);
          return FALSE;
        }
      uris = soup_server_get_uris (self->servers[i]);
      self->urls[i] = g_strdup_printf ("http://%s:%d", addresses[i], g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
    }
  return TRUE;
}

static gpointer
server_thread (gpointer user_data)
{
  BwTestIssuer *self = user_data;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);

  if (!start_servers (self, &error))
    {
      g_mutex_lock (&self->mutex);
      self->start_error = error;
      self->ready = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);
    }
  else
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      g_source_set_callback (idle, signal_ready, self, NULL);
      g_source_attach (idle, self->context);
      g_main_loop_run (self->loop);
    }

  g_list_free_full (g_steal_pointer (&self->replies), (GDestroyNotify)reply_free);
  for (guint i = 0; i < N_ORIGINS; i++)
    {
      if (self->servers[i] != NULL)
        soup_server_disconnect (self->servers[i]);
      g_clear_object (&self->servers[i]);
    }
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_list_free_full (g_steal_pointer (&self->replies), (GDestroyNotify)reply_free);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * bw_test_issuer_new_on_port:
 * @port: the port of origin 0, or 0 for any free port
 *
 * Returns: (transfer full): a running issuer, or %NULL
 */
BwTestIssuer *
bw_test_issuer_new_on_port (guint    port,
                            GError **error)
{
  BwTestIssuer *self = g_new0 (BwTestIssuer, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->first_port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)route_free);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify)g_hash_table_unref);
  self->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify)mount_free);
  self->thread = g_thread_new ("bw-test-issuer", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      bw_test_issuer_free (self);
      return NULL;
    }
  return self;
}

BwTestIssuer *
bw_test_issuer_new (GError **error)
{
  return bw_test_issuer_new_on_port (0, error);
}

void
bw_test_issuer_free (BwTestIssuer *self)
{
  if (self == NULL)
    return;

  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  for (guint i = 0; i < N_ORIGINS; i++)
    g_free (self->urls[i]);
  g_clear_pointer (&self->oversized, g_bytes_unref);
  g_hash_table_unref (self->routes);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->last_headers);
  g_hash_table_unref (self->connections);
  g_ptr_array_unref (self->mounts);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
bw_test_issuer_get_url (BwTestIssuer *self,
                        guint         origin)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (origin < N_ORIGINS, NULL);

  return self->urls[origin];
}

void
bw_test_issuer_serve_directory (BwTestIssuer *self,
                                const char   *url_prefix_path,
                                const char   *dir)
{
  Mount *mount;

  g_return_if_fail (self != NULL);
  g_return_if_fail (url_prefix_path != NULL && url_prefix_path[0] == '/');
  g_return_if_fail (dir != NULL);

  mount = g_new0 (Mount, 1);
  mount->prefix = g_str_has_suffix (url_prefix_path, "/")
                  ? g_strdup (url_prefix_path)
                  : g_strconcat (url_prefix_path, "/", NULL);
  mount->dir = g_strdup (dir);
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->mounts, mount);
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_add (BwTestIssuer *self,
                    guint         origin,
                    const char   *path,
                    const char   *content_type,
                    GBytes       *body)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (origin < N_ORIGINS);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (body != NULL);

  g_mutex_lock (&self->mutex);
  route = ensure_route (self, origin, path);
  g_free (route->content_type);
  route->content_type = g_strdup (content_type != NULL ? content_type : guess_content_type (path));
  g_clear_pointer (&route->body, g_bytes_unref);
  route->body = g_bytes_ref (body);
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_add_json (BwTestIssuer *self,
                         guint         origin,
                         const char   *path,
                         const char   *json)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (json != NULL);

  body = g_bytes_new (json, strlen (json));
  bw_test_issuer_add (self, origin, path, "application/json", body);
}

void
bw_test_issuer_add_revoked (BwTestIssuer *self,
                            guint         origin,
                            const char   *path,
                            const char   *reason)
{
  g_autoptr(GString) json = g_string_new ("{\"revoked\": true");

  if (reason != NULL)
    {
      g_autofree char *escaped = g_strescape (reason, NULL);

      g_string_append_printf (json, ", \"revocationReason\": \"%s\"", escaped);
    }
  g_string_append (json, "}");
  bw_test_issuer_add_json (self, origin, path, json->str);
  bw_test_issuer_set_fault (self, origin, path, BW_TEST_FAULT_GONE);
}

void
bw_test_issuer_add_redirect (BwTestIssuer *self,
                             guint         origin,
                             const char   *path,
                             guint         status,
                             const char   *location)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (origin < N_ORIGINS);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (status >= 300 && status < 400);
  g_return_if_fail (location != NULL);

  g_mutex_lock (&self->mutex);
  route = ensure_route (self, origin, path);
  route->redirect_status = status;
  g_free (route->location);
  route->location = g_strdup (location);
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_set_header (BwTestIssuer *self,
                           guint         origin,
                           const char   *path,
                           const char   *name,
                           const char   *value)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (origin < N_ORIGINS);
  g_return_if_fail (path != NULL && name != NULL && value != NULL);

  g_mutex_lock (&self->mutex);
  route = ensure_route (self, origin, path);
  g_ptr_array_add (route->headers, g_strdup (name));
  g_ptr_array_add (route->headers, g_strdup (value));
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_set_etag (BwTestIssuer *self,
                         guint         origin,
                         const char   *path,
                         gboolean      send_etag)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (origin < N_ORIGINS);
  g_return_if_fail (path != NULL && path[0] == '/');

  g_mutex_lock (&self->mutex);
  ensure_route (self, origin, path)->no_etag = !send_etag;
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_set_fault (BwTestIssuer *self,
                          guint         origin,
                          const char   *path,
                          BwTestFault   fault)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (origin < N_ORIGINS);
  g_return_if_fail (path != NULL && path[0] == '/');

  g_mutex_lock (&self->mutex);
  ensure_route (self, origin, path)->fault = fault;
  g_mutex_unlock (&self->mutex);
}

void
bw_test_issuer_set_delay (BwTestIssuer *self,
                          guint         milliseconds)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->delay_ms = milliseconds;
  g_mutex_unlock (&self->mutex);
}

guint
bw_test_issuer_get_request_count (BwTestIssuer *self,
                                  const char   *path_or_null)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  if (path_or_null == NULL)
    count = self->total;
  else
    count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path_or_null));
  g_mutex_unlock (&self->mutex);
  return count;
}

guint
bw_test_issuer_get_max_concurrent (BwTestIssuer *self)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  count = self->max_active;
  g_mutex_unlock (&self->mutex);
  return count;
}

void
bw_test_issuer_reset_counts (BwTestIssuer *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_remove_all (self->counts);
  g_hash_table_remove_all (self->connections);
  self->total = 0;
  self->max_active = self->active;
  g_mutex_unlock (&self->mutex);
}

char *
bw_test_issuer_dup_last_request_header (BwTestIssuer *self,
                                        const char   *path,
                                        const char   *name)
{
  g_autofree char *lower = NULL;
  GHashTable *headers;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL && name != NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  g_mutex_lock (&self->mutex);
  headers = g_hash_table_lookup (self->last_headers, path);
  if (headers != NULL)
    value = g_strdup (g_hash_table_lookup (headers, lower));
  g_mutex_unlock (&self->mutex);
  return value;
}

guint
bw_test_issuer_get_connection_count (BwTestIssuer *self)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  count = g_hash_table_size (self->connections);
  g_mutex_unlock (&self->mutex);
  return count;
}
