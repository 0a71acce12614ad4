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
#include "bw-util.h"
#include "bw-verifier.h"

/* A badge may refer to a handful of documents; more than this many fetches
 * for one badge means a loop or a hostile issuer. */
#define MAX_RESOLVE_STEPS 8
#define MAX_KEYS          8
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

typedef enum
{
  PHASE_ASSERTION,
  PHASE_RESOLVE,
  PHASE_KEY,
  PHASE_REVOCATION,
  PHASE_IMAGE,
  PHASE_JWT_KEY,
} Phase;

/* Outcomes found so far; the verdict is the worst of them. */
typedef enum
{
  OUTCOME_NONE        = 0,
  OUTCOME_UNREACHABLE = 1 << 0,
  OUTCOME_EXPIRED     = 1 << 1,
  OUTCOME_REVOKED     = 1 << 2,
  OUTCOME_INVALID     = 1 << 3,
} Outcome;

typedef struct
{
  BwVerifier     *self;
  GTask          *task;
  GCancellable   *cancellable;
  gulong          cancelled_id;
  GCancellable   *caller_cancellable;
  GSource        *timeout_source;
  gboolean        timed_out;

  BwReport       *report;
  BwBadge        *input_badge;
  BwBadge        *badge;
  BwJws          *jws;
  Outcome         outcome;
  Phase           phase;
  char           *fetch_url;
  BwFetchKind     fetch_kind;
  BwDocumentKind  resolve_kind;
  guint           resolve_steps;
  gboolean        restarted;
  gboolean        insecure_warned;
  /* Whether the badge's content was confirmed by its issuer (hosted copy
   * fetched, or signature verified). */
  gboolean        confirmed;

  /* Signed badges: key URLs still to try, and whether one verified. */
  GPtrArray      *key_urls;
  guint           key_index;
  gboolean        signature_ok;
  gboolean        key_unreachable;
  char           *key_failure;
} VerifyJob;

static const char *spec_string (BwSpecVersion spec);
static void job_fetch          (VerifyJob      *job,
                                const char     *url,
                                BwFetchKind     kind,
                                Phase           phase);
static void job_start_badge    (VerifyJob      *job);
static void job_resolve_next   (VerifyJob      *job);
static void job_keys_next      (VerifyJob      *job);
static void job_revocation     (VerifyJob      *job);
static void job_image          (VerifyJob      *job);
static void job_finish         (VerifyJob      *job);

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

static JsonObject *
node_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  if (object == NULL)
    return NULL;
  return node_object (json_object_get_member (object, member));
}

/* Returns the strings of a member that may be a string, an object with an
 * `id`, or an array of either. */
static GPtrArray *
object_get_id_list (JsonObject *object,
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

static gboolean
is_http_url (const char *text)
{
  return text != NULL &&
         (g_ascii_strncasecmp (text, "http://", 7) == 0 ||
          g_ascii_strncasecmp (text, "https://", 8) == 0);
}

/* The authority (host[:port]) of an http(s) URL, lower-cased. */
static char *
url_authority (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (!is_http_url (url))
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

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (!is_http_url (url))
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

static const char *
document_role (BwDocumentKind kind)
{
  switch (kind)
    {
    case BW_DOCUMENT_ASSERTION:
      return "assertion";
    case BW_DOCUMENT_BADGE_CLASS:
      return "badge-class";
    case BW_DOCUMENT_ISSUER:
    default:
      return "issuer";
    }
}

/* Adds a check and records what a failing one means for the verdict. */
static void
job_check (VerifyJob     *job,
           const char    *id,
           BwCheckStatus  status,
           Outcome        outcome,
           const char    *format,
           ...) G_GNUC_PRINTF (5, 6);

static void
job_check (VerifyJob     *job,
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

static void
job_fetch_failed (VerifyJob    *job,
                  const char   *id,
                  const char   *what,
                  const char   *url,
                  const GError *error)
{
  if (error_is_unreachable (error))
    job_check (job, id, BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
               _("The %s at %s could not be fetched: %s"), what, url, error->message);
  else
    job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The %s at %s is not usable: %s"), what, url, error->message);
}

/* Non-2xx answers: 404 and other client errors say the issuer does not
 * serve the document (invalid); server errors are temporary (unreachable). */
static void
job_http_failed (VerifyJob  *job,
                 const char *id,
                 const char *what,
                 const char *url,
                 guint       status)
{
  if (status >= 500 || status < 400)
    job_check (job, id, BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
               _("The issuer’s server answered HTTP %u for the %s at %s"), status, what, url);
  else
    job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The issuer’s server has no %s at %s (HTTP %u)"), what, url, status);
}

static JsonNode *
parse_body (BwFetchResult  *result,
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
      job_check (job, "transport", BW_CHECK_WARN, OUTCOME_NONE,
                 _("Some documents were fetched over plain http, which does not protect them "
                   "on the way (first: %s)"), result->url);
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
      job_check (job, "timeout", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                 _("The verification did not finish within %u seconds"), job->self->timeout);
      job_finish (job);
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

static void
job_fetch (VerifyJob   *job,
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

static void handle_assertion   (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);
static void handle_resolve     (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);
static void handle_key         (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);
static void handle_revocation  (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);
static void handle_image       (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);
static void handle_jwt_key     (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error);

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

          job_fetch (waiter, url, waiter->fetch_kind, waiter->phase);
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
      handle_assertion (job, result, error);
      break;
    case PHASE_RESOLVE:
      handle_resolve (job, result, error);
      break;
    case PHASE_KEY:
      handle_key (job, result, error);
      break;
    case PHASE_REVOCATION:
      handle_revocation (job, result, error);
      break;
    case PHASE_IMAGE:
      handle_image (job, result, error);
      break;
    case PHASE_JWT_KEY:
      handle_jwt_key (job, result, error);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The JSON-LD shape validator-core and the 1EdTech validator insist on:
 * a known Open Badges context (or an inline context object) and a type
 * naming the expected class. OB 1.0 documents have neither and pass. */
static const char * const known_contexts[] = {
  "https://w3id.org/openbadges/v2",
  "https://w3id.org/openbadges/v1",
  "https://openbadgespec.org/v2/context.json",
  "https://openbadgespec.org/v1/context.json",
  "http://w3id.org/openbadges/v2",
  "http://w3id.org/openbadges/v1",
};

static gboolean
context_is_known (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      for (guint i = 0; i < G_N_ELEMENTS (known_contexts); i++)
        if (g_str_equal (text, known_contexts[i]))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < 16; i++)
        if (context_is_known (json_array_get_element (array, i)))
          return TRUE;
    }
  return FALSE;
}

static gboolean
type_names (JsonNode   *node,
            const char *name,
            const char *alias)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return g_str_equal (text, name) || (alias != NULL && g_str_equal (text, alias));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < 16; i++)
        if (type_names (json_array_get_element (array, i), name, alias))
          return TRUE;
    }
  return FALSE;
}

static char *
node_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  if (g_utf8_strlen (text, -1) > 80)
    {
      char *shorter = g_utf8_substring (text, 0, 80);

      g_free (text);
      text = shorter;
    }
  return text;
}

/* Returns a translated reason when @document does not have the shape of
 * an Open Badges @class_name, or NULL. */
static char *
document_shape_problem (JsonNode   *document,
                        const char *class_name,
                        const char *alias)
{
  JsonObject *object = node_object (document);
  JsonNode *context;
  JsonNode *type;

  if (object == NULL)
    return g_strdup (_("it is not a JSON object"));
  context = json_object_get_member (object, "@context");
  type = json_object_get_member (object, "type");
  if (context != NULL && !context_is_known (context))
    {
      g_autofree char *text = node_text (context);

      return g_strdup_printf (_("its @context %s is not the Open Badges context"), text);
    }
  if (context != NULL && (type == NULL || !type_names (type, class_name, alias)))
    {
      g_autofree char *text = type != NULL ? node_text (type) : g_strdup (_("missing"));

      return g_strdup_printf (_("its type %s is not %s"), text, class_name);
    }
  return NULL;
}

/* Hosted assertions follow open-badges.md §3 B and C. */

static char *
describe_differences (JsonNode *baked,
                      JsonNode *hosted)
{
  JsonObject *a = node_object (baked);
  JsonObject *b = node_object (hosted);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GList) members = NULL;

  if (a == NULL || b == NULL)
    return NULL;

  members = json_object_get_members (a);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *other = json_object_get_member (b, l->data);

      if (other == NULL || !json_node_equal (json_object_get_member (a, l->data), other))
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", (const char *)l->data);
    }
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (b);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!json_object_has_member (a, l->data))
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", (const char *)l->data);
    }

  if (names->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
body_is_image (BwFetchResult *result)
{
  gsize length = 0;
  const guint8 *data;

  if (result->body == NULL)
    return FALSE;
  data = g_bytes_get_data (result->body, &length);
  if (bw_baked_sniff (data, length) != BW_IMAGE_FORMAT_NONE)
    return TRUE;
  return g_strcmp0 (result->content_type, "image/png") == 0 ||
         g_strcmp0 (result->content_type, "image/svg+xml") == 0;
}

static void
handle_revoked_document (VerifyJob  *job,
                         JsonObject *object,
                         const char *url,
                         guint       status)
{
  const char *reason = bw_json_object_get_string (object, "revocationReason");

  if (reason != NULL)
    job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
               _("The issuer has revoked this badge: “%s”"), reason);
  else if (status == 410)
    job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
               _("The issuer has revoked this badge (HTTP 410 Gone at %s)"), url);
  else
    job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
               _("The issuer has revoked this badge"));
}

static void
handle_assertion (VerifyJob     *job,
                  BwFetchResult *result,
                  GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(BwBadge) hosted = NULL;
  const char *url = job->fetch_url;
  JsonObject *object;
  JsonNode *revoked;
  const char *hosted_id;

  if (result == NULL)
    {
      job_fetch_failed (job, "assertion", _("issuer’s copy of the badge"), url, error);
      job_finish (job);
      return;
    }

  /* A dropped URL may be a baked image rather than an assertion. */
  if (!job->restarted && body_is_image (result))
    {
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwBadge) badge = NULL;

      job->restarted = TRUE;
      payload = bw_baked_read_bytes (result->body, &parse_error);
      if (payload != NULL)
        badge = bw_badge_new_from_payload (payload, &parse_error);
      if (badge == NULL)
        {
          job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The image at %s holds no usable Open Badges data: %s"),
                     url, parse_error->message);
          job_finish (job);
          return;
        }
      g_set_object (&job->input_badge, badge);
      job_start_badge (job);
      return;
    }

  if (result->status == 410)
    {
      g_autoptr(JsonNode) gone = parse_body (result, NULL);

      bw_report_add_document (job->report, "assertion", url, gone);
      job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The issuer answers for this badge at %s"), url);
      handle_revoked_document (job, node_object (gone), url, result->status);
      job_finish (job);
      return;
    }

  if (result->status < 200 || result->status >= 300)
    {
      job_http_failed (job, "assertion", _("copy of this badge"), url, result->status);
      job_finish (job);
      return;
    }

  document = parse_body (result, &parse_error);
  if (document == NULL || node_object (document) == NULL)
    {
      job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The issuer’s copy at %s is not a JSON object: %s"), url,
                 parse_error != NULL ? parse_error->message : _("another JSON value"));
      job_finish (job);
      return;
    }
  bw_report_add_document (job->report, "assertion", url, document);
  object = node_object (document);

  revoked = json_object_get_member (object, "revoked");
  if (revoked != NULL && JSON_NODE_HOLDS_VALUE (revoked) &&
      json_node_get_value_type (revoked) == G_TYPE_BOOLEAN && json_node_get_boolean (revoked))
    {
      job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The issuer answers for this badge at %s"), url);
      handle_revoked_document (job, object, url, result->status);
      job_finish (job);
      return;
    }

  {
    g_autofree char *problem = document_shape_problem (document, "Assertion", NULL);

    if (problem != NULL)
      {
        job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The issuer’s copy at %s is not an Open Badges assertion: %s"), url, problem);
        job_finish (job);
        return;
      }
  }

  hosted = bw_badge_new_from_json (document, url, &parse_error);
  if (hosted == NULL)
    {
      job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The issuer’s copy at %s is not a valid assertion: %s"), url,
                 parse_error->message);
      job_finish (job);
      return;
    }

  hosted_id = bw_badge_get_id (hosted);
  if (g_strcmp0 (hosted_id, url) != 0 && g_strcmp0 (hosted_id, result->final_url) != 0)
    {
      job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The document at %s says its id is %s, so it is not this badge"),
                 url, hosted_id != NULL ? hosted_id : _("(none)"));
      job_finish (job);
      return;
    }
  job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
             _("The issuer’s copy of the badge was found at %s"), url);
  job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
             _("The issuer still serves this badge and has not revoked it"));

  /* The hosted copy is the truth; a different baked copy is reported. */
  if (job->input_badge != NULL && bw_badge_get_assertion_document (job->input_badge) != NULL &&
      bw_badge_get_verification (job->input_badge) == BW_VERIFICATION_HOSTED)
    {
      g_autofree char *differences =
        describe_differences (bw_badge_get_assertion_document (job->input_badge), document);

      if (differences != NULL)
        job_check (job, "baked-copy", BW_CHECK_WARN, OUTCOME_NONE,
                   _("The copy inside the file differs from the issuer’s copy in: %s; "
                     "the issuer’s copy was used"), differences);
      else
        job_check (job, "baked-copy", BW_CHECK_PASS, OUTCOME_NONE,
                   _("The copy inside the file is the same as the issuer’s copy"));
    }

  g_set_object (&job->badge, hosted);
  job->confirmed = TRUE;
  bw_report_set_badge (job->report, hosted);
  bw_report_set_spec (job->report, spec_string (bw_badge_get_spec (hosted)));
  bw_report_set_verification (job->report,
                              bw_verification_kind_to_string (bw_badge_get_verification (hosted)));
  job->resolve_steps = 0;
  job_resolve_next (job);
}

/* The BadgeClass and issuer Profile are fetched in the order the badge
 * asks for them. */

static void
job_resolve_next (VerifyJob *job)
{
  g_autofree char *url = NULL;
  BwDocumentKind kind = BW_DOCUMENT_BADGE_CLASS;

  if (!bw_badge_needs_fetch (job->badge))
    {
      GPtrArray *warnings = bw_badge_get_warnings (job->badge);
      const char *issuer_id = bw_badge_get_issuer_id (job->badge);
      const char *issuer_name = bw_badge_get_issuer_name (job->badge);
      const char *name = bw_badge_get_name (job->badge);

      /* What the parser tolerated (a declared id that differs from the
       * fetch URL, upgraded 1.x dates, ...) is worth showing, not failing. */
      if (warnings != NULL && warnings->len > 0)
        {
          g_autoptr(GString) notes = g_string_new (NULL);

          for (guint i = 0; i < warnings->len; i++)
            g_string_append_printf (notes, "%s%s", i > 0 ? "; " : "",
                                    (const char *)g_ptr_array_index (warnings, i));
          job_check (job, "documents", BW_CHECK_WARN, OUTCOME_NONE, "%s", notes->str);
        }

      if (name != NULL)
        job_check (job, "badge-class", BW_CHECK_PASS, OUTCOME_NONE,
                   _("The badge is “%s”"), name);
      else
        job_check (job, "badge-class", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The badge has no name"));

      if (issuer_id != NULL || issuer_name != NULL)
        job_check (job, "issuer", BW_CHECK_PASS, OUTCOME_NONE,
                   _("The issuer is %s (%s)"),
                   issuer_name != NULL ? issuer_name : _("unnamed"),
                   issuer_id != NULL ? issuer_id : _("no id"));
      else
        job_check (job, "issuer", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The badge names no issuer"));

      if (job->outcome & (OUTCOME_INVALID | OUTCOME_UNREACHABLE))
        {
          job_finish (job);
          return;
        }

      if (bw_badge_get_verification (job->badge) == BW_VERIFICATION_SIGNED)
        job_keys_next (job);
      else
        job_image (job);
      return;
    }

  url = bw_badge_dup_pending_url (job->badge, &kind);
  if (url == NULL || ++job->resolve_steps > MAX_RESOLVE_STEPS)
    {
      job_check (job, "issuer", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The badge refers to more documents than a badge can (%u)"), MAX_RESOLVE_STEPS);
      job_finish (job);
      return;
    }
  if (!is_http_url (url))
    {
      job_check (job, kind == BW_DOCUMENT_ISSUER ? "issuer" : "badge-class",
                 BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The %s is referred to as “%s”, which is no web address"),
                 kind == BW_DOCUMENT_ISSUER ? _("issuer") : _("badge class"), url);
      job_finish (job);
      return;
    }

  job->resolve_kind = kind;
  job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_RESOLVE);
}

static void
handle_resolve (VerifyJob     *job,
                BwFetchResult *result,
                GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *id = job->resolve_kind == BW_DOCUMENT_ISSUER ? "issuer" : "badge-class";
  const char *what = job->resolve_kind == BW_DOCUMENT_ISSUER ? _("issuer profile") : _("badge class");
  const char *url = job->fetch_url;

  if (result == NULL)
    {
      job_fetch_failed (job, id, what, url, error);
      job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      job_http_failed (job, id, what, url, result->status);
      job_finish (job);
      return;
    }

  document = parse_body (result, &parse_error);
  if (document != NULL)
    {
      g_autofree char *problem =
        job->resolve_kind == BW_DOCUMENT_ISSUER ? document_shape_problem (document, "Profile", "Issuer")
                                                : document_shape_problem (document, "BadgeClass", NULL);

      if (problem != NULL)
        {
          job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The %s at %s is not valid: %s"), what, url, problem);
          job_finish (job);
          return;
        }
    }
  if (document == NULL ||
      !bw_badge_resolve (job->badge, job->resolve_kind, url, document, &parse_error))
    {
      job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The %s at %s is not valid: %s"), what, url, parse_error->message);
      job_finish (job);
      return;
    }
  bw_report_add_document (job->report, document_role (job->resolve_kind), url, document);
  job_resolve_next (job);
}

/* Signed assertions follow open-badges.md §3 D. */

static JsonObject *
assertion_verification (BwBadge *badge)
{
  JsonObject *assertion = node_object (bw_badge_get_assertion_document (badge));
  JsonObject *verification = object_get_object (assertion, "verification");

  if (verification == NULL)
    verification = object_get_object (assertion, "verify");
  return verification;
}

static void
job_keys_next (VerifyJob *job)
{
  if (job->key_urls == NULL)
    {
      JsonObject *issuer = node_object (bw_badge_get_issuer_document (job->badge));
      JsonObject *verification = assertion_verification (job->badge);
      const char *creator = bw_json_object_get_string (verification, "creator");
      g_autoptr(GPtrArray) listed = object_get_id_list (issuer, "publicKey");
      const char *jws = bw_badge_get_jws (job->badge);
      g_autoptr(GError) jws_error = NULL;
      const char *alg;

      if (jws == NULL)
        {
          const BwPayload *payload = bw_badge_get_payload (job->badge);

          jws = payload != NULL ? payload->text : NULL;
        }
      job->jws = jws != NULL ? bw_jws_parse (jws, &jws_error) : NULL;
      if (job->jws == NULL)
        {
          job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The signed badge is not a readable JWS: %s"),
                     jws_error != NULL ? jws_error->message : _("no signature found"));
          job_finish (job);
          return;
        }

      alg = bw_jws_get_alg (job->jws);
      if (alg == NULL || g_ascii_strcasecmp (alg, "none") == 0)
        {
          job_check (job, "algorithm", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The badge is not signed at all (algorithm “none”)"));
          job_finish (job);
          return;
        }
      if (g_str_equal (alg, "RS256"))
        job_check (job, "algorithm", BW_CHECK_PASS, OUTCOME_NONE,
                   _("Signed with RS256, the algorithm Open Badges 2.0 uses"));
      else
        job_check (job, "algorithm", BW_CHECK_WARN, OUTCOME_NONE,
                   _("Signed with %s; Open Badges 2.0 signs with RS256"), alg);

      job->key_urls = g_ptr_array_new_with_free_func (g_free);
      if (creator != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < listed->len && !found; i++)
            found = g_str_equal (g_ptr_array_index (listed, i), creator);
          if (!found)
            {
              job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                         _("The badge was signed with the key %s, which the issuer does not list "
                           "among its keys"), creator);
              job_finish (job);
              return;
            }
          g_ptr_array_add (job->key_urls, g_strdup (creator));
        }
      else
        {
          for (guint i = 0; i < listed->len && i < MAX_KEYS; i++)
            g_ptr_array_add (job->key_urls, g_strdup (g_ptr_array_index (listed, i)));
        }

      /* OB 1.x put the key at the assertion's verify.url; it is trusted
       * only when the issuer lists no keys and it lives on the issuer's
       * own origin. */
      if (job->key_urls->len == 0 && bw_badge_get_spec (job->badge) < BW_SPEC_2_0)
        {
          const char *url = bw_json_object_get_string (verification, "url");
          g_autofree char *key_authority = url_authority (url);
          g_autofree char *issuer_authority = url_authority (bw_badge_get_issuer_id (job->badge));
          g_autofree char *issuer_url_authority = url_authority (bw_badge_get_issuer_url (job->badge));

          if (key_authority != NULL &&
              (g_strcmp0 (key_authority, issuer_authority) == 0 ||
               g_strcmp0 (key_authority, issuer_url_authority) == 0))
            g_ptr_array_add (job->key_urls, g_strdup (url));
        }

      if (job->key_urls->len == 0)
        {
          job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The issuer lists no public key, so the signature cannot be trusted"));
          job_finish (job);
          return;
        }
      job->key_index = 0;
    }

  if (job->signature_ok)
    {
      job_revocation (job);
      return;
    }

  if (job->key_index >= job->key_urls->len)
    {
      if (job->key_unreachable)
        job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                   _("The issuer’s key could not be fetched: %s"), job->key_failure);
      else
        job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The signature does not match the issuer’s key: %s"),
                   job->key_failure != NULL ? job->key_failure : _("no key verified it"));
      job_finish (job);
      return;
    }

  {
    const char *url = g_ptr_array_index (job->key_urls, job->key_index);

    if (!is_http_url (url))
      {
        g_free (job->key_failure);
        job->key_failure = g_strdup_printf (_("the key id %s is no web address"), url);
        job->key_index++;
        job_keys_next (job);
        return;
      }
    job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_KEY);
  }
}

static void
handle_key (VerifyJob     *job,
            BwFetchResult *result,
            GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pem_text = NULL;
  const char *url = job->fetch_url;
  const char *issuer_id = bw_badge_get_issuer_id (job->badge);
  const char *pem = NULL;

  job->key_index++;

  if (result == NULL || result->status >= 500)
    {
      job->key_unreachable = TRUE;
      g_free (job->key_failure);
      if (result == NULL)
        job->key_failure = g_strdup_printf ("%s: %s", url, error->message);
      else
        job->key_failure = g_strdup_printf (_("%s answered HTTP %u"), url, result->status);
      job_keys_next (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      g_free (job->key_failure);
      job->key_failure = g_strdup_printf (_("the key %s does not exist (HTTP %u)"), url, result->status);
      job_keys_next (job);
      return;
    }

  if (result->body != NULL)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (result->body, &length);

      if (length > 10 && g_str_has_prefix (data, "-----BEGIN") && bw_utf8_validate_len (data, length))
        pem = pem_text = g_strndup (data, length);
    }

  if (pem == NULL)
    {
      JsonObject *key;
      const char *owner;

      document = parse_body (result, &local_error);
      key = node_object (document);
      if (key == NULL)
        {
          g_free (job->key_failure);
          job->key_failure = g_strdup_printf (_("the key %s is not a JSON object"), url);
          job_keys_next (job);
          return;
        }
      bw_report_add_document (job->report, "key", url, document);
      if (json_object_has_member (key, "type") &&
          !type_names (json_object_get_member (key, "type"), "CryptographicKey", NULL))
        {
          job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The document at %s is not a CryptographicKey"), url);
          job_finish (job);
          return;
        }
      owner = bw_json_object_get_string (key, "owner");
      if (owner == NULL || g_strcmp0 (owner, issuer_id) != 0)
        {
          job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The key %s belongs to %s, not to the issuer %s"), url,
                     owner != NULL ? owner : _("nobody named"),
                     issuer_id != NULL ? issuer_id : _("(unnamed)"));
          job_finish (job);
          return;
        }
      pem = bw_json_object_get_string (key, "publicKeyPem");
      if (pem == NULL)
        {
          g_free (job->key_failure);
          job->key_failure = g_strdup_printf (_("the key %s has no publicKeyPem"), url);
          job_keys_next (job);
          return;
        }
    }
  else
    bw_report_add_document (job->report, "key", url, NULL);

  if (bw_jws_verify_pem (job->jws, pem, &local_error))
    {
      job->signature_ok = TRUE;
      job->confirmed = TRUE;
      job_check (job, "signing-key", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The key %s belongs to the issuer"), url);
      job_check (job, "signature", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The signature matches the issuer’s key"));
    }
  else
    {
      g_free (job->key_failure);
      job->key_failure = g_strdup (local_error->message);
      job->key_unreachable = FALSE;
    }
  job_keys_next (job);
}

static void
job_revocation (VerifyJob *job)
{
  JsonObject *issuer = node_object (bw_badge_get_issuer_document (job->badge));
  const char *url = bw_json_object_get_string (issuer, "revocationList");

  if (url == NULL)
    {
      job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The issuer publishes no revocation list, so nothing revokes this badge"));
      job_image (job);
      return;
    }
  if (!is_http_url (url))
    {
      job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The issuer’s revocation list “%s” is no web address"), url);
      job_finish (job);
      return;
    }
  job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_REVOCATION);
}

static gboolean
revocation_entry_matches (JsonNode    *entry,
                          const char  *id,
                          const char  *uid,
                          const char **reason)
{
  JsonObject *object;
  const char *entry_id;

  if (JSON_NODE_HOLDS_VALUE (entry) && json_node_get_value_type (entry) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (entry), id) == 0;

  object = node_object (entry);
  if (object == NULL)
    return FALSE;
  entry_id = bw_json_object_get_string (object, "id");
  if ((entry_id != NULL && g_strcmp0 (entry_id, id) == 0) ||
      (entry_id == NULL && uid != NULL &&
       g_strcmp0 (bw_json_object_get_string (object, "uid"), uid) == 0))
    {
      *reason = bw_json_object_get_string (object, "revocationReason");
      return TRUE;
    }
  return FALSE;
}

static void
handle_revocation (VerifyJob     *job,
                   BwFetchResult *result,
                   GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *url = job->fetch_url;
  const char *id = bw_badge_get_id (job->badge);
  const char *uid = bw_json_object_get_string (node_object (bw_badge_get_assertion_document (job->badge)), "uid");
  const char *reason = NULL;
  gboolean listed = FALSE;
  JsonObject *list;
  JsonNode *entries;

  if (result == NULL)
    {
      job_fetch_failed (job, "revocation", _("revocation list"), url, error);
      job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      /* A revocation list the issuer names but does not serve leaves the
       * question open, whatever the status. */
      job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                 _("The issuer’s revocation list at %s could not be read (HTTP %u)"),
                 url, result->status);
      job_finish (job);
      return;
    }

  document = parse_body (result, &parse_error);
  list = node_object (document);
  if (list == NULL)
    {
      job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The issuer’s revocation list at %s is not a JSON object"), url);
      job_finish (job);
      return;
    }
  bw_report_add_document (job->report, "revocation-list", url, document);

  entries = json_object_get_member (list, "revokedAssertions");
  if (entries != NULL && JSON_NODE_HOLDS_ARRAY (entries))
    {
      JsonArray *array = json_node_get_array (entries);

      for (guint i = 0; i < json_array_get_length (array) && !listed; i++)
        listed = revocation_entry_matches (json_array_get_element (array, i), id, uid, &reason);
    }
  else if (entries == NULL)
    {
      /* OB 1.x: an object mapping uid or id to the reason. */
      const char *keys[] = { uid, id };

      for (guint i = 0; i < G_N_ELEMENTS (keys) && !listed; i++)
        {
          if (keys[i] != NULL && json_object_has_member (list, keys[i]))
            {
              listed = TRUE;
              reason = bw_json_object_get_string (list, keys[i]);
            }
        }
    }

  if (listed && reason != NULL)
    job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
               _("The issuer has revoked this badge: “%s”"), reason);
  else if (listed)
    job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
               _("The issuer’s revocation list names this badge"));
  else
    job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
               _("The issuer’s revocation list does not name this badge"));
  job_image (job);
}

/* The badge image (checked, never fatal to the verdict except a data: URI
 * on an assertion, which Open Badges 2.0 forbids). */

static const char *
image_of (JsonObject *object)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, "image");
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (JSON_NODE_HOLDS_OBJECT (node))
    return bw_json_object_get_string (json_node_get_object (node), "id");
  return NULL;
}

static void
job_image (VerifyJob *job)
{
  JsonObject *assertion = node_object (bw_badge_get_assertion_document (job->badge));
  JsonObject *badge_class = node_object (bw_badge_get_badge_class_document (job->badge));
  const char *assertion_image = image_of (assertion);
  const char *image = image_of (badge_class);

  if (assertion_image != NULL && g_str_has_prefix (assertion_image, "data:"))
    {
      job_check (job, "image", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The assertion’s image is a data: URI, which Open Badges 2.0 does not allow "
                   "on an assertion"));
      job_finish (job);
      return;
    }

  if (image == NULL)
    image = bw_badge_get_image (job->badge);

  if (image == NULL)
    {
      job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE, _("The badge has no image"));
      job_finish (job);
      return;
    }
  if (g_str_has_prefix (image, "data:"))
    {
      if (g_str_has_prefix (image, "data:image/png") || g_str_has_prefix (image, "data:image/svg+xml"))
        job_check (job, "image", BW_CHECK_PASS, OUTCOME_NONE,
                   _("The badge image is embedded in the badge class"));
      else
        job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                   _("The embedded badge image is neither PNG nor SVG"));
      job_finish (job);
      return;
    }
  if (!is_http_url (image))
    {
      job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                 _("The badge image “%s” is no web address"), image);
      job_finish (job);
      return;
    }
  job_fetch (job, image, BW_FETCH_IMAGE, PHASE_IMAGE);
}

static void
handle_image (VerifyJob     *job,
              BwFetchResult *result,
              GError        *error)
{
  const char *url = job->fetch_url;

  if (result == NULL)
    job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
               _("The badge image at %s could not be fetched: %s"), url, error->message);
  else if (result->status < 200 || result->status >= 300)
    job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
               _("The badge image at %s is missing (HTTP %u)"), url, result->status);
  else if (!body_is_image (result))
    job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
               _("The badge image at %s is neither PNG nor SVG"), url);
  else
    job_check (job, "image", BW_CHECK_PASS, OUTCOME_NONE,
               _("The badge image was found at %s"), url);
  job_finish (job);
}

/* The hosted verification policy follows open-badges.md §3 C.4. */

static void
check_hosted_policy (VerifyJob *job)
{
  const char *id = bw_badge_get_id (job->badge);
  const char *issuer_id = bw_badge_get_issuer_id (job->badge);
  JsonObject *issuer = node_object (bw_badge_get_issuer_document (job->badge));
  JsonObject *policy = object_get_object (issuer, "verification");
  g_autoptr(GPtrArray) starts_with = NULL;
  g_autoptr(GPtrArray) origins = NULL;
  g_autofree char *authority = url_authority (id);
  g_autofree char *host = url_host (id);

  if (policy == NULL)
    policy = object_get_object (issuer, "verify");
  starts_with = object_get_id_list (policy, "startsWith");
  origins = object_get_id_list (policy, "allowedOrigins");

  if (starts_with->len > 0)
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < starts_with->len && !ok; i++)
        ok = g_str_has_prefix (id, g_ptr_array_index (starts_with, i));
      if (!ok)
        {
          job_check (job, "verification-policy", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The issuer only vouches for badges whose address starts with %s, "
                       "and this one is at %s"),
                     (const char *)g_ptr_array_index (starts_with, 0), id);
          return;
        }
    }

  if (origins->len == 0 && starts_with->len == 0)
    {
      g_autofree char *issuer_authority = url_authority (issuer_id);

      if (issuer_authority == NULL)
        {
          job_check (job, "verification-policy", BW_CHECK_WARN, OUTCOME_NONE,
                     _("The issuer’s id %s is no web address, so where its badges may be "
                       "hosted cannot be checked"), issuer_id != NULL ? issuer_id : _("(none)"));
          return;
        }
      g_ptr_array_add (origins, g_steal_pointer (&issuer_authority));
    }

  if (origins->len > 0)
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < origins->len && !ok; i++)
        {
          g_autofree char *origin = g_ascii_strdown (g_ptr_array_index (origins, i), -1);

          ok = g_strcmp0 (origin, authority) == 0 || g_strcmp0 (origin, host) == 0;
        }
      if (!ok)
        {
          job_check (job, "verification-policy", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The badge is hosted on %s, which is not the issuer’s site and not one "
                       "the issuer allows"), authority != NULL ? authority : id);
          return;
        }
    }

  job_check (job, "verification-policy", BW_CHECK_PASS, OUTCOME_NONE,
             _("The badge is hosted where the issuer says its badges live (%s)"),
             authority != NULL ? authority : id);
}

/* Dates and the recipient need no network, only the documents. */

static void
check_dates (VerifyJob *job)
{
  g_autoptr(GDateTime) now = verifier_dup_now (job->self);
  g_autoptr(GDateTime) limit = g_date_time_add_seconds (now, FUTURE_SKEW_SECONDS);
  GDateTime *issued = bw_badge_get_issued (job->badge);
  GDateTime *expires = bw_badge_get_expires (job->badge);
  g_autofree char *issued_text = bw_format_datetime (issued);
  g_autofree char *expires_text = bw_format_datetime (expires);

  if (issued == NULL)
    job_check (job, "issued-date", BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The badge has no valid issue date"));
  else if (g_date_time_compare (issued, limit) > 0)
    job_check (job, "issued-date", BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The badge says it was issued on %s, which is in the future"), issued_text);
  else
    job_check (job, "issued-date", BW_CHECK_PASS, OUTCOME_NONE,
               _("Issued on %s"), issued_text);

  if (expires == NULL)
    job_check (job, "expiry", BW_CHECK_PASS, OUTCOME_NONE, _("The badge does not expire"));
  else if (issued != NULL && g_date_time_compare (expires, issued) < 0)
    job_check (job, "expiry", BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The badge expires (%s) before it was issued (%s)"), expires_text, issued_text);
  else if (g_date_time_compare (expires, now) <= 0)
    job_check (job, "expiry", BW_CHECK_FAIL, OUTCOME_EXPIRED,
               _("The badge expired on %s"), expires_text);
  else
    job_check (job, "expiry", BW_CHECK_PASS, OUTCOME_NONE,
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
      job_check (job, "recipient", BW_CHECK_SKIP, OUTCOME_NONE,
                 _("No e-mail or other identity was given, so whom the badge was issued to "
                   "was not checked"));
      return;
    }

  match = recipients != NULL ? bw_identity_match (recipients, identities, &matched)
                             : BW_MATCH_UNKNOWN;
  /* A recipient named only by unconfirmed content proves nothing; one
   * that differs still shows the file is someone else's. */
  if (match == BW_MATCH_MATCH && matched != NULL && !job->confirmed)
    {
      bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);
      job_check (job, "recipient", BW_CHECK_WARN, OUTCOME_NONE,
                 _("The file names %s as the recipient, but the issuer did not confirm it"),
                 matched->value);
    }
  else if (match == BW_MATCH_MATCH && matched != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s:%s", matched->type, matched->value);

      bw_report_set_recipient (job->report, match, text);
      job_check (job, "recipient", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The badge was issued to %s"), matched->value);
    }
  else if (match == BW_MATCH_MISMATCH)
    {
      bw_report_set_recipient (job->report, match, NULL);
      job_check (job, "recipient", BW_CHECK_FAIL, OUTCOME_NONE,
                 _("The badge was issued to someone else, not to the identity you entered"));
    }
  else
    {
      bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);
      job_check (job, "recipient", BW_CHECK_SKIP, OUTCOME_NONE,
                 _("The badge names no recipient of a kind that can be compared with what "
                   "you entered"));
    }
}

/* OB 3.0 credentials. Embedded Data Integrity proofs need RDF dataset
 * canonicalization, which is not implemented: they are reported as not
 * checked, and such a credential is never called valid. VC-JWT signatures
 * are checked when the key is bound to the issuer. */

static gboolean
key_bound_to_issuer (const char *kid,
                     const char *issuer_id)
{
  g_autofree char *kid_authority = NULL;
  g_autofree char *issuer_authority = NULL;

  if (kid == NULL || issuer_id == NULL)
    return FALSE;
  if (g_str_has_prefix (kid, issuer_id))
    return TRUE;
  kid_authority = url_authority (kid);
  issuer_authority = url_authority (issuer_id);
  return kid_authority != NULL && g_strcmp0 (kid_authority, issuer_authority) == 0;
}

static void
job_start_credential (VerifyJob *job)
{
  const BwPayload *payload = bw_badge_get_payload (job->badge);
  JsonObject *credential = node_object (bw_badge_get_assertion_document (job->badge));
  const char *jws = bw_badge_get_jws (job->badge);
  g_autoptr(GError) error = NULL;
  JsonObject *header;
  JsonObject *jwk;
  const char *kid;
  const char *alg;

  if (jws == NULL && payload != NULL && payload->kind == BW_PAYLOAD_KIND_VC_JWT)
    jws = payload->text;

  if (credential != NULL && json_object_has_member (credential, "credentialStatus"))
    job_check (job, "revocation", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
               _("The credential has a status entry (revocation list), which this version "
                 "cannot check"));

  if (jws == NULL)
    {
      if (credential != NULL && json_object_has_member (credential, "proof"))
        job_check (job, "proof", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                   _("The credential is signed with an embedded proof (Data Integrity), which "
                     "this version cannot check, so it cannot be confirmed"));
      else
        job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The credential carries no proof, so anyone could have written it"));
      job_finish (job);
      return;
    }

  job->jws = bw_jws_parse (jws, &error);
  if (job->jws == NULL)
    {
      job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The credential’s JWT cannot be read: %s"), error->message);
      job_finish (job);
      return;
    }
  alg = bw_jws_get_alg (job->jws);
  if (alg == NULL || g_ascii_strcasecmp (alg, "none") == 0)
    {
      job_check (job, "algorithm", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The credential is not signed at all (algorithm “none”)"));
      job_finish (job);
      return;
    }

  /* The JWT claims must say what the credential says (VC-JWT §"iss"). */
  {
    JsonObject *claims = node_object (bw_jws_get_payload_json (job->jws));
    const char *iss = bw_json_object_get_string (claims, "iss");
    const char *issuer_id = bw_badge_get_issuer_id (job->badge);

    if (iss != NULL && issuer_id != NULL && !g_str_equal (iss, issuer_id))
      {
        job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The JWT says it was issued by %s, but the credential names %s"),
                   iss, issuer_id);
        job_finish (job);
        return;
      }
  }

  header = bw_jws_get_header (job->jws);
  kid = bw_json_object_get_string (header, "kid");
  jwk = object_get_object (header, "jwk");

  if (kid != NULL && is_http_url (kid))
    {
      if (!key_bound_to_issuer (kid, bw_badge_get_issuer_id (job->badge)))
        {
          job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The credential was signed with the key %s, which is not on the issuer’s "
                       "site (%s)"), kid, bw_badge_get_issuer_id (job->badge));
          job_finish (job);
          return;
        }
      job_fetch (job, kid, BW_FETCH_DOCUMENT, PHASE_JWT_KEY);
      return;
    }

  if (jwk != NULL)
    {
      if (json_object_has_member (jwk, "d"))
        job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The credential carries a private key in its header"));
      else if (!bw_jws_verify_jwk (job->jws, jwk, &error))
        job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                   _("The credential’s signature does not match its key: %s"), error->message);
      else
        {
          job_check (job, "proof", BW_CHECK_PASS, OUTCOME_NONE,
                     _("The credential has not been changed since it was signed"));
          job_check (job, "signing-key", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                     _("The key is carried inside the credential itself, so nothing ties it to "
                       "the issuer and the credential cannot be confirmed"));
        }
      job_finish (job);
      return;
    }

  job_check (job, "signing-key", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
             _("The credential’s key (%s) cannot be looked up by this version"),
             kid != NULL ? kid : _("none named"));
  job_finish (job);
}

static void
handle_jwt_key (VerifyJob     *job,
                BwFetchResult *result,
                GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *key;

  if (result == NULL)
    {
      job_fetch_failed (job, "signing-key", _("signing key"), job->fetch_url, error);
      job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      job_http_failed (job, "signing-key", _("signing key"), job->fetch_url, result->status);
      job_finish (job);
      return;
    }
  document = parse_body (result, &local_error);
  key = node_object (document);
  if (key != NULL && object_get_object (key, "publicKeyJwk") != NULL)
    key = object_get_object (key, "publicKeyJwk");
  if (key == NULL)
    {
      job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The key at %s is not a JSON Web Key"), job->fetch_url);
      job_finish (job);
      return;
    }
  bw_report_add_document (job->report, "key", job->fetch_url, document);
  job_check (job, "signing-key", BW_CHECK_PASS, OUTCOME_NONE,
             _("The key %s is on the issuer’s site"), job->fetch_url);
  if (bw_jws_verify_jwk (job->jws, key, &local_error))
    {
      job->confirmed = TRUE;
      job_check (job, "proof", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The credential’s signature matches the issuer’s key"));
    }
  else
    job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
               _("The credential’s signature does not match the issuer’s key: %s"),
               local_error->message);
  job_finish (job);
}

/* A job starts from what the payload says and ends by computing the
 * verdict from the outcomes its checks recorded. */

static const char *
spec_string (BwSpecVersion spec)
{
  switch (spec)
    {
    case BW_SPEC_0_5:
    case BW_SPEC_1_0:
      return "1.0";
    case BW_SPEC_1_1:
      return "1.1";
    case BW_SPEC_2_0:
      return "2.0";
    case BW_SPEC_3_0:
      return "3.0";
    case BW_SPEC_UNKNOWN:
    default:
      return NULL;
    }
}

static void
report_payload (VerifyJob       *job,
                const BwPayload *payload)
{
  g_autoptr(GString) notes = NULL;

  if (payload == NULL)
    {
      job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE, _("The input is a badge document"));
      return;
    }

  if (payload->format != BW_IMAGE_FORMAT_NONE)
    job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE,
               _("The image holds Open Badges data (%s, from %s)"),
               bw_payload_kind_to_string (payload->kind),
               bw_payload_source_to_string (payload->source));
  else
    job_check (job, "payload", BW_CHECK_PASS, OUTCOME_NONE,
               _("The input holds Open Badges data (%s)"),
               bw_payload_kind_to_string (payload->kind));

  if (payload->warnings == NULL || payload->warnings->len == 0)
    return;
  notes = g_string_new (NULL);
  for (guint i = 0; i < payload->warnings->len; i++)
    g_string_append_printf (notes, "%s%s", i > 0 ? "; " : "",
                            (const char *)g_ptr_array_index (payload->warnings, i));
  job_check (job, "container", BW_CHECK_WARN, OUTCOME_NONE, "%s", notes->str);
}

static void
job_start_badge (VerifyJob *job)
{
  BwBadge *badge = job->input_badge;
  BwVerificationKind kind = bw_badge_get_verification (badge);
  const BwPayload *payload = bw_badge_get_payload (badge);
  const char *hosted_url;

  bw_report_set_spec (job->report, spec_string (bw_badge_get_spec (badge)));
  bw_report_set_verification (job->report, bw_verification_kind_to_string (kind));
  bw_report_set_badge (job->report, badge);
  g_set_object (&job->badge, badge);
  report_payload (job, payload);

  switch (kind)
    {
    case BW_VERIFICATION_HOSTED:
      hosted_url = bw_badge_get_hosted_url (badge);
      if (hosted_url == NULL && is_http_url (bw_badge_get_id (badge)))
        hosted_url = bw_badge_get_id (badge);
      if (hosted_url == NULL && payload != NULL && payload->kind == BW_PAYLOAD_KIND_URL)
        hosted_url = payload->text;
      if (!is_http_url (hosted_url))
        {
          job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The badge gives no web address where the issuer’s copy can be checked"));
          job_finish (job);
          return;
        }
      job_fetch (job, hosted_url,
                 payload != NULL && payload->source == BW_PAYLOAD_SOURCE_URL ?
                 BW_FETCH_ANY : BW_FETCH_DOCUMENT,
                 PHASE_ASSERTION);
      return;

    case BW_VERIFICATION_SIGNED:
      {
        g_autofree char *problem =
          document_shape_problem (bw_badge_get_assertion_document (badge), "Assertion", NULL);

        if (problem != NULL)
          {
            job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                       _("The signed badge is not an Open Badges assertion: %s"), problem);
            job_finish (job);
            return;
          }
      }
      job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                 _("The signed badge’s assertion was read"));
      job->resolve_steps = 0;
      job_resolve_next (job);
      return;

    case BW_VERIFICATION_PROOF:
      job_start_credential (job);
      return;

    case BW_VERIFICATION_NONE:
    default:
      if (payload != NULL && payload->kind == BW_PAYLOAD_KIND_URL && is_http_url (payload->text))
        {
          job_fetch (job, payload->text, BW_FETCH_ANY, PHASE_ASSERTION);
          return;
        }
      job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The badge says neither where it is hosted nor how it is signed"));
      job_finish (job);
      return;
    }
}

static void
job_finish (VerifyJob *job)
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
        check_hosted_policy (job);
      check_dates (job);
    }
  else if (job->badge != NULL && bw_badge_get_verification (job->badge) == BW_VERIFICATION_PROOF &&
           bw_report_get_check (job->report, "issued-date") == NULL)
    check_dates (job);

  if (job->badge != NULL && bw_report_get_check (job->report, "recipient") == NULL)
    check_recipient (job);
  else if (job->badge == NULL)
    bw_report_set_recipient (job->report, BW_MATCH_UNKNOWN, NULL);

  if (job->self->offline && outcome_to_verdict (job->outcome) == BW_VERDICT_VALID)
    job_check (job, "offline", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
               _("Checked without the network, against copies of the issuer’s documents kept "
                 "from earlier; whether the issuer has revoked the badge since cannot be known"));

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
  job_start_badge (job);
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
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->input);
  g_clear_pointer (&data->data, g_bytes_unref);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_pointer (&data->payload, bw_payload_free);
  g_clear_error (&data->error);
  g_free (data);
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
      job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("No badge could be read from the input: %s"), data->error->message);
      job_finish (job);
      return G_SOURCE_REMOVE;
    }

  badge = bw_badge_new_from_payload (data->payload, &error);
  if (badge == NULL)
    {
      bw_report_set_spec (job->report, NULL);
      job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                 _("The input holds Open Badges data, but not a readable badge: %s"),
                 error->message);
      job_finish (job);
      return G_SOURCE_REMOVE;
    }
  if (data->payload->source == BW_PAYLOAD_SOURCE_FILE || data->payload->format != BW_IMAGE_FORMAT_NONE)
    bw_badge_set_original_path (badge, bw_report_get_input (job->report));
  job->input_badge = g_steal_pointer (&badge);
  job_start_badge (job);
  return G_SOURCE_REMOVE;
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

  if (data == NULL && is_http_url (input))
    {
      g_autoptr(BwPayload) payload = bw_payload_new (BW_PAYLOAD_KIND_URL, BW_PAYLOAD_SOURCE_URL, input);
      g_autoptr(GError) error = NULL;

      job->input_badge = bw_badge_new_from_payload (payload, &error);
      if (job->input_badge == NULL)
        {
          job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                     _("The address cannot be used: %s"), error->message);
          job_finish (job);
          return;
        }
      job_start_badge (job);
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
