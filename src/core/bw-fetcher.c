/* bw-fetcher.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-fetcher"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bw-error.h"
#include "bw-fetcher-private.h"

/* How a fetch runs: the URL is checked (http or https only), answered
 * from the documents cache when fresh (or when offline), or joined to a
 * fetch of the same URL already running. Otherwise a job maps the URL
 * (--map-url), checks the host against the address policy (literal
 * addresses, then every address the name resolves to, then the address
 * actually connected to), waits for a per-host slot and sends one GET
 * without automatic redirects. Each redirect is a new hop through the
 * same checks; the body is read in chunks against the cap of its kind.
 * Every outcome goes to all the callers sharing the job. */

#define DEFAULT_TIMEOUT          30
#define DEFAULT_REQUEST_TIMEOUT  15
#define DEFAULT_MAX_PER_HOST     6
#define READ_CHUNK               (64 * 1024)

typedef struct
{
  guint   active;
  GQueue  waiting;   /* BwFetchJob */
} HostSlots;

/* One caller of bw_fetcher_fetch_async(), kept as the task data. */
typedef struct
{
  GTask        *task;   /* not owned: the waiter lives as long as the task */
  BwFetchJob   *job;
  char         *url;        /* as asked */
  char         *resource;   /* without the fragment: what is fetched and cached */
  BwFetchKind   kind;
  GCancellable *cancellable;
  gulong        cancel_id;
} Waiter;

G_DEFINE_FINAL_TYPE (BwFetcher, bw_fetcher, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BwFetchResult, bw_fetch_result, bw_fetch_result_ref_copy, bw_fetch_result_free)

static void job_release_slot (BwFetchJob *job);
static void discard_stream (GInputStream *stream);

/* Results */

/**
 * bw_fetch_result_ref_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy sharing the body bytes
 */
BwFetchResult *
bw_fetch_result_ref_copy (const BwFetchResult *result)
{
  BwFetchResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (BwFetchResult, 1);
  copy->url = g_strdup (result->url);
  copy->final_url = g_strdup (result->final_url);
  copy->status = result->status;
  copy->content_type = g_strdup (result->content_type);
  copy->body = result->body != NULL ? g_bytes_ref (result->body) : NULL;
  copy->from_cache = result->from_cache;
  copy->insecure = result->insecure;
  return copy;
}

void
bw_fetch_result_free (BwFetchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->url);
  g_free (result->final_url);
  g_free (result->content_type);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result);
}

static gsize
cap_for_kind (BwFetchKind kind)
{
  return kind == BW_FETCH_DOCUMENT ? BW_FETCH_MAX_DOCUMENT : BW_FETCH_MAX_IMAGE;
}

/* Jobs */

BwFetchJob *
_bw_fetch_job_ref (BwFetchJob *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
job_clear_hop (BwFetchJob *job)
{
  if (job->hop_source != NULL)
    {
      g_source_destroy (job->hop_source);
      g_clear_pointer (&job->hop_source, g_source_unref);
    }
  if (job->msg != NULL)
    g_signal_handlers_disconnect_by_data (job->msg, job);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_object (&job->session);
  g_clear_pointer (&job->buffer, g_byte_array_unref);
}

void
_bw_fetch_job_unref (BwFetchJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;

  job_clear_hop (job);
  if (job->timeout_source != NULL)
    {
      g_source_destroy (job->timeout_source);
      g_source_unref (job->timeout_source);
    }
  g_clear_object (&job->fetcher);
  g_free (job->key);
  g_free (job->url);
  g_ptr_array_unref (job->waiters);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->stale, _bw_cache_entry_unref);
  g_free (job->policy_message);
  g_free (job->hop_url);
  g_free (job->hop_mapped);
  g_free (job->host_key);
  g_free (job->queued_key);
  g_free (job);
}

static void
waiter_free (Waiter *waiter)
{
  g_free (waiter->url);
  g_free (waiter->resource);
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

static void
waiter_disconnect (Waiter *waiter)
{
  if (waiter->cancel_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancel_id);
  waiter->cancel_id = 0;
  waiter->job = NULL;
}

/* Ends the job: every caller still waiting gets @result (a copy each)
 * or @error. Late callbacks of the job see done and stop. */
static void
job_complete (BwFetchJob    *job,
              BwFetchResult *result,
              const GError  *error)
{
  BwFetcher *self = job->fetcher;
  g_autoptr(GPtrArray) waiters = NULL;

  if (job->done)
    return;
  job->done = TRUE;
  _bw_fetch_job_ref (job);

  if (job->timeout_source != NULL)
    {
      g_source_destroy (job->timeout_source);
      g_clear_pointer (&job->timeout_source, g_source_unref);
    }
  g_cancellable_cancel (job->cancellable);
  job_release_slot (job);
  job_clear_hop (job);

  waiters = g_steal_pointer (&job->waiters);
  job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  /* The table's reference goes with the table entry. */
  if (g_hash_table_lookup (self->jobs, job->key) == job)
    {
      g_hash_table_remove (self->jobs, job->key);
      _bw_fetch_job_unref (job);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter_disconnect (waiter);
      if (result != NULL)
        {
          BwFetchResult *copy = bw_fetch_result_ref_copy (result);

          g_free (copy->url);
          copy->url = g_strdup (waiter->url);
          g_task_return_pointer (task, copy, (GDestroyNotify)bw_fetch_result_free);
        }
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_ptr_array_unref (g_steal_pointer (&waiters));
  _bw_fetch_job_unref (job);
}

void
_bw_fetch_job_fail (BwFetchJob *job,
                    GQuark      domain,
                    int         code,
                    const char *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  job_complete (job, NULL, error);
}

/* Turns what libsoup or GIO reported into the documented BW_ERROR codes. */
void
_bw_fetch_job_fail_with (BwFetchJob   *job,
                         const GError *error)
{
  const char *url = job->hop_url != NULL ? job->hop_url : job->url;

  if (job->done)
    return;
  if (job->policy_message != NULL)
    _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY, "%s", job->policy_message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT,
                        _("Fetching %s timed out: %s"), url, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _bw_fetch_job_fail (job, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
  else if (error->domain == G_RESOLVER_ERROR)
    _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_NETWORK,
                        _("Cannot find the server of %s: %s"), url, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_NETWORK,
                        _("The connection closed before all of %s arrived: %s"),
                        url, error->message);
  else
    _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_NETWORK,
                        _("Cannot fetch %s: %s"), url, error->message);
}

static gboolean
on_job_timeout (gpointer user_data)
{
  BwFetchJob *job = user_data;

  _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT,
                      _("Fetching %s took longer than %u s"), job->url, job->fetcher->timeout);
  return G_SOURCE_REMOVE;
}

static gboolean
on_hop_timeout (gpointer user_data)
{
  BwFetchJob *job = user_data;

  _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_TIMEOUT,
                      _("The request for %s took longer than %u s"),
                      job->hop_url, job->fetcher->request_timeout);
  return G_SOURCE_REMOVE;
}

static void
job_deliver_body (BwFetchJob *job)
{
  BwFetcher *self = job->fetcher;
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BwFetchResult) result = g_new0 (BwFetchResult, 1);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  guint status = soup_message_get_status (job->msg);

  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->buffer));
  result->url = g_strdup (job->url);
  result->final_url = g_strdup (job->hop_url);
  result->status = status;
  result->content_type = content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL;
  result->body = g_bytes_ref (body);
  result->insecure = job->insecure;

  if (status == SOUP_STATUS_OK)
    _bw_fetcher_cache_store (self, job, headers, result->content_type, body);

  job_complete (job, result, NULL);
}

static void
on_body_closed (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  BwFetchJob *job = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (source), res, NULL);
  if (!job->done)
    job_deliver_body (job);
  _bw_fetch_job_unref (job);
}

static void
job_finish_body (BwFetchJob *job)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (job->msg);

  /* libsoup ends the body quietly when the server hangs up early; the
   * announced length tells (unless a content coding changed the size). */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL &&
      (goffset)job->buffer->len < soup_message_headers_get_content_length (headers))
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_NETWORK,
                          _("The connection closed after %u of the %lld bytes of %s"),
                          job->buffer->len,
                          (long long)soup_message_headers_get_content_length (headers),
                          job->hop_url);
      return;
    }

  /* The connection goes back to the pool once the stream is closed; the
   * per-host slot is released only then, so that the next request of the
   * queue reuses it instead of opening another. */
  g_input_stream_close_async (job->stream, G_PRIORITY_DEFAULT, NULL,
                              on_body_closed, _bw_fetch_job_ref (job));
}

static void
on_read (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  BwFetchJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &error);
  gsize size;

  if (job->done)
    goto out;
  if (bytes == NULL)
    {
      _bw_fetch_job_fail_with (job, error);
      goto out;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      job_finish_body (job);
      goto out;
    }

  job->fetcher->bytes_received += size;
  g_byte_array_append (job->buffer, g_bytes_get_data (bytes, NULL), size);
  if (job->buffer->len > job->cap)
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_TOO_LARGE,
                          _("%s is larger than the %zu bytes allowed"), job->hop_url, job->cap);
      goto out;
    }

  g_input_stream_read_bytes_async (job->stream, MIN (READ_CHUNK, job->cap + 1 - job->buffer->len),
                                   G_PRIORITY_DEFAULT, job->cancellable,
                                   on_read, _bw_fetch_job_ref (job));

out:
  _bw_fetch_job_unref (job);
}

static void
on_stream_closed (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), res, NULL);
}

/* Drops a response body nobody will read, without blocking. */
static void
discard_stream (GInputStream *stream)
{
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, NULL);
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
on_sent (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  BwFetchJob *job = user_data;
  BwFetcher *self = job->fetcher;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  SoupMessageHeaders *headers;
  guint status;

  if (job->done)
    {
      if (stream != NULL)
        discard_stream (stream);
      goto out;
    }
  if (stream == NULL)
    {
      _bw_fetch_job_fail_with (job, error);
      goto out;
    }

  status = soup_message_get_status (job->msg);
  headers = soup_message_get_response_headers (job->msg);

  if (is_redirect (status) && soup_message_headers_get_one (headers, "Location") != NULL)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autofree char *absolute = NULL;
      g_autofree char *next = NULL;

      discard_stream (stream);
      job->redirects++;
      if (job->redirects > BW_FETCH_MAX_REDIRECTS)
        {
          _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_HTTP,
                              _("%s redirects more than %d times"),
                              job->url, BW_FETCH_MAX_REDIRECTS);
          goto out;
        }
      absolute = g_uri_resolve_relative (job->hop_mapped, location, SOUP_HTTP_URI_FLAGS, &error);
      if (absolute == NULL)
        {
          _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_HTTP,
                              _("%s redirects to an unusable location “%s”"),
                              job->hop_url, location);
          goto out;
        }
      /* The next hop is named in the caller's URL space, so that maps
       * and the policy apply to it exactly as to the first. */
      next = _bw_fetcher_apply_maps (self, absolute, TRUE);
      job_release_slot (job);
      job_clear_hop (job);
      _bw_fetch_job_begin_hop (job, next);
      goto out;
    }

  if (status == SOUP_STATUS_NOT_MODIFIED && job->stale != NULL)
    {
      g_autoptr(BwFetchResult) result = NULL;

      discard_stream (stream);
      _bw_fetcher_cache_refresh (self, job->stale, headers);
      result = _bw_cache_entry_to_result (job->url, job->stale, FALSE);
      job_complete (job, result, NULL);
      goto out;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset)job->cap)
    {
      discard_stream (stream);
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_TOO_LARGE,
                          _("%s is %lld bytes, more than the %lu allowed"),
                          job->hop_url,
                          (long long)soup_message_headers_get_content_length (headers),
                          (gulong)job->cap);
      goto out;
    }

  job->stream = g_steal_pointer (&stream);
  job->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (job->stream, MIN (READ_CHUNK, job->cap + 1),
                                   G_PRIORITY_DEFAULT, job->cancellable,
                                   on_read, _bw_fetch_job_ref (job));

out:
  _bw_fetch_job_unref (job);
}

static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     user_data)
{
  BwFetchJob *job = user_data;

  job->fetcher->request_count++;
}

static void
job_send (BwFetchJob *job)
{
  BwFetcher *self = job->fetcher;
  SoupMessageHeaders *headers;
  guint seconds;

  job->msg = soup_message_new ("GET", job->hop_mapped);
  if (job->msg == NULL)
    {
      _bw_fetch_job_fail (job, BW_ERROR, BW_ERROR_POLICY,
                          _("%s is not a usable URL"), job->hop_mapped);
      return;
    }
  soup_message_add_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (job->msg);
  switch (job->kind)
    {
    case BW_FETCH_DOCUMENT:
      soup_message_headers_replace (headers, "Accept", "application/ld+json, application/json");
      break;
    case BW_FETCH_IMAGE:
      soup_message_headers_replace (headers, "Accept", "image/png, image/svg+xml, image/*;q=0.8");
      break;
    case BW_FETCH_ANY:
    default:
      soup_message_headers_replace (headers, "Accept",
                                    "application/ld+json, application/json, image/png, image/svg+xml");
      break;
    }
  if (job->stale != NULL && job->redirects == 0)
    _bw_cache_entry_add_conditions (job->stale, headers);

  _bw_fetch_job_watch_connection (job);
  g_signal_connect (job->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), job);

  seconds = self->request_timeout;
  if (seconds > 0)
    {
      job->hop_source = g_timeout_source_new_seconds (seconds);
      g_source_set_callback (job->hop_source, on_hop_timeout, job, NULL);
      g_source_attach (job->hop_source, g_main_context_get_thread_default ());
    }

  g_set_object (&job->session, self->session);
  soup_session_send_async (job->session, job->msg, G_PRIORITY_DEFAULT, job->cancellable,
                           on_sent, _bw_fetch_job_ref (job));
}

static char *
host_key_for (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL)
    return g_strdup (url);
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri));
}

/* Each host gets at most max_per_host requests at once; the rest wait
 * in order. */
void
_bw_fetch_job_acquire_slot (BwFetchJob *job)
{
  BwFetcher *self = job->fetcher;
  g_autofree char *key = host_key_for (job->hop_mapped);
  HostSlots *slots = g_hash_table_lookup (self->hosts, key);

  if (slots == NULL)
    {
      slots = g_new0 (HostSlots, 1);
      g_queue_init (&slots->waiting);
      g_hash_table_insert (self->hosts, g_strdup (key), slots);
    }

  if (slots->active < MAX (self->max_per_host, 1))
    {
      slots->active++;
      job->host_key = g_steal_pointer (&key);
      job_send (job);
      return;
    }

  g_queue_push_tail (&slots->waiting, _bw_fetch_job_ref (job));
  job->queued_key = g_steal_pointer (&key);
}

static void
job_release_slot (BwFetchJob *job)
{
  BwFetcher *self = job->fetcher;
  HostSlots *slots;
  g_autofree char *key = NULL;

  if (job->queued_key != NULL)
    {
      slots = g_hash_table_lookup (self->hosts, job->queued_key);
      if (slots != NULL && g_queue_remove (&slots->waiting, job))
        _bw_fetch_job_unref (job);
      g_clear_pointer (&job->queued_key, g_free);
    }

  if (job->host_key == NULL)
    return;
  key = g_steal_pointer (&job->host_key);
  slots = g_hash_table_lookup (self->hosts, key);
  if (slots == NULL)
    return;
  if (slots->active > 0)
    slots->active--;

  while (slots->active < MAX (self->max_per_host, 1) && !g_queue_is_empty (&slots->waiting))
    {
      BwFetchJob *next = g_queue_pop_head (&slots->waiting);

      g_clear_pointer (&next->queued_key, g_free);
      if (!next->done)
        {
          slots->active++;
          next->host_key = g_strdup (key);
          job_send (next);
        }
      _bw_fetch_job_unref (next);
      /* Sending can end a job at once, which releases its slot here. */
      slots = g_hash_table_lookup (self->hosts, key);
      if (slots == NULL)
        return;
    }

  if (slots->active == 0 && g_queue_is_empty (&slots->waiting))
    g_hash_table_remove (self->hosts, key);
}

/* Callers */

static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  BwFetchJob *job = waiter->job;

  if (job == NULL)
    return G_SOURCE_REMOVE;

  waiter_disconnect (waiter);
  g_ptr_array_remove (job->waiters, task);   /* drops the job's ref */
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled"));
  if (job->waiters->len == 0)
    _bw_fetch_job_fail (job, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The fetch was cancelled"));
  return G_SOURCE_REMOVE;
}

/* Runs in whatever thread cancelled; the work is done in an idle of the
 * task's context, never inside the cancellable's signal. */
static void
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GSource *idle = g_idle_source_new ();

  g_source_set_callback (idle, waiter_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
  g_source_unref (idle);
}

static void
add_waiter (BwFetchJob *job,
            GTask      *task)
{
  Waiter *waiter = g_task_get_task_data (task);

  waiter->job = job;
  g_ptr_array_add (job->waiters, g_object_ref (task));
  if (waiter->cancellable != NULL)
    waiter->cancel_id = g_cancellable_connect (waiter->cancellable,
                                               G_CALLBACK (on_waiter_cancelled), task, NULL);
}

static void
continue_fetch (BwFetcher    *self,
                GTask        *task,
                BwCacheEntry *entry)
{
  Waiter *waiter = g_task_get_task_data (task);
  g_autofree char *key = NULL;
  BwFetchJob *job;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (entry != NULL && g_bytes_get_size (entry->body) > cap_for_kind (waiter->kind))
    entry = NULL;

  if (entry != NULL && (self->offline || _bw_cache_entry_is_fresh (entry)))
    {
      g_task_return_pointer (task, _bw_cache_entry_to_result (waiter->url, entry, TRUE),
                             (GDestroyNotify)bw_fetch_result_free);
      return;
    }

  if (self->offline)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY,
                               _("Offline, and %s is not in the cache"), waiter->url);
      return;
    }

  key = g_strdup_printf ("%d %s", waiter->kind, waiter->resource);
  job = g_hash_table_lookup (self->jobs, key);
  if (job != NULL)
    {
      add_waiter (job, task);
      return;
    }

  job = g_new0 (BwFetchJob, 1);
  job->ref_count = 1;
  job->fetcher = g_object_ref (self);
  job->key = g_steal_pointer (&key);
  job->url = g_strdup (waiter->resource);
  job->kind = waiter->kind;
  job->cap = cap_for_kind (waiter->kind);
  job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  job->cancellable = g_cancellable_new ();
  if (entry != NULL && (entry->etag != NULL || entry->last_modified != NULL))
    job->stale = _bw_cache_entry_ref (entry);
  g_hash_table_insert (self->jobs, job->key, job);
  add_waiter (job, task);

  if (self->timeout > 0)
    {
      job->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (job->timeout_source, on_job_timeout, job, NULL);
      g_source_attach (job->timeout_source, g_main_context_get_thread_default ());
    }

  _bw_fetch_job_begin_hop (job, job->url);
}

static void
on_disk_loaded (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BwFetcher *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);
  g_autoptr(BwCacheEntry) entry = _bw_fetcher_disk_load_finish (self, res);
  BwCacheEntry *current = g_hash_table_lookup (self->cache, waiter->resource);

  /* A fetch that finished meanwhile has the newer copy. */
  if (current != NULL)
    {
      g_clear_pointer (&entry, _bw_cache_entry_unref);
      entry = _bw_cache_entry_ref (current);
    }
  else if (entry != NULL)
    _bw_fetcher_memory_cache_insert (self, entry);

  continue_fetch (self, task, entry);
}

/**
 * bw_fetcher_fetch_async:
 * @self: a fetcher
 * @url: an http or https URL
 * @kind: what is expected, which sets the Accept header and size cap
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches @url under the fetcher's policy; see bw_fetcher_fetch_finish()
 * for the outcomes. Callers asking for the same URL and kind while a
 * fetch runs share it (one request).
 */
void
bw_fetcher_fetch_async (BwFetcher           *self,
                        const char          *url,
                        BwFetchKind          kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  Waiter *waiter;
  BwCacheEntry *entry;
  const char *scheme;

  g_return_if_fail (BW_IS_FETCHER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bw_fetcher_fetch_async);
  waiter = g_new0 (Waiter, 1);
  waiter->task = task;
  waiter->url = g_strdup (url);
  /* A fragment names a part of the document (a key in an issuer
   * profile, say); the document is the same for every fragment. */
  waiter->resource = g_strndup (url, strcspn (url, "#"));
  waiter->kind = kind;
  waiter->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, waiter, (GDestroyNotify)waiter_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY, _("“%s” is not a valid URL"), url);
      return;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_task_return_new_error (task, BW_ERROR, BW_ERROR_POLICY,
                               _("%s uses “%s”; only http and https are allowed"), url, scheme);
      return;
    }

  if (!_bw_fetcher_kind_uses_cache (kind))
    {
      continue_fetch (self, task, NULL);
      return;
    }

  entry = g_hash_table_lookup (self->cache, waiter->resource);
  if (entry != NULL || self->cache_dir == NULL)
    {
      continue_fetch (self, task, entry);
      return;
    }

  _bw_fetcher_disk_load_async (self, waiter->resource, on_disk_loaded, g_object_ref (task));
}

/**
 * bw_fetcher_fetch_finish:
 * @self: a fetcher
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * A response with any status is a result, not an error. Errors:
 * %BW_ERROR_POLICY (scheme, local address, offline and not cached),
 * %BW_ERROR_NETWORK (unreachable, refused, TLS, connection cut short),
 * %BW_ERROR_TIMEOUT (the fetch or one request took too long),
 * %BW_ERROR_TOO_LARGE (the body passed the cap of its kind),
 * %BW_ERROR_HTTP (more than %BW_FETCH_MAX_REDIRECTS redirects, or an
 * unusable redirect), %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
BwFetchResult *
bw_fetcher_fetch_finish (BwFetcher     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Settings */

BwFetcher *
bw_fetcher_new (void)
{
  return g_object_new (BW_TYPE_FETCHER, NULL);
}

static SoupSession *
new_session (BwFetcher *self)
{
  /* libsoup's own per-host limit (2 by default) would hide ours. */
  SoupSession *session = soup_session_new_with_options ("user-agent", "BadgeWallet/" PACKAGE_VERSION " ",
                                                        "max-conns", 64,
                                                        "max-conns-per-host", 32,
                                                        "timeout", self->request_timeout,
                                                        NULL);

  if (self->proxy_resolver != NULL)
    soup_session_set_proxy_resolver (session, self->proxy_resolver);
  return session;
}

/**
 * bw_fetcher_set_allow_local:
 *
 * Allows loopback, private and link-local addresses (for local test
 * issuers); refused by default.
 */
void
bw_fetcher_set_allow_local (BwFetcher *self,
                            gboolean   allow_local)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  /* Idle connections made while local addresses were allowed are not
   * checked again when reused, so they go with the old session; fetches
   * still running on it finish there. */
  if (self->allow_local && !allow_local)
    {
      g_object_unref (self->session);
      self->session = new_session (self);
    }
  self->allow_local = !!allow_local;
}

/**
 * bw_fetcher_set_offline:
 *
 * Offline, fetches are answered only from the cache (even when stale) and
 * fail with %BW_ERROR_POLICY otherwise.
 */
void
bw_fetcher_set_offline (BwFetcher *self,
                        gboolean   offline)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->offline = !!offline;
}

/**
 * bw_fetcher_set_timeout:
 * @seconds: the bound on one whole fetch, redirects and waiting
 *   included; 0 for none
 */
void
bw_fetcher_set_timeout (BwFetcher *self,
                        guint      seconds)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->timeout = seconds;
}

/**
 * bw_fetcher_set_request_timeout:
 * @seconds: the bound on each HTTP request (one hop), and on silence
 *   on the connection; 0 for none
 */
void
bw_fetcher_set_request_timeout (BwFetcher *self,
                                guint      seconds)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->request_timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
bw_fetcher_set_max_per_host (BwFetcher *self,
                             guint      max_per_host)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  self->max_per_host = MAX (max_per_host, 1);
}

/**
 * bw_fetcher_set_proxy_resolver:
 * @resolver: (nullable): the proxy resolver, or %NULL for the system's
 */
void
bw_fetcher_set_proxy_resolver (BwFetcher      *self,
                               GProxyResolver *resolver)
{
  g_return_if_fail (BW_IS_FETCHER (self));

  /* libsoup takes NULL to mean no proxy at all; here it means the
   * system's settings. */
  g_set_object (&self->proxy_resolver, resolver);
  soup_session_set_proxy_resolver (self->session,
                                   resolver != NULL ? resolver : g_proxy_resolver_get_default ());
}

/**
 * bw_fetcher_get_request_count:
 *
 * Returns: how many HTTP requests went out (each redirect hop and each
 *   revalidation counts; answers from the cache do not)
 */
guint
bw_fetcher_get_request_count (BwFetcher *self)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), 0);

  return self->request_count;
}

/**
 * bw_fetcher_get_bytes_received:
 *
 * Returns: the body bytes read from the network so far
 */
guint64
bw_fetcher_get_bytes_received (BwFetcher *self)
{
  g_return_val_if_fail (BW_IS_FETCHER (self), 0);

  return self->bytes_received;
}

static void
host_slots_free (HostSlots *slots)
{
  g_queue_clear_full (&slots->waiting, (GDestroyNotify)_bw_fetch_job_unref);
  g_free (slots);
}

static void
bw_fetcher_dispose (GObject *object)
{
  BwFetcher *self = BW_FETCHER (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->proxy_resolver);

  G_OBJECT_CLASS (bw_fetcher_parent_class)->dispose (object);
}

static void
bw_fetcher_finalize (GObject *object)
{
  BwFetcher *self = BW_FETCHER (object);

  g_free (self->cache_dir);
  g_ptr_array_unref (self->maps);
  g_hash_table_unref (self->cache);
  g_queue_clear_full (&self->cache_order, (GDestroyNotify)_bw_cache_order_free);
  g_hash_table_unref (self->jobs);
  g_hash_table_unref (self->hosts);

  G_OBJECT_CLASS (bw_fetcher_parent_class)->finalize (object);
}

static void
bw_fetcher_class_init (BwFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_fetcher_dispose;
  object_class->finalize = bw_fetcher_finalize;
}

static void
bw_fetcher_init (BwFetcher *self)
{
  /* libsoup's own per-host limit (2 by default) would hide ours. */
  self->timeout = DEFAULT_TIMEOUT;
  self->request_timeout = DEFAULT_REQUEST_TIMEOUT;
  self->session = new_session (self);
  self->max_per_host = DEFAULT_MAX_PER_HOST;
  self->maps = g_ptr_array_new_with_free_func ((GDestroyNotify)_bw_url_map_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)_bw_cache_entry_unref);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)host_slots_free);
}
