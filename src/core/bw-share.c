/* bw-share.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-share"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bw-share.h"

#define LINKEDIN_PROFILE_BASE "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
#define LINKEDIN_POST_BASE    "https://www.linkedin.com/sharing/share-offsite/?url="
#define LINKEDIN_JOBS_BASE    "https://www.linkedin.com/jobs/search/?keywords="
#define FACEBOOK_BASE         "https://www.facebook.com/sharer/sharer.php?u="
#define X_BASE                "https://x.com/intent/tweet"

/* Beyond this an embedded data URI makes a signature or résumé unusable. */
#define MAX_EMBED_DATA_URI    (256 * 1024)
#define MAX_HASHTAG_LENGTH    50
#define MAX_JOB_SEARCHES      10

static const char * const target_names[] = {
  "linkedin-profile",
  "linkedin-post",
  "facebook",
  "x",
  "email",
  "embed",
  "public-url",
};

G_STATIC_ASSERT (G_N_ELEMENTS (target_names) == BW_SHARE_N_TARGETS);

const char *
bw_share_target_to_string (BwShareTarget target)
{
  g_return_val_if_fail (target < BW_SHARE_N_TARGETS, NULL);

  return target_names[target];
}

/* Organisations whose LinkedIn company id is known, matched on the host of
 * the issuer's web site. LinkedIn links a certification to the company page
 * only through this id; for everyone else the name is sent instead. */
static const struct
{
  const char *domain;
  const char *organization_id;
} linkedin_organizations[] = {
  { "microsoft.com", "1035" },
  { "ibm.com",       "1009" },
  { "google.com",    "1441" },
};

/* Percent-encoding */

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/**
 * bw_share_percent_encode:
 * @text: UTF-8 text
 *
 * Percent-encodes every byte but the RFC 3986 unreserved characters
 * (`A–Z a–z 0–9 - . _ ~`), so a space is `%20` and a plus `%2B`.
 *
 * Returns: (transfer full): the encoded text
 */
char *
bw_share_percent_encode (const char *text)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) * 3 + 1);
  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    {
      if (is_unreserved (*p))
        {
          g_string_append_c (out, *p);
        }
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }

  return g_string_free (out, FALSE);
}

/* Appends "&key=value" (or "?key=value" for the first parameter of a URL
 * that has none yet), the value strictly percent-encoded. */
static void
append_param (GString    *url,
              const char *key,
              const char *value)
{
  g_autofree char *encoded = bw_share_percent_encode (value);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, key);
  g_string_append_c (url, '=');
  g_string_append (url, encoded);
}

/**
 * bw_share_html_escape:
 * @text: UTF-8 text
 *
 * Returns: (transfer full): @text safe as HTML content or attribute value
 */
char *
bw_share_html_escape (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  /* The five characters that matter in element content and in a quoted
   * attribute, written with the entities every HTML version knows (e-mail
   * clients do not all know &apos;). Other control characters than line
   * breaks and tabs have no business in a page and become spaces. */
  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          if (((guchar)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            g_string_append_c (out, ' ');
          else
            g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* URLs */

static gboolean
is_safe_url_byte (guchar c)
{
  /* Printable ASCII, minus what RFC 3986 never allows unescaped and what
   * could end an HTML attribute or start markup. */
  if (c <= 0x20 || c >= 0x7f)
    return FALSE;
  return strchr ("\"<>\\^`{|}", c) == NULL;
}

/**
 * bw_share_url_is_public:
 * @url: (nullable): a URL
 *
 * Whether @url may be offered as a link: https, a host, no user
 * information, and only characters that need no escaping in HTML.
 */
gboolean
bw_share_url_is_public (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (url == NULL || *url == '\0')
    return FALSE;

  for (const guchar *p = (const guchar *)url; *p != '\0'; p++)
    if (!is_safe_url_byte (*p))
      return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 &&
         host != NULL && *host != '\0' &&
         g_uri_get_userinfo (uri) == NULL;
}

/**
 * bw_share_linkedin_jobs_url:
 * @keywords: what to search for
 *
 * Returns: (transfer full): a LinkedIn job search for @keywords
 */
char *
bw_share_linkedin_jobs_url (const char *keywords)
{
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (keywords != NULL, NULL);

  encoded = bw_share_percent_encode (keywords);
  return g_strconcat (LINKEDIN_JOBS_BASE, encoded, NULL);
}

/**
 * bw_share_linkedin_organization_id:
 * @issuer_url: (nullable): the issuer's web site
 *
 * Returns: (nullable): the LinkedIn company id of a few well-known issuers
 */
const char *
bw_share_linkedin_organization_id (const char *issuer_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (issuer_url == NULL)
    return NULL;

  uri = g_uri_parse (issuer_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  host = g_uri_get_host (uri);
  if (host == NULL || !g_str_has_prefix (g_uri_get_scheme (uri), "http"))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (linkedin_organizations); i++)
    {
      const char *domain = linkedin_organizations[i].domain;
      gsize host_len = strlen (host);
      gsize domain_len = strlen (domain);

      if (g_ascii_strcasecmp (host, domain) == 0 ||
          (host_len > domain_len &&
           host[host_len - domain_len - 1] == '.' &&
           g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0))
        return linkedin_organizations[i].organization_id;
    }

  return NULL;
}

/**
 * bw_share_cert_id:
 * @badge_id: (nullable): the assertion or credential id
 *
 * Returns: (transfer full) (nullable): the UUID of a `urn:uuid:` id, the
 *   last path segment (without `.json`) of a web address, else the id
 */
char *
bw_share_cert_id (const char *badge_id)
{
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) segments = NULL;
  const char *scheme;
  const char *last = NULL;

  if (badge_id == NULL || *badge_id == '\0')
    return NULL;

  if (g_ascii_strncasecmp (badge_id, "urn:uuid:", 9) == 0)
    return g_strdup (badge_id + 9);

  /* Issuers put their own credential number last in the assertion URL, as
   * in https://issuer.example/assertions/1234; that is what a profile form
   * calls the credential id. */
  uri = g_uri_parse (badge_id, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (badge_id);

  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    return g_strdup (badge_id);

  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (*segments[i] != '\0')
      last = segments[i];

  if (last == NULL)
    return g_strdup (badge_id);

  if (g_str_has_suffix (last, ".json") && strlen (last) > 5)
    return g_strndup (last, strlen (last) - 5);

  return g_strdup (last);
}

/* Text fitting, counted as X counts: code points after NFC normalisation. */

/**
 * bw_share_x_length:
 * @text: UTF-8 text
 *
 * Returns: the length of @text as X counts it, in code points after NFC
 */
guint
bw_share_x_length (const char *text)
{
  g_autofree char *nfc = NULL;

  g_return_val_if_fail (text != NULL, 0);

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return 0;

  return g_utf8_strlen (nfc, -1);
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

static gboolean
is_grapheme_extend (gunichar c)
{
  return g_unichar_ismark (c) ||               /* combining marks, variation selectors */
         c == 0x200C || c == 0x200D ||         /* ZWNJ, ZWJ */
         (c >= 0x1F3FB && c <= 0x1F3FF) ||     /* emoji skin tone modifiers */
         (c >= 0xE0020 && c <= 0xE007F);       /* emoji tag sequences */
}

/* Whether an extended grapheme cluster may end between @prev and @c
 * (UAX #29 rules GB3, GB6–GB9, GB11 and GB12/13). @ri_run is the number of
 * regional indicators that end with @prev. */
static gboolean
is_grapheme_boundary (gunichar prev,
                      gunichar c,
                      guint    ri_run)
{
  GUnicodeBreakType a = g_unichar_break_type (prev);
  GUnicodeBreakType b = g_unichar_break_type (c);

  if (prev == '\r' && c == '\n')
    return FALSE;
  if (is_grapheme_extend (c))
    return FALSE;
  if (prev == 0x200D)
    return FALSE;
  if (is_regional_indicator (prev) && is_regional_indicator (c) && ri_run % 2 == 1)
    return FALSE;

  if (a == G_UNICODE_BREAK_HANGUL_L_JAMO &&
      (b == G_UNICODE_BREAK_HANGUL_L_JAMO || b == G_UNICODE_BREAK_HANGUL_V_JAMO ||
       b == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || b == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE))
    return FALSE;
  if ((a == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || a == G_UNICODE_BREAK_HANGUL_V_JAMO) &&
      (b == G_UNICODE_BREAK_HANGUL_V_JAMO || b == G_UNICODE_BREAK_HANGUL_T_JAMO))
    return FALSE;
  if ((a == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE || a == G_UNICODE_BREAK_HANGUL_T_JAMO) &&
      b == G_UNICODE_BREAK_HANGUL_T_JAMO)
    return FALSE;

  return TRUE;
}

/**
 * bw_share_fit_text:
 * @text: UTF-8 text
 * @budget: the most code points the result may have
 *
 * Shortens @text to @budget code points (after NFC), cutting at the end of
 * a word when that keeps at least half, else between two grapheme
 * clusters, and ending with “…”.
 *
 * Returns: (transfer full): the fitted text
 */
char *
bw_share_fit_text (const char *text,
                   guint       budget)
{
  g_autofree char *nfc = NULL;
  const char *p;
  gunichar prev = 0;
  guint ri_run = 0;
  guint limit;
  guint i;
  gsize grapheme_cut = 0;
  gsize word_cut = 0;
  guint word_cut_chars = 0;
  gsize cut;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return g_strdup ("");

  if ((guint)g_utf8_strlen (nfc, -1) <= budget)
    return g_steal_pointer (&nfc);

  if (budget == 0)
    return g_strdup ("");

  /* Keep room for the ellipsis, then find the last grapheme boundary and
   * the last end of a word that fit. */
  limit = budget - 1;
  for (p = nfc, i = 0; *p != '\0' && i <= limit; p = g_utf8_next_char (p), i++)
    {
      gunichar c = g_utf8_get_char (p);

      if (i > 0 && is_grapheme_boundary (prev, c, ri_run))
        {
          grapheme_cut = p - nfc;
          if (g_unichar_isspace (c) && !g_unichar_isspace (prev))
            {
              word_cut = p - nfc;
              word_cut_chars = i;
            }
        }

      ri_run = is_regional_indicator (c) ? ri_run + 1 : 0;
      prev = c;
    }

  /* A word boundary far back would throw away half the text; a cut inside
   * a long word (or in a script without spaces) is better then. */
  cut = (word_cut > 0 && word_cut_chars >= limit / 2) ? word_cut : grapheme_cut;

  while (cut > 0)
    {
      const char *last = g_utf8_find_prev_char (nfc, nfc + cut);

      if (last == NULL || !g_unichar_isspace (g_utf8_get_char (last)))
        break;
      cut = last - nfc;
    }

  out = g_string_new_len (nfc, cut);
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/**
 * bw_share_hashtag:
 * @skill: a skill name
 *
 * Returns: (transfer full) (nullable): @skill as a hashtag without `#`
 *   (“Cloud Computing” → `CloudComputing`), or %NULL when none can be made
 */
char *
bw_share_hashtag (const char *skill)
{
  GString *tag;
  gboolean capitalize = FALSE;
  gboolean all_digits = TRUE;

  g_return_val_if_fail (skill != NULL, NULL);

  if (!g_utf8_validate (skill, -1, NULL))
    return NULL;

  /* Words run together, each after the first capitalised, because a
   * hashtag ends at the first space or punctuation mark. */
  tag = g_string_new (NULL);
  for (const char *p = skill; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_' || g_unichar_ismark (c))
        {
          if (capitalize && tag->len > 0)
            c = g_unichar_totitle (c);
          capitalize = FALSE;
          if (!g_unichar_isdigit (c))
            all_digits = FALSE;
          g_string_append_unichar (tag, c);
        }
      else
        {
          capitalize = TRUE;
        }
    }

  if (tag->len == 0 || all_digits ||
      g_utf8_strlen (tag->str, -1) > MAX_HASHTAG_LENGTH)
    {
      g_string_free (tag, TRUE);
      return NULL;
    }

  return g_string_free (tag, FALSE);
}

/* BwShareInfo */

G_DEFINE_BOXED_TYPE (BwShareInfo, bw_share_info, bw_share_info_copy, bw_share_info_free)

BwShareInfo *
bw_share_info_new (void)
{
  return g_new0 (BwShareInfo, 1);
}

BwShareInfo *
bw_share_info_copy (const BwShareInfo *info)
{
  BwShareInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = bw_share_info_new ();
  copy->name = g_strdup (info->name);
  copy->issuer_name = g_strdup (info->issuer_name);
  copy->issuer_url = g_strdup (info->issuer_url);
  copy->organization_id = g_strdup (info->organization_id);
  copy->issued = info->issued != NULL ? g_date_time_ref (info->issued) : NULL;
  copy->expires = info->expires != NULL ? g_date_time_ref (info->expires) : NULL;
  copy->public_url = g_strdup (info->public_url);
  copy->no_public_url_reason = g_strdup (info->no_public_url_reason);
  copy->cert_id = g_strdup (info->cert_id);
  copy->image = g_strdup (info->image);
  copy->skills = g_strdupv (info->skills);

  return copy;
}

void
bw_share_info_free (BwShareInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->issuer_name);
  g_free (info->issuer_url);
  g_free (info->organization_id);
  g_clear_pointer (&info->issued, g_date_time_unref);
  g_clear_pointer (&info->expires, g_date_time_unref);
  g_free (info->public_url);
  g_free (info->no_public_url_reason);
  g_free (info->cert_id);
  g_free (info->image);
  g_strfreev (info->skills);
  g_free (info);
}

void
bw_share_field_free (BwShareField *field)
{
  if (field == NULL)
    return;

  g_free (field->key);
  g_free (field->label);
  g_free (field->value);
  g_free (field);
}

static BwShareField *
share_field_new (const char *key,
                 const char *label,
                 char       *value)
{
  BwShareField *field = g_new0 (BwShareField, 1);

  field->key = g_strdup (key);
  field->label = g_strdup (label);
  field->value = value;
  return field;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

const char *
bw_share_info_get_display_name (const BwShareInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return has_text (info->name) ? info->name : _("Open Badge");
}

static const char *
no_public_url_reason (const BwShareInfo *info)
{
  if (has_text (info->no_public_url_reason))
    return info->no_public_url_reason;
  return _("This badge has no public web page to link to. Send it by e-mail or save the image instead.");
}

/* The builders. Each value goes through bw_share_percent_encode(); only the
 * constant bases and parameter names are written as they are. */

static char *
build_linkedin_profile (const BwShareInfo *info)
{
  GString *url = g_string_new (LINKEDIN_PROFILE_BASE);

  append_param (url, "name", bw_share_info_get_display_name (info));

  if (has_text (info->organization_id))
    append_param (url, "organizationId", info->organization_id);
  else if (has_text (info->issuer_name))
    append_param (url, "organizationName", info->issuer_name);

  /* LinkedIn asks for a month and a year; taking them from the UTC date
   * gives everyone the same answer whatever their time zone. */
  if (info->issued != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (info->issued);
      g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (utc));
      g_autofree char *month = g_strdup_printf ("%d", g_date_time_get_month (utc));

      append_param (url, "issueYear", year);
      append_param (url, "issueMonth", month);
    }

  if (info->expires != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (info->expires);
      g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (utc));
      g_autofree char *month = g_strdup_printf ("%d", g_date_time_get_month (utc));

      append_param (url, "expirationYear", year);
      append_param (url, "expirationMonth", month);
    }

  append_param (url, "certUrl", info->public_url);

  if (has_text (info->cert_id))
    append_param (url, "certId", info->cert_id);

  return g_string_free (url, FALSE);
}

static char *
build_with_url (const char *base,
                const char *url)
{
  g_autofree char *encoded = bw_share_percent_encode (url);

  return g_strconcat (base, encoded, NULL);
}

static char *
x_message (const BwShareInfo *info)
{
  const char *name = bw_share_info_get_display_name (info);

  if (has_text (info->issuer_name))
    /* Translators: a post on X; the first %s is the badge, the second the issuer. */
    return g_strdup_printf (_("I earned the “%s” badge from %s."), name, info->issuer_name);
  /* Translators: a post on X; %s is the badge. */
  return g_strdup_printf (_("I earned the “%s” badge."), name);
}

/* Chooses the hashtags and fits the text: the message comes first, so
 * hashtags are dropped before the message is shortened. */
static char *
x_compose (const BwShareInfo  *info,
           GPtrArray         **hashtags_out)
{
  g_autofree char *message = x_message (info);
  g_autoptr(GPtrArray) hashtags = g_ptr_array_new_with_free_func (g_free);
  guint budget = BW_SHARE_X_MAX_LENGTH;
  guint length;

  if (info->public_url != NULL)
    budget -= 1 + BW_SHARE_X_URL_LENGTH;

  length = bw_share_x_length (message);

  for (guint i = 0; info->skills != NULL && info->skills[i] != NULL; i++)
    {
      g_autofree char *tag = NULL;
      gboolean duplicate = FALSE;
      guint cost;

      if (hashtags->len == BW_SHARE_X_MAX_HASHTAGS)
        break;

      tag = bw_share_hashtag (info->skills[i]);
      if (tag == NULL)
        continue;

      for (guint j = 0; j < hashtags->len; j++)
        {
          g_autofree char *a = g_utf8_casefold (tag, -1);
          g_autofree char *b = g_utf8_casefold (g_ptr_array_index (hashtags, j), -1);

          if (g_str_equal (a, b))
            duplicate = TRUE;
        }
      if (duplicate)
        continue;

      /* X shows each hashtag as " #tag" after the text. */
      cost = 2 + bw_share_x_length (tag);
      if (length + cost > budget)
        continue;

      length += cost;
      budget -= cost;
      g_ptr_array_add (hashtags, g_steal_pointer (&tag));
    }

  if (hashtags_out != NULL)
    *hashtags_out = g_steal_pointer (&hashtags);

  return bw_share_fit_text (message, budget);
}

char *
bw_share_info_x_text (const BwShareInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return x_compose (info, NULL);
}

static char *
build_x (const BwShareInfo *info)
{
  g_autoptr(GPtrArray) hashtags = NULL;
  g_autofree char *text = x_compose (info, &hashtags);
  GString *url = g_string_new (X_BASE);

  append_param (url, "text", text);
  append_param (url, "url", info->public_url);

  if (hashtags->len > 0)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (hashtags, NULL);
      joined = g_strjoinv (",", (char **)hashtags->pdata);
      append_param (url, "hashtags", joined);
    }

  return g_string_free (url, FALSE);
}

/* A header value cannot hold line breaks; other control characters would
 * only confuse a mail client. */
static char *
single_line (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, ((guchar)*p < 0x20 || *p == 0x7f) ? ' ' : *p);

  return g_string_free (out, FALSE);
}

/* RFC 6068 wants CRLF line breaks in a body, whatever the input used. */
static char *
crlf_lines (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append (out, "\r\n");
          if (p[1] == '\n')
            p++;
        }
      else if (*p == '\n')
        {
          g_string_append (out, "\r\n");
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

static char *
build_email (const BwShareInfo *info)
{
  const char *name = bw_share_info_get_display_name (info);
  g_autofree char *subject = NULL;
  g_autofree char *subject_line = NULL;
  g_autofree char *earned = NULL;
  g_autofree char *body = NULL;
  g_autofree char *body_crlf = NULL;
  GString *uri;

  if (has_text (info->issuer_name))
    {
      /* Translators: an e-mail subject; badge, then issuer. */
      subject = g_strdup_printf (_("My “%s” badge from %s"), name, info->issuer_name);
      /* Translators: in an e-mail; badge, then issuer. */
      earned = g_strdup_printf (_("I earned the “%s” badge from %s."), name, info->issuer_name);
    }
  else
    {
      /* Translators: an e-mail subject; %s is the badge. */
      subject = g_strdup_printf (_("My “%s” badge"), name);
      earned = g_strdup_printf (_("I earned the “%s” badge."), name);
    }

  if (info->public_url != NULL && bw_share_url_is_public (info->public_url))
    body = g_strdup_printf ("%s\n\n%s\n\n%s\n%s\n",
                            _("Hello,"),
                            earned,
                            _("You can check that it is genuine on the issuer’s page:"),
                            info->public_url);
  else
    body = g_strdup_printf ("%s\n\n%s\n\n%s\n",
                            _("Hello,"),
                            earned,
                            _("The badge image holds a signed copy of the badge, which any Open Badges verifier can check."));

  subject_line = single_line (subject);
  body_crlf = crlf_lines (body);

  uri = g_string_new ("mailto:");
  append_param (uri, "subject", subject_line);
  append_param (uri, "body", body_crlf);
  return g_string_free (uri, FALSE);
}

static gboolean
is_embeddable_image (const char *image)
{
  if (image == NULL)
    return FALSE;

  if (g_ascii_strncasecmp (image, "data:", 5) == 0)
    return (g_ascii_strncasecmp (image, "data:image/png", 14) == 0 ||
            g_ascii_strncasecmp (image, "data:image/svg+xml", 18) == 0) &&
           strlen (image) <= MAX_EMBED_DATA_URI;

  return bw_share_url_is_public (image);
}

static char *
build_embed (const BwShareInfo *info)
{
  g_autofree char *url = bw_share_html_escape (info->public_url);
  g_autofree char *name = bw_share_html_escape (bw_share_info_get_display_name (info));
  g_autofree char *verify = bw_share_html_escape (_("Verify this badge"));
  GString *html = g_string_new (NULL);

  g_string_append (html,
                   "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;"
                   "font-family:sans-serif;text-align:center\">\n");

  if (is_embeddable_image (info->image))
    {
      g_autofree char *image = bw_share_html_escape (info->image);

      g_string_append_printf (html,
                              "  <a href=\"%s\"><img src=\"%s\" alt=\"%s\" width=\"120\" "
                              "height=\"120\" style=\"border:0\"></a>\n",
                              url, image, name);
    }

  g_string_append_printf (html, "  <div dir=\"auto\" style=\"font-weight:bold\">%s</div>\n", name);

  if (has_text (info->issuer_name))
    {
      /* Translators: under the badge name in the embed code; %s is the issuer. */
      g_autofree char *issued_by = g_strdup_printf (_("Issued by %s"), info->issuer_name);
      g_autofree char *escaped = bw_share_html_escape (issued_by);

      g_string_append_printf (html, "  <div dir=\"auto\">%s</div>\n", escaped);
    }

  g_string_append_printf (html, "  <a href=\"%s\">%s</a>\n", url, verify);
  g_string_append (html, "</div>");

  return g_string_free (html, FALSE);
}

/**
 * bw_share_info_build:
 * @info: the badge's values
 * @target: what to build
 * @reason: (out) (optional) (transfer full): why the target is not
 *   available, when %NULL is returned
 *
 * Every target but e-mail links to the public page, so without one they
 * are refused with the reason.
 *
 * Returns: (transfer full) (nullable): the URI, or for %BW_SHARE_EMBED the
 *   HTML snippet
 */
char *
bw_share_info_build (const BwShareInfo  *info,
                     BwShareTarget       target,
                     char              **reason)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (target < BW_SHARE_N_TARGETS, NULL);

  if (reason != NULL)
    *reason = NULL;

  if (target == BW_SHARE_EMAIL)
    return build_email (info);

  /* Every other target is a link to the public page. */
  if (info->public_url == NULL || !bw_share_url_is_public (info->public_url))
    {
      if (reason != NULL)
        *reason = g_strdup (no_public_url_reason (info));
      return NULL;
    }

  switch (target)
    {
    case BW_SHARE_LINKEDIN_PROFILE:
      return build_linkedin_profile (info);
    case BW_SHARE_LINKEDIN_POST:
      return build_with_url (LINKEDIN_POST_BASE, info->public_url);
    case BW_SHARE_FACEBOOK:
      return build_with_url (FACEBOOK_BASE, info->public_url);
    case BW_SHARE_X:
      return build_x (info);
    case BW_SHARE_EMBED:
      return build_embed (info);
    case BW_SHARE_PUBLIC_URL:
      return g_strdup (info->public_url);
    case BW_SHARE_EMAIL:
    case BW_SHARE_N_TARGETS:
    default:
      g_assert_not_reached ();
    }
}

static char *
format_month (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (datetime);

  /* Translators: a month and year as a profile form asks for them, see strftime(3). */
  return g_date_time_format (utc, _("%B %Y"));
}

/**
 * bw_share_info_linkedin_fields:
 * @info: the badge's values
 *
 * Returns: (transfer container) (element-type BwShareField): what
 *   LinkedIn's certification form asks for, for copying by hand
 */
GPtrArray *
bw_share_info_linkedin_fields (const BwShareInfo *info)
{
  GPtrArray *fields;

  g_return_val_if_fail (info != NULL, NULL);

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_share_field_free);

  g_ptr_array_add (fields, share_field_new ("name", _("Name"),
                                            g_strdup (bw_share_info_get_display_name (info))));
  if (has_text (info->issuer_name))
    g_ptr_array_add (fields, share_field_new ("organization", _("Issuing organization"),
                                              g_strdup (info->issuer_name)));
  if (info->issued != NULL)
    g_ptr_array_add (fields, share_field_new ("issued", _("Issue date"),
                                              format_month (info->issued)));
  if (info->expires != NULL)
    g_ptr_array_add (fields, share_field_new ("expires", _("Expiration date"),
                                              format_month (info->expires)));
  if (has_text (info->cert_id))
    g_ptr_array_add (fields, share_field_new ("cert-id", _("Credential ID"),
                                              g_strdup (info->cert_id)));
  if (info->public_url != NULL && bw_share_url_is_public (info->public_url))
    g_ptr_array_add (fields, share_field_new ("cert-url", _("Credential URL"),
                                              g_strdup (info->public_url)));

  return fields;
}

/**
 * bw_share_info_jobs:
 * @info: the badge's values
 *
 * Returns: (transfer container) (element-type BwShareField): LinkedIn job
 *   searches for the badge name and each skill; @label is the keywords
 */
GPtrArray *
bw_share_info_jobs (const BwShareInfo *info)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *jobs;
  guint n_skills = 0;

  g_return_val_if_fail (info != NULL, NULL);

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)bw_share_field_free);

  if (has_text (info->name))
    {
      g_ptr_array_add (jobs, share_field_new ("badge", info->name,
                                              bw_share_linkedin_jobs_url (info->name)));
      g_ptr_array_add (seen, g_utf8_casefold (info->name, -1));
    }

  for (guint i = 0; info->skills != NULL && info->skills[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (info->skills[i]));
      g_autofree char *folded = NULL;
      gboolean duplicate = FALSE;

      if (*stripped == '\0' || n_skills == MAX_JOB_SEARCHES)
        continue;

      folded = g_utf8_casefold (stripped, -1);
      for (guint j = 0; j < seen->len; j++)
        if (g_str_equal (folded, g_ptr_array_index (seen, j)))
          duplicate = TRUE;
      if (duplicate)
        continue;

      g_ptr_array_add (jobs, share_field_new ("skill", stripped,
                                              bw_share_linkedin_jobs_url (stripped)));
      g_ptr_array_add (seen, g_steal_pointer (&folded));
      n_skills++;
    }

  return jobs;
}

/* From a BwBadge */

/**
 * bw_share_public_url:
 * @badge: a badge
 * @reason: (out) (optional) (transfer full): why there is none
 *
 * Returns: (transfer full) (nullable): the https page every link points at
 */
char *
bw_share_public_url (BwBadge  *badge,
                     char    **reason)
{
  const char *url;

  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);

  if (reason != NULL)
    *reason = NULL;

  url = bw_badge_get_public_url (badge);
  if (url != NULL && bw_share_url_is_public (url))
    return g_strdup (url);

  if (reason == NULL)
    return NULL;

  if (url == NULL && bw_badge_get_verification (badge) == BW_VERIFICATION_HOSTED)
    url = bw_badge_get_hosted_url (badge);

  if (url != NULL && g_ascii_strncasecmp (url, "http:", 5) == 0)
    *reason = g_strdup (_("The issuer’s page for this badge is not served over a secure "
                          "connection (https), so it is not offered as a link. Send the badge "
                          "by e-mail or save the image instead."));
  else if (bw_badge_get_verification (badge) == BW_VERIFICATION_SIGNED)
    *reason = g_strdup (_("This badge is signed rather than hosted by its issuer, so it has no "
                          "public web page to link to. Send it by e-mail or save the image "
                          "instead."));
  else if (bw_badge_get_spec (badge) == BW_SPEC_3_0)
    *reason = g_strdup (_("This credential names no public web page to link to. Send it by "
                          "e-mail or save the image instead."));
  else
    *reason = g_strdup (_("This badge names no public web page to link to. Send it by e-mail "
                          "or save the image instead."));

  return NULL;
}

/**
 * bw_share_info_new_from_badge:
 * @badge: a badge
 *
 * Returns: (transfer full): the values the share targets of @badge use
 */
BwShareInfo *
bw_share_info_new_from_badge (BwBadge *badge)
{
  BwShareInfo *info;
  GDateTime *issued;
  GDateTime *expires;
  const char * const *skills;

  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);

  info = bw_share_info_new ();
  info->name = g_strdup (bw_badge_get_name (badge));
  info->issuer_name = g_strdup (bw_badge_get_issuer_name (badge));
  info->issuer_url = g_strdup (bw_badge_get_issuer_url (badge));
  info->organization_id = g_strdup (bw_share_linkedin_organization_id (info->issuer_url));

  issued = bw_badge_get_issued (badge);
  expires = bw_badge_get_expires (badge);
  info->issued = issued != NULL ? g_date_time_ref (issued) : NULL;
  info->expires = expires != NULL ? g_date_time_ref (expires) : NULL;

  info->public_url = bw_share_public_url (badge, &info->no_public_url_reason);
  info->cert_id = bw_share_cert_id (bw_badge_get_id (badge));
  info->image = g_strdup (bw_badge_get_image (badge));

  skills = bw_badge_get_skills (badge);
  info->skills = g_strdupv ((char **)skills);

  return info;
}

char *
bw_share_build (BwBadge        *badge,
                BwShareTarget   target,
                char          **reason)
{
  g_autoptr(BwShareInfo) info = NULL;

  g_return_val_if_fail (BW_IS_BADGE (badge), NULL);
  g_return_val_if_fail (target < BW_SHARE_N_TARGETS, NULL);

  info = bw_share_info_new_from_badge (badge);
  return bw_share_info_build (info, target, reason);
}
