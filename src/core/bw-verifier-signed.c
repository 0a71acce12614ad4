/* bw-verifier-signed.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-verifier-signed"

#include "config.h"

#include <glib/gi18n.h>

#include "bw-jose.h"
#include "bw-ob3.h"
#include "bw-util.h"
#include "bw-verifier-private.h"

/* An issuer publishes a handful of keys; more than this many key fetches
 * for one badge means a hostile issuer. */
#define MAX_KEYS 8

static void job_revocation (VerifyJob *job);

/* Signed assertions follow open-badges.md §3 D. */

static JsonObject *
assertion_verification (BwBadge *badge)
{
  JsonObject *assertion = _bw_verifier_node_object (bw_badge_get_assertion_document (badge));
  JsonObject *verification = _bw_verifier_object_get_object (assertion, "verification");

  if (verification == NULL)
    verification = _bw_verifier_object_get_object (assertion, "verify");
  return verification;
}

void
_bw_verifier_job_keys_next (VerifyJob *job)
{
  if (job->key_urls == NULL)
    {
      JsonObject *issuer = _bw_verifier_node_object (bw_badge_get_issuer_document (job->badge));
      JsonObject *verification = assertion_verification (job->badge);
      const char *creator = bw_json_object_get_string (verification, "creator");
      g_autoptr(GPtrArray) listed = _bw_verifier_object_get_id_list (issuer, "publicKey");
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
          _bw_verifier_job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The signed badge is not a readable JWS: %s"),
                                  jws_error != NULL ? jws_error->message : _("no signature found"));
          _bw_verifier_job_finish (job);
          return;
        }

      alg = bw_jws_get_alg (job->jws);
      if (alg == NULL || g_ascii_strcasecmp (alg, "none") == 0)
        {
          _bw_verifier_job_check (job, "algorithm", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The badge is not signed at all (algorithm “none”)"));
          _bw_verifier_job_finish (job);
          return;
        }
      if (g_str_equal (alg, "RS256"))
        _bw_verifier_job_check (job, "algorithm", BW_CHECK_PASS, OUTCOME_NONE,
                                _("Signed with RS256, the algorithm Open Badges 2.0 uses"));
      else
        _bw_verifier_job_check (job, "algorithm", BW_CHECK_WARN, OUTCOME_NONE,
                                _("Signed with %s; Open Badges 2.0 signs with RS256"), alg);

      job->key_urls = g_ptr_array_new_with_free_func (g_free);
      if (creator != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < listed->len && !found; i++)
            found = g_str_equal (g_ptr_array_index (listed, i), creator);
          if (!found)
            {
              _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                      _("The badge was signed with the key %s, which the issuer "
                                        "does not list among its keys"), creator);
              _bw_verifier_job_finish (job);
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
          g_autofree char *key_authority = _bw_verifier_url_authority (url);
          g_autofree char *issuer_authority =
            _bw_verifier_url_authority (bw_badge_get_issuer_id (job->badge));
          g_autofree char *issuer_url_authority =
            _bw_verifier_url_authority (bw_badge_get_issuer_url (job->badge));

          if (key_authority != NULL &&
              (g_strcmp0 (key_authority, issuer_authority) == 0 ||
               g_strcmp0 (key_authority, issuer_url_authority) == 0))
            g_ptr_array_add (job->key_urls, g_strdup (url));
        }

      if (job->key_urls->len == 0)
        {
          _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The issuer lists no public key, so the signature cannot be "
                                    "trusted"));
          _bw_verifier_job_finish (job);
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
        _bw_verifier_job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                                _("The issuer’s key could not be fetched: %s"), job->key_failure);
      else
        _bw_verifier_job_check (job, "signature", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The signature does not match the issuer’s key: %s"),
                                job->key_failure != NULL ?
                                job->key_failure : _("no key verified it"));
      _bw_verifier_job_finish (job);
      return;
    }

  {
    const char *url = g_ptr_array_index (job->key_urls, job->key_index);

    if (!_bw_verifier_is_http_url (url))
      {
        g_free (job->key_failure);
        job->key_failure = g_strdup_printf (_("the key id %s is no web address"), url);
        job->key_index++;
        _bw_verifier_job_keys_next (job);
        return;
      }
    _bw_verifier_job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_KEY);
  }
}

void
_bw_verifier_handle_key (VerifyJob     *job,
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
      _bw_verifier_job_keys_next (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      g_free (job->key_failure);
      job->key_failure = g_strdup_printf (_("the key %s does not exist (HTTP %u)"), url, result->status);
      _bw_verifier_job_keys_next (job);
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

      document = _bw_verifier_parse_body (result, &local_error);
      key = _bw_verifier_node_object (document);
      if (key == NULL)
        {
          g_free (job->key_failure);
          job->key_failure = g_strdup_printf (_("the key %s is not a JSON object"), url);
          _bw_verifier_job_keys_next (job);
          return;
        }
      bw_report_add_document (job->report, "key", url, document);
      if (json_object_has_member (key, "type") &&
          !_bw_verifier_type_names (json_object_get_member (key, "type"), "CryptographicKey", NULL))
        {
          _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The document at %s is not a CryptographicKey"), url);
          _bw_verifier_job_finish (job);
          return;
        }
      owner = bw_json_object_get_string (key, "owner");
      if (owner == NULL || g_strcmp0 (owner, issuer_id) != 0)
        {
          _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The key %s belongs to %s, not to the issuer %s"), url,
                                  owner != NULL ? owner : _("nobody named"),
                                  issuer_id != NULL ? issuer_id : _("(unnamed)"));
          _bw_verifier_job_finish (job);
          return;
        }
      pem = bw_json_object_get_string (key, "publicKeyPem");
      if (pem == NULL)
        {
          g_free (job->key_failure);
          job->key_failure = g_strdup_printf (_("the key %s has no publicKeyPem"), url);
          _bw_verifier_job_keys_next (job);
          return;
        }
    }
  else
    bw_report_add_document (job->report, "key", url, NULL);

  if (bw_jws_verify_pem (job->jws, pem, &local_error))
    {
      job->signature_ok = TRUE;
      job->confirmed = TRUE;
      _bw_verifier_job_check (job, "signing-key", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The key %s belongs to the issuer"), url);
      _bw_verifier_job_check (job, "signature", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The signature matches the issuer’s key"));
    }
  else
    {
      g_free (job->key_failure);
      job->key_failure = g_strdup (local_error->message);
      job->key_unreachable = FALSE;
    }
  _bw_verifier_job_keys_next (job);
}

static void
job_revocation (VerifyJob *job)
{
  JsonObject *issuer = _bw_verifier_node_object (bw_badge_get_issuer_document (job->badge));
  const char *url = bw_json_object_get_string (issuer, "revocationList");

  if (url == NULL)
    {
      _bw_verifier_job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The issuer publishes no revocation list, so nothing revokes "
                                "this badge"));
      _bw_verifier_job_image (job);
      return;
    }
  if (!_bw_verifier_is_http_url (url))
    {
      _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The issuer’s revocation list “%s” is no web address"), url);
      _bw_verifier_job_finish (job);
      return;
    }
  _bw_verifier_job_fetch (job, url, BW_FETCH_DOCUMENT, PHASE_REVOCATION);
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

  object = _bw_verifier_node_object (entry);
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

void
_bw_verifier_handle_revocation (VerifyJob     *job,
                                BwFetchResult *result,
                                GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *url = job->fetch_url;
  const char *id = bw_badge_get_id (job->badge);
  JsonObject *assertion = _bw_verifier_node_object (bw_badge_get_assertion_document (job->badge));
  const char *uid = bw_json_object_get_string (assertion, "uid");
  const char *reason = NULL;
  gboolean listed = FALSE;
  JsonObject *list;
  JsonNode *entries;

  if (result == NULL)
    {
      _bw_verifier_job_fetch_failed (job, "revocation", _("revocation list"), url, error);
      _bw_verifier_job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      /* A revocation list the issuer names but does not serve leaves the
       * question open, whatever the status. */
      _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_UNREACHABLE,
                              _("The issuer’s revocation list at %s could not be read (HTTP %u)"),
                              url, result->status);
      _bw_verifier_job_finish (job);
      return;
    }

  document = _bw_verifier_parse_body (result, &parse_error);
  list = _bw_verifier_node_object (document);
  if (list == NULL)
    {
      _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The issuer’s revocation list at %s is not a JSON object"), url);
      _bw_verifier_job_finish (job);
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
    _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
                            _("The issuer has revoked this badge: “%s”"), reason);
  else if (listed)
    _bw_verifier_job_check (job, "revocation", BW_CHECK_FAIL, OUTCOME_REVOKED,
                            _("The issuer’s revocation list names this badge"));
  else
    _bw_verifier_job_check (job, "revocation", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The issuer’s revocation list does not name this badge"));
  _bw_verifier_job_image (job);
}

/* OB 3.0 credentials. Embedded Data Integrity proofs need RDF dataset
 * canonicalization, which this version does not do: such a proof is
 * reported as not checked, and the credential is never called valid. VC-JWT signatures
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
  kid_authority = _bw_verifier_url_authority (kid);
  issuer_authority = _bw_verifier_url_authority (issuer_id);
  return kid_authority != NULL && g_strcmp0 (kid_authority, issuer_authority) == 0;
}

static void
check_credential_shape (VerifyJob  *job,
                        JsonObject *credential,
                        JsonObject *claims)
{
  g_autofree char *context = NULL;
  g_autofree char *type = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gboolean older = FALSE;

  context = bw_ob3_context_problem (credential, &older);
  if (context != NULL)
    _bw_verifier_job_check (job, "context", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The credential is not an Open Badges 3.0 credential: %s"), context);
  else if (older)
    _bw_verifier_job_check (job, "context", BW_CHECK_WARN, OUTCOME_NONE,
                            _("The credential uses the older Verifiable Credentials 1.1 data "
                              "model"));
  else
    _bw_verifier_job_check (job, "context", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The credential names the Verifiable Credentials 2.0 and Open "
                              "Badges 3.0 contexts"));

  type = bw_ob3_type_problem (credential);
  if (type != NULL)
    _bw_verifier_job_check (job, "type", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The credential is not an Open Badge: %s"), type);
  else
    _bw_verifier_job_check (job, "type", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The credential is typed as an Open Badge"));

  problems = bw_ob3_structure_problems (credential, claims);
  if (problems != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "; " : "",
                                (const char *)g_ptr_array_index (problems, i));
      _bw_verifier_job_check (job, "structure", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The credential is not well-formed: %s"), text->str);
    }
  else
    _bw_verifier_job_check (job, "structure", BW_CHECK_PASS, OUTCOME_NONE,
                            _("The credential has every member Open Badges 3.0 requires, each "
                              "of the right kind"));
}

void
_bw_verifier_job_start_credential (VerifyJob *job)
{
  const BwPayload *payload = bw_badge_get_payload (job->badge);
  JsonObject *credential = _bw_verifier_node_object (bw_badge_get_assertion_document (job->badge));
  const char *jws = bw_badge_get_jws (job->badge);
  g_autoptr(GError) error = NULL;
  JsonObject *header;
  JsonObject *jwk;
  const char *kid;
  const char *alg;

  if (jws == NULL && payload != NULL && payload->kind == BW_PAYLOAD_KIND_VC_JWT)
    jws = payload->text;

  /* What needs no cryptography runs first: a credential that is plainly
   * not a well-formed Open Badge, or is out of its validity period, is
   * reported as such whatever its proof would say. */
  if (credential != NULL)
    {
      g_autoptr(BwJws) parsed = jws != NULL ? bw_jws_parse (jws, NULL) : NULL;
      JsonObject *claims = parsed != NULL ?
                           _bw_verifier_node_object (bw_jws_get_payload_json (parsed)) : NULL;

      check_credential_shape (job, credential, claims);
    }
  _bw_verifier_check_dates (job);

  if (credential != NULL && json_object_has_member (credential, "credentialStatus"))
    _bw_verifier_job_check (job, "revocation", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                            _("The credential has a status entry (revocation list), which this "
                              "version cannot check"));

  if (jws == NULL)
    {
      if (credential != NULL && json_object_has_member (credential, "proof"))
        _bw_verifier_job_check (job, "proof", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                                _("The credential is signed with an embedded proof (Data "
                                  "Integrity), which this version cannot check, so it cannot be "
                                  "confirmed"));
      else
        _bw_verifier_job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The credential carries no proof, so anyone could have "
                                  "written it"));
      _bw_verifier_job_finish (job);
      return;
    }

  job->jws = bw_jws_parse (jws, &error);
  if (job->jws == NULL)
    {
      _bw_verifier_job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The credential’s JWT cannot be read: %s"), error->message);
      _bw_verifier_job_finish (job);
      return;
    }
  alg = bw_jws_get_alg (job->jws);
  if (alg == NULL || g_ascii_strcasecmp (alg, "none") == 0)
    {
      _bw_verifier_job_check (job, "algorithm", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The credential is not signed at all (algorithm “none”)"));
      _bw_verifier_job_finish (job);
      return;
    }

  /* The JWT claims must say what the credential says (VC-JWT §"iss"). */
  {
    JsonObject *claims = _bw_verifier_node_object (bw_jws_get_payload_json (job->jws));
    const char *iss = bw_json_object_get_string (claims, "iss");
    const char *issuer_id = bw_badge_get_issuer_id (job->badge);

    if (iss != NULL && issuer_id != NULL && !g_str_equal (iss, issuer_id))
      {
        _bw_verifier_job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The JWT says it was issued by %s, but the credential names %s"),
                                iss, issuer_id);
        _bw_verifier_job_finish (job);
        return;
      }
  }

  header = bw_jws_get_header (job->jws);
  kid = bw_json_object_get_string (header, "kid");
  jwk = _bw_verifier_object_get_object (header, "jwk");

  if (kid != NULL && _bw_verifier_is_http_url (kid))
    {
      if (!key_bound_to_issuer (kid, bw_badge_get_issuer_id (job->badge)))
        {
          _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                  _("The credential was signed with the key %s, which is not on "
                                    "the issuer’s site (%s)"),
                                  kid, bw_badge_get_issuer_id (job->badge));
          _bw_verifier_job_finish (job);
          return;
        }
      _bw_verifier_job_fetch (job, kid, BW_FETCH_DOCUMENT, PHASE_JWT_KEY);
      return;
    }

  if (jwk != NULL)
    {
      if (json_object_has_member (jwk, "d"))
        _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The credential carries a private key in its header"));
      else if (!bw_jws_verify_jwk (job->jws, jwk, &error))
        _bw_verifier_job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                                _("The credential’s signature does not match its key: %s"),
                                error->message);
      else
        {
          _bw_verifier_job_check (job, "proof", BW_CHECK_PASS, OUTCOME_NONE,
                                  _("The credential has not been changed since it was signed"));
          _bw_verifier_job_check (job, "signing-key", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                                  _("The key is carried inside the credential itself, so "
                                    "nothing ties it to the issuer and the credential cannot be "
                                    "confirmed"));
        }
      _bw_verifier_job_finish (job);
      return;
    }

  _bw_verifier_job_check (job, "signing-key", BW_CHECK_SKIP, OUTCOME_UNREACHABLE,
                          _("The credential’s key (%s) cannot be looked up by this version"),
                          kid != NULL ? kid : _("none named"));
  _bw_verifier_job_finish (job);
}

void
_bw_verifier_handle_jwt_key (VerifyJob     *job,
                             BwFetchResult *result,
                             GError        *error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *key;

  if (result == NULL)
    {
      _bw_verifier_job_fetch_failed (job, "signing-key", _("signing key"), job->fetch_url, error);
      _bw_verifier_job_finish (job);
      return;
    }
  if (result->status < 200 || result->status >= 300)
    {
      _bw_verifier_job_http_failed (job, "signing-key", _("signing key"), job->fetch_url,
                                    result->status);
      _bw_verifier_job_finish (job);
      return;
    }
  document = _bw_verifier_parse_body (result, &local_error);
  key = _bw_verifier_node_object (document);
  if (key != NULL && _bw_verifier_object_get_object (key, "publicKeyJwk") != NULL)
    key = _bw_verifier_object_get_object (key, "publicKeyJwk");
  if (key == NULL)
    {
      _bw_verifier_job_check (job, "signing-key", BW_CHECK_FAIL, OUTCOME_INVALID,
                              _("The key at %s is not a JSON Web Key"), job->fetch_url);
      _bw_verifier_job_finish (job);
      return;
    }
  bw_report_add_document (job->report, "key", job->fetch_url, document);
  _bw_verifier_job_check (job, "signing-key", BW_CHECK_PASS, OUTCOME_NONE,
                          _("The key %s is on the issuer’s site"), job->fetch_url);
  if (bw_jws_verify_jwk (job->jws, key, &local_error))
    {
      job->confirmed = TRUE;
      _bw_verifier_job_check (job, "proof", BW_CHECK_PASS, OUTCOME_NONE,
                              _("The credential’s signature matches the issuer’s key"));
    }
  else
    _bw_verifier_job_check (job, "proof", BW_CHECK_FAIL, OUTCOME_INVALID,
                            _("The credential’s signature does not match the issuer’s key: %s"),
                            local_error->message);
  _bw_verifier_job_finish (job);
}
