/* bw-verifier-hosted.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-verifier-hosted"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bw-baked.h"
#include "bw-util.h"
#include "bw-verifier-private.h"

/* A badge may refer to a handful of documents; more than this many fetches
 * for one badge means a loop or a hostile issuer. */
#define MAX_RESOLVE_STEPS 8

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

gboolean
_bw_verifier_type_names (JsonNode   *node,
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
        if (_bw_verifier_type_names (json_array_get_element (array, i), name, alias))
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
char *
_bw_verifier_document_shape_problem (JsonNode   *document,
                                     const char *class_name,
                                     const char *alias)
{
  JsonObject *object = _bw_verifier_node_object (document);
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
  if (context != NULL && (type == NULL || !_bw_verifier_type_names (type, class_name, alias)))
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
  JsonObject *a = _bw_verifier_node_object (baked);
  JsonObject *b = _bw_verifier_node_object (hosted);
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

/* A web page: what a server answers for a badge's "share" link, a login
 * wall or an error page, none of which is a badge. */
static gboolean
body_is_html (BwFetchResult *result)
{
  gsize length = 0;
  const char *data;
  gsize i = 0;

  if (g_strcmp0 (result->content_type, "text/html") == 0 ||
      g_strcmp0 (result->content_type, "application/xhtml+xml") == 0)
    return TRUE;
  if (result->body == NULL)
    return FALSE;
  data = g_bytes_get_data (result->body, &length);
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return (length - i >= 14 && g_ascii_strncasecmp (data + i, "<!doctype html", 14) == 0) ||
         (length - i >= 5 && g_ascii_strncasecmp (data + i, "<html", 5) == 0);
}

static void
handle_revoked_document (VerifyJob  *job,
                         JsonObject *object,
                         const char *url,
                         guint       status)
{
  const char *reason = bw_json_object_get_string (object, "revocationReason");

  if (reason != NULL)
    _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
                            _("The issuer has revoked this badge: “%s”"), reason);
  else if (status == 410)
    _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
                            _("The issuer has revoked this badge (HTTP 410 Gone at %s)"), url);
  else
    _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
                            _("The issuer has revoked this badge"));
}

void
_bw_verifier_handle_assertion (VerifyJob     *job,
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
      _bw_verifier_job_fetch_failed (job, "assertion", _("issuer’s copy of the badge"), url,
                                     error);
      _bw_verifier_job_finish (job);
      return;
    }

  if (result->status >= 200 && result->status < 300 && body_is_html (result))
    {
      _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The server at %s answered with a web page, not a badge"), url);
      _bw_verifier_job_finish (job);
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
          _bw_verifier_job_check (job, "payload", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The image at %s holds no usable Open Badges data: %s"),
                                  url, parse_error->message);
          _bw_verifier_job_finish (job);
          return;
        }
      g_set_object (&job->input_badge, badge);
      _bw_verifier_job_start_badge (job);
      return;
    }

  if (result->status == 410)
    {
      g_autoptr(JsonNode) gone = _bw_verifier_parse_body (result, NULL);

      bw_report_add_document (job->report, "assertion", url, gone);
      _bw_verifier_job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The issuer answers for this badge at %s"), url);
      handle_revoked_document (job, _bw_verifier_node_object (gone), url, result->status);
      _bw_verifier_job_finish (job);
      return;
    }

  if (result->status < 200 || result->status >= 300)
    {
      _bw_verifier_job_http_failed (job, "assertion", _("copy of this badge"), url, result->status);
      _bw_verifier_job_finish (job);
      return;
    }

  document = _bw_verifier_parse_body (result, &parse_error);
  if (document == NULL || _bw_verifier_node_object (document) == NULL)
    {
      _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The issuer’s copy at %s is not a JSON object: %s"), url,
                              parse_error != NULL ? parse_error->message : _("another JSON value"));
      _bw_verifier_job_finish (job);
      return;
    }
  bw_report_add_document (job->report, "assertion", url, document);
  object = _bw_verifier_node_object (document);

  revoked = json_object_get_member (object, "revoked");
  if (revoked != NULL && JSON_NODE_HOLDS_VALUE (revoked) &&
      json_node_get_value_type (revoked) == G_TYPE_BOOLEAN && json_node_get_boolean (revoked))
    {
      _bw_verifier_job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The issuer answers for this badge at %s"), url);
      handle_revoked_document (job, object, url, result->status);
      _bw_verifier_job_finish (job);
      return;
    }

  {
    g_autofree char *problem = _bw_verifier_document_shape_problem (document, "Assertion", NULL);

    if (problem != NULL)
      {
        _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The issuer’s copy at %s is not an Open Badges assertion: %s"),
                                url, problem);
        _bw_verifier_job_finish (job);
        return;
      }
  }

  hosted = bw_badge_new_from_json (document, url, &parse_error);
  if (hosted == NULL)
    {
      _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The issuer’s copy at %s is not a valid assertion: %s"), url,
                              parse_error->message);
      _bw_verifier_job_finish (job);
      return;
    }

  hosted_id = bw_badge_get_id (hosted);
  if (g_strcmp0 (hosted_id, url) != 0 && g_strcmp0 (hosted_id, result->final_url) != 0)
    {
      _bw_verifier_job_check (job, "assertion", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The document at %s says its id is %s, so it is not this badge"),
                              url, hosted_id != NULL ? hosted_id : _("(none)"));
      _bw_verifier_job_finish (job);
      return;
    }
  _bw_verifier_job_check (job, "assertion", BW_CHECK_PASS, OUTCOME_NONE,
                          _("The issuer’s copy of the badge was found at %s"), url);
  _bw_verifier_job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
                          _("The issuer still serves this badge and has not revoked it"));

  /* The hosted copy is the truth; a different baked copy is reported. */
  if (job->input_badge != NULL && bw_badge_get_assertion_document (job->input_badge) != NULL &&
      bw_badge_get_verification (job->input_badge) == BW_VERIFICATION_HOSTED)
    {
      g_autofree char *differences =
        describe_differences (bw_badge_get_assertion_document (job->input_badge), document);

      if (differences != NULL)
        _bw_verifier_job_check (job, "baked-copy", BW_CHECK_WARN, OUTCOME_NONE,
                                _("The copy inside the file differs from the issuer’s copy "
                                  "in: %s; the issuer’s copy was used"), differences);
      else
        _bw_verifier_job_check (job, "baked-copy", BW_CHECK_PASS, OUTCOME_NONE,
                                _("The copy inside the file is the same as the issuer’s copy"));
    }

  g_set_object (&job->badge, hosted);
  job->confirmed = TRUE;
  bw_report_set_badge (job->report, hosted);
  bw_report_set_spec (job->report, _bw_verifier_spec_string (bw_badge_get_spec (hosted)));
  bw_report_set_verification (job->report,
                              bw_verification_kind_to_string (bw_badge_get_verification (hosted)));
  job->resolve_steps = 0;
  _bw_verifier_job_resolve_next (job);
}

/* The BadgeClass and issuer Profile are fetched in the order the badge
 * asks for them. Signed badges resolve them here too (open-badges.md §3
 * D.2), then go on to their keys. */

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

void
_bw_verifier_job_resolve_next (VerifyJob *job)
{
  g_autofree char *url = NULL;
  BwDocumentKind kind = BW_DOCUMENT_BADGE_CLASS;

  if (!bw_badge_needs_fetch (job->badge))
    {
      GPtrArray *warnings = bw_badge_get_warnings (job->badge);
      JsonObject *issuer = _bw_verifier_node_object (bw_badge_get_issuer_document (job->badge));
      const char *issuer_id = bw_json_object_get_string (issuer, "id");
      const char *issuer_name = bw_badge_get_issuer_name (job->badge);
      const char *name = bw_badge_get_name (job->badge);

      /* The issuer is named by the id its profile declares. */
      if (issuer_id == NULL)
        issuer_id = bw_badge_get_issuer_id (job->badge);

      /* What the parser tolerated (a declared id that differs from the
       * fetch URL, upgraded 1.x dates, ...) is worth showing, not failing. */
      if ((warnings != NULL && warnings->len > 0) ||
          (job->document_notes != NULL && job->document_notes->len > 0))
        {
          g_autoptr(GString) notes = g_string_new (NULL);

          for (guint i = 0; job->document_notes != NULL && i < job->document_notes->len; i++)
            g_string_append_printf (notes, "%s%s", notes->len > 0 ? "; " : "",
                                    (const char *)g_ptr_array_index (job->document_notes, i));
          for (guint i = 0; warnings != NULL && i < warnings->len; i++)
            g_string_append_printf (notes, "%s%s", notes->len > 0 ? "; " : "",
                                    (const char *)g_ptr_array_index (warnings, i));
          _bw_verifier_job_check (job, "documents", BW_CHECK_WARN, OUTCOME_NONE, "%s", notes->str);
        }

      if (name != NULL)
        _bw_verifier_job_check (job, "badge-class", BW_CHECK_PASS, OUTCOME_NONE,
                                _("The badge is “%s”"), name);
      else
        _bw_verifier_job_check (job, "badge-class", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The badge has no name"));

      if (issuer_id != NULL || issuer_name != NULL)
        _bw_verifier_job_check (job, "issuer", BW_CHECK_PASS, OUTCOME_NONE,
                                _("The issuer is %s (%s)"),
                                issuer_name != NULL ? issuer_name : _("unnamed"),
                                issuer_id != NULL ? issuer_id : _("no id"));
      else
        _bw_verifier_job_check (job, "issuer", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The badge names no issuer"));

      if (job->outcome & (OUTCOME_INVALID | OUTCOME_UNREACHABLE))
        {
          _bw_verifier_job_finish (job);
          return;
        }

      if (bw_badge_get_verification (job->badge) == BW_VERIFICATION_SIGNED)
        _bw_verifier_job_keys_next (job);
      else
        _bw_verifier_job_image (job);
      return;
    }

  url = bw_badge_dup_pending_url (job->badge, &kind);
  if (url == NULL || ++job->resolve_steps > MAX_RESOLVE_STEPS)
    {
      _bw_verifier_job_check (job, "issuer", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The badge refers to more documents than a badge can (%u)"),
                              MAX_RESOLVE_STEPS);
      _bw_verifier_job_finish (job);
      return;
    }
  if (!_bw_verifier_is_http_url (url))
    {
      _bw_verifier_job_check (job, kind == BW_DOCUMENT_ISSUER ? "issuer" : "badge-class",
                              BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The %s is referred to as “%s”, which is no web address"),
                              kind == BW_DOCUMENT_ISSUER ? _("issuer") : _("badge class"), url);
      _bw_verifier_job_finish (job);
      return;
    }

  job->resolve_kind = kind;
  _bw_verifier_job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_RESOLVE);
}

void
_bw_verifier_handle_resolve (VerifyJob     *job,
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
      _bw_verifier_job_fetch_failed (job, id, what, url, error);
      _bw_verifier_job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      _bw_verifier_job_http_failed (job, id, what, url, result->status);
      _bw_verifier_job_finish (job);
      return;
    }

  document = _bw_verifier_parse_body (result, &parse_error);
  if (document != NULL)
    {
      g_autofree char *problem =
        job->resolve_kind == BW_DOCUMENT_ISSUER ?
        _bw_verifier_document_shape_problem (document, "Profile", "Issuer") :
        _bw_verifier_document_shape_problem (document, "BadgeClass", NULL);

      if (problem != NULL)
        {
          _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The %s at %s is not valid: %s"), what, url, problem);
          _bw_verifier_job_finish (job);
          return;
        }
    }
  if (document == NULL ||
      !bw_badge_resolve (job->badge, job->resolve_kind, url, document, &parse_error))
    {
      _bw_verifier_job_check (job, id, BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The %s at %s is not valid: %s"), what, url, parse_error->message);
      _bw_verifier_job_finish (job);
      return;
    }
  bw_report_add_document (job->report, document_role (job->resolve_kind), url, document);

  /* A document that calls itself by another address than the one it was
   * fetched from is used (the badge points at it), but said: validators
   * report it as a warning, and it is how a moved document looks. */
  {
    const char *declared = bw_json_object_get_string (_bw_verifier_node_object (document), "id");

    if (declared != NULL && g_strcmp0 (declared, url) != 0 &&
        g_strcmp0 (declared, result->final_url) != 0)
      {
        if (job->document_notes == NULL)
          job->document_notes = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (job->document_notes,
                         g_strdup_printf (_("The document fetched from %s (the %s) declares "
                                            "its id as %s"),
                                          url, what, declared));
      }
  }
  _bw_verifier_job_resolve_next (job);
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

void
_bw_verifier_job_image (VerifyJob *job)
{
  JsonObject *assertion = _bw_verifier_node_object (bw_badge_get_assertion_document (job->badge));
  JsonObject *badge_class =
    _bw_verifier_node_object (bw_badge_get_badge_class_document (job->badge));
  const char *assertion_image = image_of (assertion);
  const char *image = image_of (badge_class);

  if (assertion_image != NULL && g_str_has_prefix (assertion_image, "data:"))
    {
      _bw_verifier_job_check (job, "image", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The assertion’s image is a data: URI, which Open Badges 2.0 "
                                "does not allow on an assertion"));
      _bw_verifier_job_finish (job);
      return;
    }

  if (image == NULL)
    image = bw_badge_get_image (job->badge);

  if (image == NULL)
    {
      _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                              _("The badge has no image"));
      _bw_verifier_job_finish (job);
      return;
    }
  if (g_str_has_prefix (image, "data:"))
    {
      if (g_str_has_prefix (image, "data:image/png") || g_str_has_prefix (image, "data:image/svg+xml"))
        _bw_verifier_job_check (job, "image", BW_CHECK_PASS, OUTCOME_NONE,
                                _("The badge image is embedded in the badge class"));
      else
        _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                                _("The embedded badge image is neither PNG nor SVG"));
      _bw_verifier_job_finish (job);
      return;
    }
  if (!_bw_verifier_is_http_url (image))
    {
      _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                              _("The badge image “%s” is no web address"), image);
      _bw_verifier_job_finish (job);
      return;
    }
  _bw_verifier_job_fetch (job, image, BW_FETCH_IMAGE, PHASE_IMAGE);
}

void
_bw_verifier_handle_image (VerifyJob     *job,
                           BwFetchResult *result,
                           GError        *error)
{
  const char *url = job->fetch_url;

  if (result == NULL)
    _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                            _("The badge image at %s could not be fetched: %s"),
                            url, error->message);
  else if (result->status < 200 || result->status >= 300)
    _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                            _("The badge image at %s is missing (HTTP %u)"), url, result->status);
  else if (!body_is_image (result))
    _bw_verifier_job_check (job, "image", BW_CHECK_WARN, OUTCOME_NONE,
                            _("The badge image at %s is neither PNG nor SVG"), url);
  else
    _bw_verifier_job_check (job, "image", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The badge image was found at %s"), url);
  _bw_verifier_job_finish (job);
}

/* The hosted verification policy follows open-badges.md §3 C.4. */

static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (!_bw_verifier_is_http_url (url))
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

void
_bw_verifier_check_hosted_policy (VerifyJob *job)
{
  const char *id = bw_badge_get_id (job->badge);
  const char *issuer_id = bw_badge_get_issuer_id (job->badge);
  JsonObject *issuer = _bw_verifier_node_object (bw_badge_get_issuer_document (job->badge));
  const char *declared_issuer_id = bw_json_object_get_string (issuer, "id");
  JsonObject *policy = _bw_verifier_object_get_object (issuer, "verification");
  g_autoptr(GPtrArray) starts_with = NULL;
  g_autoptr(GPtrArray) origins = NULL;
  g_autofree char *authority = _bw_verifier_url_authority (id);
  g_autofree char *host = url_host (id);

  if (policy == NULL)
    policy = _bw_verifier_object_get_object (issuer, "verify");
  starts_with = _bw_verifier_object_get_id_list (policy, "startsWith");
  origins = _bw_verifier_object_get_id_list (policy, "allowedOrigins");

  if (starts_with->len > 0)
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < starts_with->len && !ok; i++)
        ok = g_str_has_prefix (id, g_ptr_array_index (starts_with, i));
      if (!ok)
        {
          _bw_verifier_job_check (job, "verification-policy", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The issuer only vouches for badges whose address starts "
                                    "with %s, and this one is at %s"),
                                  (const char *)g_ptr_array_index (starts_with, 0), id);
          return;
        }
    }

  /* The issuer is who its profile says it is: with no policy, badges
   * must live on the host of the id the profile declares, not on the host
   * it happened to be fetched from. */
  if (declared_issuer_id != NULL)
    issuer_id = declared_issuer_id;

  if (origins->len == 0 && starts_with->len == 0)
    {
      g_autofree char *issuer_authority = _bw_verifier_url_authority (issuer_id);

      if (issuer_authority == NULL)
        {
          _bw_verifier_job_check (job, "verification-policy", BW_CHECK_WARN, OUTCOME_NONE,
                                  _("The issuer’s id %s is no web address, so where its badges "
                                    "may be hosted cannot be checked"),
                                  issuer_id != NULL ? issuer_id : _("(none)"));
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
          _bw_verifier_job_check (job, "verification-policy", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The badge is hosted on %s, which is not the issuer’s site "
                                    "and not one the issuer allows"),
                                  authority != NULL ? authority : id);
          return;
        }
    }

  _bw_verifier_job_check (job, "verification-policy", BW_CHECK_PASS, OUTCOME_NONE,
                          _("The badge is hosted where the issuer says its badges live (%s)"),
                          authority != NULL ? authority : id);
}
