/* bw-identity.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-identity"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bw-error.h"
#include "bw-identity.h"

/* The identity kinds a person can give. OB 3.0 identityType values and
 * OB 2.0 types map onto these before comparing. */
typedef enum
{
  KIND_NONE,
  KIND_EMAIL,
  KIND_URL,
  KIND_TELEPHONE,
  KIND_ID,
} Kind;

static Kind
kind_from_type (const char *type)
{
  if (type == NULL)
    return KIND_NONE;
  if (g_ascii_strcasecmp (type, "email") == 0 ||
      g_ascii_strcasecmp (type, "emailAddress") == 0)
    return KIND_EMAIL;
  if (g_ascii_strcasecmp (type, "url") == 0)
    return KIND_URL;
  if (g_ascii_strcasecmp (type, "telephone") == 0 ||
      g_ascii_strcasecmp (type, "phone") == 0)
    return KIND_TELEPHONE;
  if (g_ascii_strcasecmp (type, "id") == 0)
    return KIND_ID;
  return KIND_NONE;
}

static const char *
kind_to_type (Kind kind)
{
  switch (kind)
    {
    case KIND_EMAIL:
      return "email";
    case KIND_URL:
      return "url";
    case KIND_TELEPHONE:
      return "telephone";
    case KIND_ID:
      return "id";
    case KIND_NONE:
    default:
      return NULL;
    }
}

/* A credentialSubject.id is usually a URL or a DID, so url and id
 * identities are compared against each other. */
static gboolean
kinds_comparable (Kind recipient,
                  Kind identity)
{
  if (recipient == KIND_NONE || identity == KIND_NONE)
    return FALSE;
  if (recipient == identity)
    return TRUE;
  return (recipient == KIND_URL || recipient == KIND_ID) &&
         (identity == KIND_URL || identity == KIND_ID);
}

/**
 * bw_identity_new:
 * @type: `email`, `url`, `telephone` or `id` (`emailAddress` is taken
 *   as `email`)
 * @value: the plain value
 *
 * Returns: (transfer full): a new identity
 */
BwIdentity *
bw_identity_new (const char *type,
                 const char *value)
{
  BwIdentity *identity;
  const char *normal;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  normal = kind_to_type (kind_from_type (type));
  identity = g_new0 (BwIdentity, 1);
  identity->type = g_strdup (normal != NULL ? normal : type);
  identity->value = g_strdup (value);
  return identity;
}

/**
 * bw_identity_parse:
 * @type_colon_value: `TYPE:VALUE`, as given to `--identity`
 * @error: return location for an error
 *
 * Splits at the first colon, so `url:https://example.org/me` works.
 *
 * Returns: (transfer full): the identity, or %NULL with @error set
 */
BwIdentity *
bw_identity_parse (const char  *type_colon_value,
                   GError     **error)
{
  g_autofree char *type = NULL;
  const char *colon;
  const char *value;

  g_return_val_if_fail (type_colon_value != NULL, NULL);

  colon = strchr (type_colon_value, ':');
  if (colon == NULL || colon == type_colon_value)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("Identity “%s” is not of the form TYPE:VALUE"), type_colon_value);
      return NULL;
    }

  type = g_strndup (type_colon_value, colon - type_colon_value);
  value = colon + 1;
  if (kind_from_type (type) == KIND_NONE)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("Unknown identity type “%s” (expected email, url, telephone or id)"), type);
      return NULL;
    }
  if (*value == '\0')
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("Identity “%s” has an empty value"), type_colon_value);
      return NULL;
    }

  return bw_identity_new (type, value);
}

void
bw_identity_free (BwIdentity *identity)
{
  if (identity == NULL)
    return;
  g_free (identity->type);
  g_free (identity->value);
  g_free (identity);
}

static gboolean
parse_algorithm (const char    *algorithm,
                 GChecksumType *type,
                 gsize         *hex_length)
{
  if (g_ascii_strcasecmp (algorithm, "sha256") == 0)
    {
      *type = G_CHECKSUM_SHA256;
      *hex_length = 64;
      return TRUE;
    }
  if (g_ascii_strcasecmp (algorithm, "md5") == 0)
    {
      *type = G_CHECKSUM_MD5;
      *hex_length = 32;
      return TRUE;
    }
  return FALSE;
}

/**
 * bw_identity_hash:
 * @algorithm: `sha256` or `md5`
 * @value: the plain identity
 * @salt: (nullable): the salt, appended to @value before hashing
 *
 * Computes an Open Badges IdentityHash: the algorithm, a dollar sign and
 * the lower-case hex digest of UTF-8(@value) followed by UTF-8(@salt).
 *
 * Returns: (transfer full) (nullable): `sha256$…`/`md5$…`, or %NULL for
 *   an unknown algorithm
 */
char *
bw_identity_hash (const char *algorithm,
                  const char *value,
                  const char *salt)
{
  g_autoptr(GChecksum) checksum = NULL;
  GChecksumType type;
  gsize hex_length;

  g_return_val_if_fail (algorithm != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!parse_algorithm (algorithm, &type, &hex_length))
    return NULL;

  checksum = g_checksum_new (type);
  g_checksum_update (checksum, (const guchar *)value, strlen (value));
  if (salt != NULL)
    g_checksum_update (checksum, (const guchar *)salt, strlen (salt));
  return g_strdup_printf ("%s$%s", type == G_CHECKSUM_SHA256 ? "sha256" : "md5",
                          g_checksum_get_string (checksum));
}

/* Splits a stored IdentityHash into its algorithm and lower-case hex.
 * Returns FALSE when it is not a well-formed hash. */
static gboolean
split_hash (const char  *stored,
            char       **algorithm,
            char       **hex)
{
  const char *dollar = strchr (stored, '$');
  g_autofree char *name = NULL;
  GChecksumType type;
  gsize hex_length;

  if (dollar == NULL)
    return FALSE;
  name = g_strndup (stored, dollar - stored);
  if (!parse_algorithm (name, &type, &hex_length))
    return FALSE;
  if (strlen (dollar + 1) != hex_length)
    return FALSE;
  for (const char *p = dollar + 1; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  *algorithm = g_ascii_strdown (name, -1);
  *hex = g_ascii_strdown (dollar + 1, -1);
  return TRUE;
}

/* Telephone numbers are typed with spaces and dashes but stored in
 * E.164 form. */
static char *
strip_telephone (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || *p == '+')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The forms of the typed value to try, in order: as typed, then the
 * normalised form (lower case for e-mail, digits only for telephone). */
static GPtrArray *
candidate_values (const BwIdentity *identity,
                  Kind              kind)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  char *normal = NULL;

  g_ptr_array_add (values, g_strdup (identity->value));
  if (kind == KIND_EMAIL)
    normal = g_utf8_strdown (identity->value, -1);
  else if (kind == KIND_TELEPHONE)
    normal = strip_telephone (identity->value);
  if (normal != NULL && strcmp (normal, identity->value) != 0)
    g_ptr_array_add (values, normal);
  else
    g_free (normal);
  return values;
}

static BwRecipientMatch
match_one_full (const BwRecipient *recipient,
                const BwIdentity  *identity,
                gboolean          *normalised)
{
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *algorithm = NULL;
  g_autofree char *hex = NULL;
  Kind recipient_kind;
  Kind identity_kind;

  *normalised = FALSE;
  if (recipient == NULL || identity == NULL ||
      recipient->identity == NULL || identity->value == NULL)
    return BW_MATCH_UNKNOWN;

  recipient_kind = kind_from_type (recipient->type);
  identity_kind = kind_from_type (identity->type);
  if (!kinds_comparable (recipient_kind, identity_kind))
    return BW_MATCH_UNKNOWN;

  /* A hash that is not well-formed cannot be compared with anything. */
  if (recipient->hashed && !split_hash (recipient->identity, &algorithm, &hex))
    return BW_MATCH_UNKNOWN;

  values = candidate_values (identity, identity_kind);
  for (guint i = 0; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      gboolean same;

      if (recipient->hashed)
        {
          g_autofree char *computed = bw_identity_hash (algorithm, value, recipient->salt);

          same = computed != NULL && strcmp (computed + strlen (algorithm) + 1, hex) == 0;
        }
      else if (strcmp (value, recipient->identity) == 0)
        same = TRUE;
      else if (identity_kind == KIND_EMAIL || identity_kind == KIND_TELEPHONE)
        {
          /* A plain stored value is normalised like the typed one. */
          g_autofree char *stored = identity_kind == KIND_EMAIL
                                    ? g_utf8_strdown (recipient->identity, -1)
                                    : strip_telephone (recipient->identity);
          g_autofree char *typed = identity_kind == KIND_EMAIL
                                   ? g_utf8_strdown (value, -1)
                                   : strip_telephone (value);

          if (strcmp (typed, stored) == 0)
            {
              *normalised = TRUE;
              return BW_MATCH_MATCH;
            }
          same = FALSE;
        }
      else
        same = FALSE;

      if (same)
        {
          *normalised = i > 0;
          return BW_MATCH_MATCH;
        }
    }

  return BW_MATCH_MISMATCH;
}

/**
 * bw_identity_match_one:
 * @recipient: a recipient of a badge
 * @identity: an identity the user gave
 *
 * Returns: %BW_MATCH_UNKNOWN when the two are of kinds that cannot be
 *   compared (or the stored hash is malformed), otherwise whether they
 *   match
 */
BwRecipientMatch
bw_identity_match_one (const BwRecipient *recipient,
                       const BwIdentity  *identity)
{
  gboolean normalised;

  return match_one_full (recipient, identity, &normalised);
}

/**
 * bw_identity_match_full:
 * @recipients: (element-type BwRecipient) (nullable): the badge's recipients
 * @identities: (element-type BwIdentity) (nullable): the user's identities
 * @matched: (out) (optional) (transfer none): the identity that matched
 * @normalised: (out) (optional): whether it matched only once lower-cased
 *   (e-mail) or stripped to digits (telephone), not as typed
 *
 * Returns: %BW_MATCH_MATCH if any pair matches, %BW_MATCH_MISMATCH if
 *   some pair could be compared and none matched, %BW_MATCH_UNKNOWN if
 *   nothing could be compared
 */
BwRecipientMatch
bw_identity_match_full (GPtrArray         *recipients,
                        GPtrArray         *identities,
                        const BwIdentity **matched,
                        gboolean          *normalised)
{
  gboolean compared = FALSE;
  gboolean matched_normalised = FALSE;
  const BwIdentity *found = NULL;

  if (matched != NULL)
    *matched = NULL;
  if (normalised != NULL)
    *normalised = FALSE;
  if (recipients == NULL || identities == NULL)
    return BW_MATCH_UNKNOWN;

  /* A match as typed wins over one found only after normalising. */
  for (guint i = 0; i < recipients->len; i++)
    for (guint j = 0; j < identities->len; j++)
      {
        const BwIdentity *identity = g_ptr_array_index (identities, j);
        gboolean by_normal = FALSE;
        BwRecipientMatch result = match_one_full (g_ptr_array_index (recipients, i), identity,
                                                  &by_normal);

        if (result == BW_MATCH_MATCH && !by_normal)
          {
            if (matched != NULL)
              *matched = identity;
            return BW_MATCH_MATCH;
          }
        if (result == BW_MATCH_MATCH && found == NULL)
          {
            found = identity;
            matched_normalised = TRUE;
          }
        if (result != BW_MATCH_UNKNOWN)
          compared = TRUE;
      }

  if (found != NULL)
    {
      if (matched != NULL)
        *matched = found;
      if (normalised != NULL)
        *normalised = matched_normalised;
      return BW_MATCH_MATCH;
    }
  return compared ? BW_MATCH_MISMATCH : BW_MATCH_UNKNOWN;
}

BwRecipientMatch
bw_identity_match (GPtrArray         *recipients,
                   GPtrArray         *identities,
                   const BwIdentity **matched)
{
  return bw_identity_match_full (recipients, identities, matched, NULL);
}

const char *
bw_recipient_match_to_string (BwRecipientMatch match)
{
  switch (match)
    {
    case BW_MATCH_MATCH:
      return "match";
    case BW_MATCH_MISMATCH:
      return "mismatch";
    case BW_MATCH_UNKNOWN:
    default:
      return "unknown";
    }
}
