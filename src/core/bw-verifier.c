/* bw-verifier.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-verifier"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bw-baked.h"
#include "bw-error.h"
#include "bw-jose.h"
#include "bw-ob2.h"
#include "bw-ob3.h"
#include "bw-util.h"
#include "bw-verifier-private.h"

/* Clock skew tolerated before an issue date counts as "in the future". */
#define FUTURE_SKEW_SECONDS (5 * 60)
/* Documents many badges share (BadgeClass, issuer, key, revocation list,
 * image) are reused for this long by every verification of one verifier,
 * so a batch costs one request per distinct document even when the issuer
 * sends no freshness information and the fetcher would revalidate. The
 * assertion itself is always fetched anew. */
#define SHARED_DOCUMENT_SECONDS 120
#define SHARED_DOCUMENT_MAX     4096

struct _BwVerifier
{
  GObject     parent_instance;

  BwFetcher  *fetcher;
  GPtrArray  *identities;
  GDateTime  *now;
  guint       timeout;
  gboolean    offline;
  GHashTable *shared;
  GHashTable *inflight;
};

typedef struct
{
  BwFetchResult *result;
  gint64         stored_at;
} SharedDocument;

static void
shared_document_free (SharedDocument *doc)
{
  bw_fetch_result_free (doc->result);
  g_free (doc);
}

G_DEFINE_FINAL_TYPE (BwVerifier, bw_verifier, G_TYPE_OBJECT)

static void
verify_job_free (VerifyJob *job)
{
  if (job->timeout_source != NULL)
    {
      g_source_destroy (job->timeout_source);
      g_source_unref (job->timeout_source);
    }
  if (job->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (job->caller_cancellable, job->cancelled_id);
      g_object_unref (job->caller_cancellable);
    }
  g_clear_object (&job->cancellable);
  g_clear_object (&job->report);
  g_clear_object (&job->input_badge);
  g_clear_object (&job->badge);
  g_clear_pointer (&job->jws, bw_jws_free);
  g_clear_pointer (&job->fetch_url, g_free);
  g_clear_pointer (&job->key_urls, g_ptr_array_unref);
  g_clear_pointer (&job->key_failure, g_free);
  g_clear_pointer (&job->document_notes, g_ptr_array_unref);
  g_clear_object (&job->self);
  g_free (job);
}

static void
bw_verifier_dispose (GObject *object)
{
  BwVerifier *self = (BwVerifier *)object;

  g_clear_object (&self->fetcher);

  G_OBJECT_CLASS (bw_verifier_parent_class)->dispose (object);
}

static void
bw_verifier_finalize (GObject *object)
{
  BwVerifier *self = (BwVerifier *)object;

  g_clear_pointer (&self->identities, g_ptr_array_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->shared, g_hash_table_unref);
  g_clear_pointer (&self->inflight, g_hash_table_unref);

  G_OBJECT_CLASS (bw_verifier_parent_class)->finalize (object);
}

static void
bw_verifier_class_init (BwVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bw_verifier_dispose;
  object_class->finalize = bw_verifier_finalize;
}

static void
bw_verifier_init (BwVerifier *self)
{
  self->identities = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_identity_free);
  self->timeout = 30;
  self->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)shared_document_free);
  self->inflight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_ptr_array_unref);
}

/**
 * bw_verifier_new:
 * @fetcher: the fetcher every verification shares (its cache and request
 *   coalescing are what make many badges of one issuer cheap)
 *
 * Returns: (transfer full): a verifier
 */
BwVerifier *
bw_verifier_new (BwFetcher *fetcher)
{
  BwVerifier *self;

  g_return_val_if_fail (BW_IS_FETCHER (fetcher), NULL);

  self = g_object_new (BW_TYPE_VERIFIER, NULL);
  self->fetcher = g_object_ref (fetcher);
  return self;
}

/**
 * bw_verifier_get_fetcher:
 *
 * Returns: (transfer none): the fetcher
 */
BwFetcher *
bw_verifier_get_fetcher (BwVerifier *self)
{
  g_return_val_if_fail (BW_IS_VERIFIER (self), NULL);

  return self->fetcher;
}

/**
 * bw_verifier_add_identity:
 * @identity: an identity the recipient check compares against
 */
void
bw_verifier_add_identity (BwVerifier       *self,
                          const BwIdentity *identity)
{
  g_return_if_fail (BW_IS_VERIFIER (self));
  g_return_if_fail (identity != NULL);

  g_ptr_array_add (self->identities, bw_identity_new (identity->type, identity->value));
}

void
bw_verifier_clear_identities (BwVerifier *self)
{
  g_return_if_fail (BW_IS_VERIFIER (self));

  g_ptr_array_set_size (self->identities, 0);
}

/**
 * bw_verifier_set_timeout:
 * @seconds: the bound on one whole verification; 0 for none
 */
void
bw_verifier_set_timeout (BwVerifier *self,
                         guint       seconds)
{
  g_return_if_fail (BW_IS_VERIFIER (self));

  self->timeout = seconds;
}

/**
 * bw_verifier_set_now:
 * @now: (nullable): the time dates are compared with, or %NULL for the clock
 */
void
bw_verifier_set_now (BwVerifier *self,
                     GDateTime  *now)
{
  g_return_if_fail (BW_IS_VERIFIER (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
}

/**
 * bw_verifier_set_offline:
 * @offline: whether the fetcher works from its cache only
 *
 * Cached copies of the issuer's documents cannot say whether the badge was
 * revoked since they were fetched, so offline a badge they show as valid
 * gets an `offline` check and the verdict unreachable ("cannot be
 * confirmed"). Invalid, revoked and expired stay what they are.
 */
void
bw_verifier_set_offline (BwVerifier *self,
                         gboolean    offline)
{
  g_return_if_fail (BW_IS_VERIFIER (self));

  self->offline = !!offline;
}

static GDateTime *
verifier_dup_now (BwVerifier *self)
{
  if (self->now != NULL)
    return g_date_time_ref (self->now);
  return g_date_time_new_now_utc ();
}

/* Members of untrusted documents may have any type, so every read checks it. */

JsonObject *
_bw_verifier_node_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonObject *
_bw_verifier_object_get_object (JsonObject *object,
                                const char *member)
{
  if (object == NULL)
    return NULL;
  return _bw_verifier_node_object (json_object_get_member (object, member));
}

/* Returns the strings of a member that may be a string, an object with an
 * `id`, or an array of either. */
GPtrArray *
_bw_verifier_object_get_id_list (JsonObject *object,
                                 const char *member)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node;

  if (object == NULL)
    return list;
  node = json_object_get_member (object, member);
  if (node == NULL)
    return list;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *text = NULL;

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            text = json_node_get_string (element);
          else if (JSON_NODE_HOLDS_OBJECT (element))
            text = bw_json_object_get_string (json_node_get_object (element), "id");
          if (text != NULL)
            g_ptr_array_add (list, g_strdup (text));
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_ptr_array_add (list, g_strdup (json_node_get_string (node)));
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *text = bw_json_object_get_string (json_node_get_object (node), "id");

      if (text != NULL)
        g_ptr_array_add (list, g_strdup (text));
    }

  return list;
}

gboolean
_bw_verifier_is_http_url (const char *text)
{
  return text != NULL &&
         (g_ascii_strncasecmp (text, "http://", 7) == 0 ||
          g_ascii_strncasecmp (text, "https://", 8) == 0);
}

/* The authority (host[:port]) of an http(s) URL, lower-cased. */
char *
_bw_verifier_url_authority (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (!_bw_verifier_is_http_url (url))
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  if (g_uri_get_port (uri) > 0)
    {
      g_autofree char *text = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

      return g_ascii_strdown (text, -1);
    }
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

/* Adds a check and records what a failing one means for the verdict. */
void
_bw_verifier_job_check (VerifyJob     *job,
                        const char    *id,
                        BwCheckStatus  status,
                        Outcome        outcome,
                        const char    *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  bw_report_add_check (job->report, id, status, "%s", message);
  job->outcome |= outcome;
}

static BwVerdict
outcome_to_verdict (Outcome outcome)
{
  if (outcome & OUTCOME_INVALID)
    return BW_VERDICT_INVALID;
  if (outcome & OUTCOME_REVOKED)
    return BW_VERDICT_REVOKED;
  if (outcome & OUTCOME_EXPIRED)
    return BW_VERDICT_EXPIRED;
  if (outcome & OUTCOME_UNREACHABLE)
    return BW_VERDICT_UNREACHABLE;
  return BW_VERDICT_VALID;
}

/* Whether a fetch error means the issuer could not be reached (as opposed
 * to reached and answering with something unusable). */
static gboolean
error_is_unreachable (const GError *error)
{
  if (error->domain != BW_ERROR)
    return TRUE;
  switch (error->code)
    {
    case BW_ERROR_TOO_LARGE:
    case BW_ERROR_MALFORMED:
    case BW_ERROR_INVALID_DATA:
      return FALSE;
    default:
      return TRUE;
    }
}

void
_bw_verifier_job_fetch_failed (VerifyJob    *job,
                               const char   *id,
                               const char   *what,
                               const char   *url,
                               const GError *error)
{
  if (error_is_unreachable (error))
    _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                            _("The %s at %s could not be fetched: %s"), what, url, error->message);
  else
    _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The %s at %s is not usable: %s"), what, url, error->message);
}

/* Non-2xx answers: 404 and other client errors say the issuer does not
 * serve the document (invalid); server errors are temporary (unreachable). */
void
_bw_verifier_job_http_failed (VerifyJob  *job,
                              const char *id,
                              const char *what,
                              const char *url,
                              guint       status)
{
  if (status >= 500 || status < 400)
    _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                            _("The issuer’s server answered HTTP %u for the %s at %s"),
                            status, what, url);
  else
    _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The issuer’s server has no %s at %s (HTTP %u)"),
                            what, url, status);
}

JsonNode *
_bw_verifier_parse_body (BwFetchResult  *result,
                         GError        **error)
{
  gsize length = 0;
  const char *data;

  if (result->body == NULL)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED, "empty answer");
      return NULL;
    }
  data = g_bytes_get_data (result->body, &length);
  if (length == 0)
    {
      g_set_error_literal (error, BW_ERROR, BW_ERROR_MALFORMED, "empty answer");
      return NULL;
    }
  return bw_json_parse (data, (gssize)length, error);
}

static void
job_note_transport (VerifyJob     *job,
                    BwFetchResult *result)
{
  if (result->insecure && !job->insecure_warned)
    {
      job->insecure_warned = TRUE;
      _bw_verifier_job_check (job, "transport", BW_CHECK_WARN, OUTCOME_NONE,
                              _("Some documents were fetched over plain http, which does not "
                                "protect them on the way (first: %s)"), result->url);
    }
}

/* The bound on one whole verification cancels whatever is in flight. */

static gboolean
job_timeout_cb (gpointer user_data)
{
  VerifyJob *job = user_data;

  job->timed_out = TRUE;
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GCancellable *own = user_data;

  g_cancellable_cancel (own);
}

/* Returns TRUE when the job ended because of cancellation or time. */
static gboolean
job_handle_cancelled (VerifyJob    *job,
                      const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (job->cancellable))
    return FALSE;

  if (job->timed_out)
    {
      _bw_verifier_job_check (job, "timeout", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                              _("The verification did not finish within %u seconds"),
                              job->self->timeout);
      _bw_verifier_job_finish (job);
    }
  else
    {
      GTask *task = job->task;

      job->task = NULL;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The verification was cancelled"));
      g_object_unref (task);
    }
  return TRUE;
}

/* Every fetch of a job goes through here, so that shared documents are
 * reused and one request serves every verification waiting for it. */

static void
fetch_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data);
static void job_dispatch (VerifyJob     *job,
                          BwFetchResult *result,
                          GError        *error);
static void job_complete_fetch (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);

static char *
shared_key (const char  *url,
            BwFetchKind  kind)
{
  return g_strdup_printf ("%d %s", kind, url);
}

void
_bw_verifier_job_fetch (VerifyJob   *job,
                        const char  *url,
                        BwFetchKind  kind,
                        Phase        phase)
{
  g_free (job->fetch_url);
  job->fetch_url = g_strdup (url);
  job->fetch_kind = kind;
  job->phase = phase;

  if (phase != PHASE_ASSERTION)
    {
      g_autofree char *key = shared_key (url, kind);
      SharedDocument *doc = g_hash_table_lookup (job->self->shared, key);
      gint64 now = g_get_monotonic_time ();
      GPtrArray *waiters;

      if (doc != NULL && now - doc->stored_at < SHARED_DOCUMENT_SECONDS * G_USEC_PER_SEC)
        {
          g_autoptr(BwFetchResult) result = bw_fetch_result_ref_copy (doc->result);

          job_note_transport (job, result);
          job_dispatch (job, result, NULL);
          return;
        }

      /* Another verification is fetching it already: wait for its answer
       * rather than asking again. */
      waiters = g_hash_table_lookup (job->self->inflight, key);
      if (waiters != NULL)
        {
          g_ptr_array_add (waiters, job);
          return;
        }
      g_hash_table_insert (job->self->inflight, g_steal_pointer (&key), g_ptr_array_new ());
    }

  bw_fetcher_fetch_async (job->self->fetcher, url, kind, job->cancellable, fetch_cb, job);
}

static void
job_remember (VerifyJob     *job,
              BwFetchResult *result)
{
  SharedDocument *doc;

  if (job->phase == PHASE_ASSERTION || result->status < 200 || result->status >= 300)
    return;
  if (g_hash_table_size (job->self->shared) >= SHARED_DOCUMENT_MAX)
    g_hash_table_remove_all (job->self->shared);
  doc = g_new0 (SharedDocument, 1);
  doc->result = bw_fetch_result_ref_copy (result);
  doc->stored_at = g_get_monotonic_time ();
  g_hash_table_replace (job->self->shared, shared_key (job->fetch_url, job->fetch_kind), doc);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  VerifyJob *job = user_data;
  g_autoptr(BwFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  result = bw_fetcher_fetch_finish (BW_FETCHER (source), res, &error);

  if (job->phase != PHASE_ASSERTION)
    {
      g_autofree char *key = shared_key (job->fetch_url, job->fetch_kind);
      gpointer stolen_key = NULL;
      gpointer stolen_waiters = NULL;

      if (g_hash_table_steal_extended (job->self->inflight, key, &stolen_key, &stolen_waiters))
        {
          g_free (stolen_key);
          waiters = stolen_waiters;
        }
      if (result != NULL)
        job_remember (job, result);
    }

  /* The waiters first: the leader's own completion may end its job. A
   * leader that was cancelled leaves its waiters to fetch for themselves. */
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      VerifyJob *waiter = g_ptr_array_index (waiters, i);

      if (result == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (waiter->cancellable))
        {
          g_autofree char *url = g_strdup (waiter->fetch_url);

          _bw_verifier_job_fetch (waiter, url, waiter->fetch_kind, waiter->phase);
        }
      else
        {
          g_autoptr(BwFetchResult) copy = result != NULL ? bw_fetch_result_ref_copy (result) : NULL;

          job_complete_fetch (waiter, copy, error);
        }
    }

  job_complete_fetch (job, result, error);
}

static void
job_complete_fetch (VerifyJob     *job,
                    BwFetchResult *result,
                    GError        *error)
{
  if (result == NULL && job_handle_cancelled (job, error))
    return;
  if (result != NULL && g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

      job_handle_cancelled (job, cancelled);
      return;
    }
  if (result != NULL)
    job_note_transport (job, result);
  job_dispatch (job, result, error);
}

static void
job_dispatch (VerifyJob     *job,
              BwFetchResult *result,
              GError        *error)
{
  switch (job->phase)
    {
    case PHASE_ASSERTION:
      _bw_verifier_handle_assertion (job, result, error);
      break;
    case PHASE_RESOLVE:
      _bw_verifier_handle_resolve (job, result, error);
      break;
    case PHASE_KEY:
      _bw_verifier_handle_key (job, result, error);
      break;
    case PHASE_REVOCATION:
      _bw_verifier_handle_revocation (job, result, error);
      break;
    case PHASE_IMAGE:
      _bw_verifier_handle_image (job, result, error);
      break;
    case PHASE_JWT_KEY:
      _bw_verifier_handle_jwt_key (job, result, error);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Dates and the recipient need no network, only the documents. */

void
_bw_verifier_check_dates (VerifyJob *job)
{
  g_autoptr(GDateTime) now = verifier_dup_now (job->self);
  g_autoptr(GDateTime) limit = g_date_time_add_seconds (now, FUTURE_SKEW_SECONDS);
  GDateTime *issued = bw_badge_get_issued (job->badge);
  GDateTime *expires = bw_badge_get_expires (job->badge);
  g_autofree char *issued_text = bw_format_datetime (issued);
  g_autofree char *expires_text = bw_format_datetime (expires);

  if (issued == NULL)
    _bw_verifier_job_check (job, "issued-date", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The badge has no valid issue date"));
  else if (g_date_time_compare (issued, limit) > 0)
    _bw_verifier_job_check (job, "issued-date", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The badge says it was issued on %s, which is in the future"),
                            issued_text);
  else
    _bw_verifier_job_check (job, "issued-date", BW_CHECK_PASS, OUTCOME_NONE,
                            _("Issued on %s"), issued_text);

  if (expires == NULL)
    _bw_verifier_job_check (job, "expiry", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The badge does not expire"));
  else if (issued != NULL && g_date_time_compare (expires, issued) < 0)
    _bw_verifier_job_check (job, "expiry", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The badge expires (%s) before it was issued (%s)"),
                            expires_text, issued_text);
  else if (g_date_time_compare (expires, now) <= 0)
    _bw_verifier_job_check (job, "expiry", BW_CHECK_FAIL, OUTCOME_EXPIRED,
                            _("The badge expired on %s"), expires_text);
  else
    _bw_verifier_job_check (job, "expiry", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The badge is current until %s"), expires_text);
}

static void
check_recipient (VerifyJob *job)
{
  GPtrArray *identities = job->self->identities;
  GPtrArray *recipients = bw_badge_get_recipients (job->badge);
  const BwIdentity *matched = NULL;
  BwRecipientMatch match;

  if (identities->len == 0)
    {
      bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);
      _bw_verifier_job_check (job, "recipient", BW_CHECK_SKIP, OUTCOME_NONE,
                              _("No e-mail or other identity was given, so whom the badge was "
                                "issued to was not checked"));
      return;
    }

  match = recipients != NULL ? bw_identity_match (recipients, identities, &matched)
                             : BW_MATCH_UNKNOWN;
  /* A recipient named only by unconfirmed content proves nothing; one
   * that differs still shows the file is someone else's. */
  if (match == BW_MATCH_MATCH && matched != NULL && !job->confirmed)
    {
      bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);
      _bw_verifier_job_check (job, "recipient", BW_CHECK_WARN, OUTCOME_NONE,
                              _("The file names %s as the recipient, but the issuer did not "
                                "confirm it"),
                              matched->value);
    }
  else if (match == BW_MATCH_MATCH && matched != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s:%s", matched->type, matched->value);

      bw_report_set_recipient (job->report, match, text);
      _bw_verifier_job_check (job, "recipient", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The badge was issued to %s"), matched->value);
    }
  else if (match == BW_MATCH_MISMATCH)
    {
      bw_report_set_recipient (job->report, match, NULL);
      _bw_verifier_job_check (job, "recipient", BW_CHECK_FAIL, OUTCOME_NONE,
                              _("The badge was issued to someone else, not to the identity you "
                                "entered"));
    }
  else
    {
      bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);
      _bw_verifier_job_check (job, "recipient", BW_CHECK_SKIP, OUTCOME_NONE,
                              _("The badge names no recipient of a kind that can be compared "
                                "with what you entered"));
    }
}

/* A job starts from what the payload says and ends by computing the
 * verdict from the outcomes its checks recorded. */

/* The report's `spec` takes the values cli.md lists (1.0 to 3.0): a 0.5
 * assertion is verified as the 1.0 badge it is upgraded to, and keeps
 * "0.5" in the badge object only. */
const char *
_bw_verifier_spec_string (BwSpecVersion spec)
{
  return bw_spec_version_to_string (spec == BW_SPEC_0_5 ? BW_SPEC_1_0 : spec);
}

static void
report_payload (VerifyJob       *job,
                const BwPayload *payload)
{
  g_autoptr(GString) notes = NULL;

  if (payload == NULL)
    {
      _bw_verifier_job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The input is a badge document"));
      return;
    }

  if (payload->format != BW_IMAGE_FORMAT_NONE)
    _bw_verifier_job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The image holds Open Badges data (%s, from %s)"),
                            bw_payload_kind_to_string (payload->kind),
                            bw_payload_source_to_string (payload->source));
  else
    _bw_verifier_job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The input holds Open Badges data (%s)"),
                            bw_payload_kind_to_string (payload->kind));

  if (payload->warnings == NULL || payload->warnings->len == 0)
    return;
  notes = g_string_new (NULL);
  for (guint i = 0; i < payload->warnings->len; i++)
    g_string_append_printf (notes, "%s%s", i > 0 ? "; " : "",
                            (const char *)g_ptr_array_index (payload->warnings, i));
  _bw_verifier_job_check (job, "container", BW_CHECK_WARN, OUTCOME_NONE, "%s", notes->str);
}

void
_bw_verifier_job_start_badge (VerifyJob *job)
{
  BwBadge *badge = job->input_badge;
  BwVerificationKind kind = bw_badge_get_verification (badge);
  const BwPayload *payload = bw_badge_get_payload (badge);
  const char *hosted_url;

  bw_report_set_spec (job->report, _bw_verifier_spec_string (bw_badge_get_spec (badge)));
  bw_report_set_verification (job->report, bw_verification_kind_to_string (kind));
  bw_report_set_badge (job->report, badge);
  g_set_object (&job->badge, badge);
  report_payload (job, payload);

  switch (kind)
    {
    case BW_VERIFICATION_HOSTED:
      hosted_url = bw_badge_get_hosted_url (badge);
      if (hosted_url == NULL && _bw_verifier_is_http_url (bw_badge_get_id (badge)))
        hosted_url = bw_badge_get_id (badge);
      if (hosted_url == NULL && payload != NULL && payload->kind == BW_PAYLOAD_KIND_URL)
        hosted_url = payload->text;
      if (!_bw_verifier_is_http_url (hosted_url))
        {
          _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The badge gives no web address where the issuer’s copy can "
                                    "be checked"));
          _bw_verifier_job_finish (job);
          return;
        }
      _bw_verifier_job_fetch (job, hosted_url,
                              payload != NULL && payload->source == BW_PAYLOAD_SOURCE_URL ?
                              BW_FETCH_ANY : BW_FETCH_DOCUMENT,
                              PHASE_ASSERTION);
      return;

    case BW_VERIFICATION_SIGNED:
      {
        g_autofree char *problem =
          _bw_verifier_document_shape_problem (bw_badge_get_assertion_document (badge),
                                               "Assertion", NULL);

        if (problem != NULL)
          {
            _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                                    _("The signed badge is not an Open Badges assertion: %s"),
                                    problem);
            _bw_verifier_job_finish (job);
            return;
          }
      }
      _bw_verifier_job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The signed badge’s assertion was read"));
      job->resolve_steps = 0;
      _bw_verifier_job_resolve_next (job);
      return;

    case BW_VERIFICATION_PROOF:
      _bw_verifier_job_start_credential (job);
      return;

    case BW_VERIFICATION_NONE:
    default:
      if (payload != NULL && payload->kind == BW_PAYLOAD_KIND_URL &&
          _bw_verifier_is_http_url (payload->text))
        {
          _bw_verifier_job_fetch (job, payload->text, BW_FETCH_ANY, PHASE_ASSERTION);
          return;
        }
      _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The badge says neither where it is hosted nor how it is signed"));
      _bw_verifier_job_finish (job);
      return;
    }
}

void
_bw_verifier_job_finish (VerifyJob *job)
{
  GTask *task = job->task;
  BwVerdict verdict;

  if (task == NULL)
    return;

  /* Date and recipient checks need only the documents: they are reported
   * whenever a badge was read, so a recruiter sees them even when the
   * issuer is down. Unverified content never makes the verdict better. */
  if (job->badge != NULL &&
      bw_report_get_check (job->report, "issued-date") == NULL &&
      !(job->outcome & OUTCOME_INVALID) &&
      bw_report_get_check (job->report, "assertion") != NULL &&
      bw_report_get_check (job->report, "assertion")->status == BW_CHECK_PASS &&
      !(job->outcome & OUTCOME_REVOKED))
    {
      if (bw_badge_get_verification (job->badge) == BW_VERIFICATION_HOSTED &&
          bw_badge_get_issuer_document (job->badge) != NULL)
        _bw_verifier_check_hosted_policy (job);
      _bw_verifier_check_dates (job);
    }
  else if (job->badge != NULL && bw_badge_get_verification (job->badge) == BW_VERIFICATION_PROOF &&
           bw_report_get_check (job->report, "issued-date") == NULL)
    _bw_verifier_check_dates (job);

  if (job->badge != NULL && bw_report_get_check (job->report, "recipient") == NULL)
    check_recipient (job);
  else if (job->badge == NULL)
    bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);

  if (job->self->offline && outcome_to_verdict (job->outcome) == BW_VERDICT_VALID)
    _bw_verifier_job_check (job, "offline", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                            _("Checked without the network, against copies of the issuer’s "
                              "documents kept from earlier; whether the issuer has revoked the "
                              "badge since cannot be known"));

  verdict = outcome_to_verdict (job->outcome);
  bw_report_set_verdict (job->report, verdict);

  job->task = NULL;
  g_task_return_pointer (task, g_object_ref (job->report), g_object_unref);
  g_object_unref (task);
}

static VerifyJob *
job_new (BwVerifier          *self,
         const char          *input,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  VerifyJob *job = g_new0 (VerifyJob, 1);
  g_autoptr(GDateTime) now = verifier_dup_now (self);

  job->self = g_object_ref (self);
  job->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      job->caller_cancellable = g_object_ref (cancellable);
      job->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                 job->cancellable, NULL);
    }
  job->report = bw_report_new ();
  bw_report_set_input (job->report, input);
  bw_report_set_checked (job->report, now);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, bw_verifier_verify_async);
  g_task_set_task_data (job->task, job, (GDestroyNotify)verify_job_free);

  if (self->timeout > 0)
    {
      job->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (job->timeout_source, job_timeout_cb, job, NULL);
      g_source_attach (job->timeout_source, g_main_context_get_thread_default ());
    }
  return job;
}

/**
 * bw_verifier_verify_async:
 * @badge: a badge read from its payload
 * @cancellable: (nullable): a cancellable
 * @callback: called when the report is ready
 * @user_data: data for @callback
 *
 * Verifies @badge: fetches what its payload points to through the shared
 * fetcher and runs the checks of docs/verification.md.
 */
void
bw_verifier_verify_async (BwVerifier          *self,
                          BwBadge             *badge,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  VerifyJob *job;
  const BwPayload *payload;

  g_return_if_fail (BW_IS_VERIFIER (self));
  g_return_if_fail (BW_IS_BADGE (badge));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  payload = bw_badge_get_payload (badge);
  job = job_new (self, payload != NULL && payload->source == BW_PAYLOAD_SOURCE_URL ?
                 payload->text : bw_badge_get_original_path (badge),
                 cancellable, callback, user_data);
  job->input_badge = g_object_ref (badge);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

      job_handle_cancelled (job, cancelled);
      return;
    }
  _bw_verifier_job_start_badge (job);
}

/* Reading the input happens in worker threads of a pool of our own: files
 * may be large images and the main thread must never block on them, and a
 * private pool keeps reads from queueing behind unrelated GTask work (such
 * as cache writes) in GIO's shared pool. */
#define READ_THREADS 4

typedef struct
{
  VerifyJob    *job;
  char         *input;
  GBytes       *data;
  GMainContext *context;
  BwPayload    *payload;
  GError       *error;
  char         *json_problem;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->input);
  g_clear_pointer (&data->data, g_bytes_unref);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_pointer (&data->payload, bw_payload_free);
  g_clear_error (&data->error);
  g_free (data->json_problem);
  g_free (data);
}

/* Whether JSON text is an object that is neither an Open Badges assertion
 * nor a credential of any version (a context, a schema, a key, ...). */
static gboolean
json_is_unknown_document (const char *text)
{
  g_autoptr(JsonNode) node = bw_json_parse (text, -1, NULL);
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  return !bw_ob3_is_credential (object) && !bw_ob2_is_assertion_like (object);
}

static gboolean
input_read_done (gpointer user_data)
{
  ReadData *data = user_data;
  VerifyJob *job = data->job;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

      job_handle_cancelled (job, cancelled);
      return G_SOURCE_REMOVE;
    }
  if (data->payload == NULL)
    {
      if (data->json_problem != NULL)
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                "%s", data->json_problem);
      else
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("No badge could be read from the input: %s"),
                                data->error->message);
      _bw_verifier_job_finish (job);
      return G_SOURCE_REMOVE;
    }

  badge = bw_badge_new_from_payload (data->payload, &error);
  if (badge == NULL)
    {
      bw_report_set_spec (job->report, NULL);
      if (data->payload->kind == BW_PAYLOAD_KIND_JSON &&
          g_error_matches (error, BW_ERROR, BW_ERROR_NOT_A_BADGE) &&
          json_is_unknown_document (data->payload->text))
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The input is JSON, but not an Open Badges assertion or "
                                  "credential"));
      else if (data->payload->kind == BW_PAYLOAD_KIND_JSON &&
               g_error_matches (error, BW_ERROR, BW_ERROR_NOT_A_BADGE))
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The input is JSON, but not an Open Badges assertion or "
                                  "credential: %s"), error->message);
      else if (data->payload->kind == BW_PAYLOAD_KIND_JSON &&
               g_error_matches (error, BW_ERROR, BW_ERROR_MALFORMED))
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The input looks like JSON but cannot be read: %s"),
                                error->message);
      else if (data->payload->kind == BW_PAYLOAD_KIND_JSON &&
               g_error_matches (error, BW_ERROR, BW_ERROR_TOO_LARGE))
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The input is JSON, but over a reading limit: %s"), error->message);
      else
        _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The input holds Open Badges data, but not a readable badge: %s"),
                                error->message);
      _bw_verifier_job_finish (job);
      return G_SOURCE_REMOVE;
    }
  if (data->payload->source == BW_PAYLOAD_SOURCE_FILE || data->payload->format != BW_IMAGE_FORMAT_NONE)
    bw_badge_set_original_path (badge, bw_report_get_input (job->report));
  job->input_badge = g_steal_pointer (&badge);
  _bw_verifier_job_start_badge (job);
  return G_SOURCE_REMOVE;
}

/* The unbaker takes only a JSON object for a badge. Input it refuses that
 * is JSON all the same (a list, or JSON too deep or broken to read)
 * deserves to be called JSON in the message, not "no PNG, SVG, JSON…". */


static char *
json_input_problem (ReadData *data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize length = 0;
  gsize i = 0;

  if (data->data != NULL)
    bytes = g_bytes_ref (data->data);
  else
    {
      char *contents = NULL;

      if (!g_file_get_contents (data->input, &contents, &length, NULL))
        return NULL;
      bytes = g_bytes_new_take (contents, length);
    }
  text = g_bytes_get_data (bytes, &length);
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (text[i]))
    i++;
  if (i >= length || (text[i] != '[' && text[i] != '{'))
    return NULL;

  node = bw_json_parse (text + i, (gssize)(length - i), &error);
  if (node == NULL && g_error_matches (error, BW_ERROR, BW_ERROR_TOO_LARGE))
    return g_strdup_printf (_("The input is JSON, but over a reading limit: %s"), error->message);
  if (node == NULL)
    return g_strdup_printf (_("The input looks like JSON but cannot be read: %s"),
                            error->message);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup (_("The input is JSON, but not an Open Badges assertion or credential: "
                       "it is a list, where a badge is an object"));
  return g_strdup (_("The input is JSON, but not an Open Badges assertion or credential"));
}

static void
read_input_worker (gpointer item,
                   gpointer pool_data)
{
  ReadData *data = item;

  if (data->data != NULL)
    data->payload = bw_baked_read_bytes (data->data, &data->error);
  else
    data->payload = bw_baked_read_file (data->input, NULL, &data->error);
  if (data->payload == NULL && g_error_matches (data->error, BW_ERROR, BW_ERROR_NOT_A_BADGE))
    data->json_problem = json_input_problem (data);

  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, input_read_done, data,
                              (GDestroyNotify)read_data_free);
}

static GThreadPool *
read_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *created = g_thread_pool_new (read_input_worker, NULL, READ_THREADS, FALSE, NULL);

      g_once_init_leave (&pool, created);
    }
  return pool;
}

/**
 * bw_verifier_verify_input_async:
 * @input: a file path, an http(s) URL, or `-`
 * @data: (nullable): the bytes of standard input when @input is `-`, or
 *   the file's bytes when the caller already has them
 * @cancellable: (nullable): a cancellable
 * @callback: called when the report is ready
 * @user_data: data for @callback
 *
 * Verifies any input of cli.md. An input that holds no badge gives a
 * report with verdict invalid and a failing `payload` check, not an error.
 */
void
bw_verifier_verify_input_async (BwVerifier          *self,
                                const char          *input,
                                GBytes              *data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  VerifyJob *job;
  ReadData *read_data;

  g_return_if_fail (BW_IS_VERIFIER (self));
  g_return_if_fail (input != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new (self, input, cancellable, callback, user_data);

  if (data == NULL && _bw_verifier_is_http_url (input))
    {
      g_autoptr(BwPayload) payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_URL, input);
      g_autoptr(GError) error = NULL;

      job->input_badge = bw_badge_new_from_payload (payload, &error);
      if (job->input_badge == NULL)
        {
          _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The address cannot be used: %s"), error->message);
          _bw_verifier_job_finish (job);
          return;
        }
      _bw_verifier_job_start_badge (job);
      return;
    }

  read_data = g_new0 (ReadData, 1);
  read_data->job = job;
  read_data->input = g_strdup (input);
  read_data->data = data != NULL ? g_bytes_ref (data) : NULL;
  read_data->context = g_main_context_ref_thread_default ();
  g_thread_pool_push (read_pool (), read_data, NULL);
}

/**
 * bw_verifier_verify_finish:
 *
 * Returns: (transfer full): the report, or %NULL when the verification
 *   could not be run at all (cancelled)
 */
BwReport *
bw_verifier_verify_finish (BwVerifier    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BW_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bw_verifier_recheck_recipient:
 * @report: a finished report with its badge
 * @identities: (element-type BwIdentity): the identities to compare
 * @matched: (out) (optional) (transfer none): the identity that matched
 *
 * Compares the badge of @report with new identities, without the network,
 * and updates the report's recipient result and `recipient` check.
 *
 * Returns: the match result
 */
BwRecipientMatch
bw_verifier_recheck_recipient (BwReport          *report,
                               GPtrArray         *identities,
                               const BwIdentity **matched)
{
  BwBadge *badge;
  const BwIdentity *found = NULL;
  BwRecipientMatch match = BW_MATCH_UNKNOWN;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  BwCheckStatus status;
  GPtrArray *checks;

  g_return_val_if_fail (BW_IS_REPORT (report), BW_MATCH_UNKNOWN);
  g_return_val_if_fail (identities != NULL, BW_MATCH_UNKNOWN);

  badge = bw_report_get_badge (report);
  if (badge != NULL && bw_badge_get_recipients (badge) != NULL && identities->len > 0)
    match = bw_identity_match (bw_badge_get_recipients (badge), identities, &found);

  if (match == BW_MATCH_MATCH && found != NULL)
    {
      text = g_strdup_printf ("%s:%s", found->type, found->value);
      message = g_strdup_printf (_("The badge was issued to %s"), found->value);
      status = BW_CHECK_PASS;
    }
  else if (match == BW_MATCH_MISMATCH)
    {
      message = g_strdup (_("The badge was issued to someone else, not to the identity you entered"));
      status = BW_CHECK_FAIL;
    }
  else
    {
      match = BW_MATCH_UNKNOWN;
      message = g_strdup (identities->len == 0 ?
                          _("No e-mail or other identity was given, so whom the badge was issued "
                            "to was not checked") :
                          _("The badge names no recipient of a kind that can be compared with "
                            "what you entered"));
      status = BW_CHECK_SKIP;
    }
  bw_report_set_recipient (report, match, text);

  checks = bw_report_get_checks (report);
  for (guint i = 0; i < checks->len; i++)
    {
      BwCheck *check = g_ptr_array_index (checks, i);

      if (g_str_equal (check->id, "recipient"))
        {
          g_free (check->message);
          check->message = g_steal_pointer (&message);
          check->status = status;
          break;
        }
    }
  if (message != NULL)
    bw_report_add_check (report, "recipient", status, "%s", message);

  if (matched != NULL)
    *matched = found;
  return match;
}
