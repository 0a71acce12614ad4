/* test-share.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-share"

#include "config.h"

#include <string.h>

#include "bw-error.h"
#include "bw-util.h"
#include "bw-share.h"

#include "share-fixtures.h"

#define CREDLY_URL "https://www.credly.com/badges/8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f/public_url"
#define CREDLY_ID  "8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f"
#define QUERY_URL  "https://badges.example.org/a/42?x=1&y=2"
#define PLAIN_URL  "https://badges.example.org/a/7"
#define RTL_NAME   "شارة 🚀 \"Quote\" <b>"
#define RTL_ISSUER "جامعة القاهرة"

static GDateTime *
date (const char *iso8601)
{
  GDateTime *datetime;

  if (iso8601 == NULL)
    return NULL;

  /* Kept in the zone it was written in: the builders must convert. */
  datetime = g_date_time_new_from_iso8601 (iso8601, NULL);
  g_assert_nonnull (datetime);
  return datetime;
}

static BwShareInfo *
make_info (const char         *name,
           const char         *issuer_name,
           const char         *issuer_url,
           const char         *issued,
           const char         *expires,
           const char         *public_url,
           const char         *cert_id,
           const char * const *skills)
{
  BwShareInfo *info = bw_share_info_new ();

  info->name = g_strdup (name);
  info->issuer_name = g_strdup (issuer_name);
  info->issuer_url = g_strdup (issuer_url);
  info->organization_id = g_strdup (bw_share_linkedin_organization_id (issuer_url));
  info->issued = date (issued);
  info->expires = date (expires);
  info->public_url = g_strdup (public_url);
  info->cert_id = g_strdup (cert_id);
  info->skills = g_strdupv ((char **)skills);
  return info;
}

static void
test_percent_encode (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "" },
    { "AZaz09-._~", "AZaz09-._~" },
    { "a b", "a%20b" },
    { "a+b", "a%2Bb" },
    { "&#%\"'<>", "%26%23%25%22%27%3C%3E" },
    { "/?=:@!$()*,;[]", "%2F%3F%3D%3A%40%21%24%28%29%2A%2C%3B%5B%5D" },
    { "é", "%C3%A9" },
    { "😀", "%F0%9F%98%80" },
    { "שלום", "%D7%A9%D7%9C%D7%95%D7%9D" },
    { "line1\nline2\r\n", "line1%0Aline2%0D%0A" },
    { "100%", "100%25" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = bw_share_percent_encode (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_linkedin_profile (void)
{
  static const struct
  {
    const char *name;
    const char *issuer;
    const char *issuer_url;
    const char *issued;
    const char *expires;
    const char *url;
    const char *cert_id;
    const char *expected;
  } cases[] = {
    /* A hosted badge of a known organisation: its LinkedIn id is sent. */
    { "Azure Fundamentals", "Microsoft", "https://www.microsoft.com",
      "2024-03-12T00:00:00Z", NULL, CREDLY_URL, CREDLY_ID,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Azure%20Fundamentals"
      "&organizationId=1035&issueYear=2024&issueMonth=3"
      "&certUrl=https%3A%2F%2Fwww.credly.com%2Fbadges%2F8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f%2Fpublic_url"
      "&certId=8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f" },
    /* West of UTC on New Year's Eve is already January in UTC; east of UTC
     * on New Year's morning is still December. */
    { "Ingénieur « Sécurité » & Réseaux #1 + 100%", "Université de Montréal",
      "https://www.umontreal.ca", "2023-12-31T23:30:00-05:00", "2027-01-01T00:30:00+01:00",
      QUERY_URL, "42",
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
      "&name=Ing%C3%A9nieur%20%C2%AB%20S%C3%A9curit%C3%A9%20%C2%BB%20%26%20R%C3%A9seaux%20%231%20%2B%20100%25"
      "&organizationName=Universit%C3%A9%20de%20Montr%C3%A9al&issueYear=2024&issueMonth=1"
      "&expirationYear=2026&expirationMonth=12"
      "&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F42%3Fx%3D1%26y%3D2&certId=42" },
    { RTL_NAME, RTL_ISSUER, NULL, "2024-01-01T05:00:00+14:00", NULL, PLAIN_URL, "7",
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
      "&name=%D8%B4%D8%A7%D8%B1%D8%A9%20%F0%9F%9A%80%20%22Quote%22%20%3Cb%3E"
      "&organizationName=%D8%AC%D8%A7%D9%85%D8%B9%D8%A9%20%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9"
      "&issueYear=2023&issueMonth=12&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7&certId=7" },
    /* Twelve hours west of UTC, the afternoon of 31 December is New Year in UTC. */
    { "Year End", "Example", "https://learn.microsoft.com/en-us/credentials",
      "2023-12-31T13:00:00-12:00", "2025-12-31T23:59:59Z", PLAIN_URL, NULL,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Year%20End"
      "&organizationId=1035&issueYear=2024&issueMonth=1&expirationYear=2025&expirationMonth=12"
      "&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
    /* Nothing known but the link. */
    { NULL, NULL, NULL, NULL, NULL, PLAIN_URL, NULL,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Open%20Badge"
      "&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwShareInfo) info = make_info (cases[i].name, cases[i].issuer, cases[i].issuer_url,
                                               cases[i].issued, cases[i].expires, cases[i].url,
                                               cases[i].cert_id, NULL);
      g_autofree char *reason = NULL;
      g_autofree char *url = bw_share_info_build (info, BW_SHARE_LINKEDIN_PROFILE, &reason);

      g_test_message ("case %u", i);
      g_assert_cmpstr (url, ==, cases[i].expected);
      g_assert_null (reason);
    }
}

/* The local time zone of the process must not change what is sent: the
 * month is the one of the UTC date. */
static void
test_linkedin_time_zones (void)
{
  static const struct
  {
    const char *tz;
    int year, month, day, hour;
    const char *expected;
  } cases[] = {
    { "<+14>-14", 2024, 1, 1, 5,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=TZ"
      "&issueYear=2023&issueMonth=12&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
    { "<-12>+12", 2023, 12, 31, 13,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=TZ"
      "&issueYear=2024&issueMonth=1&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
    { "UTC0", 2024, 12, 31, 23,
      "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=TZ"
      "&issueYear=2024&issueMonth=12&certUrl=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
  };
  g_autofree char *saved = g_strdup (g_getenv ("TZ"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwShareInfo) info = make_info ("TZ", NULL, NULL, NULL, NULL, PLAIN_URL, NULL, NULL);
      g_autofree char *url = NULL;

      g_setenv ("TZ", cases[i].tz, TRUE);
      info->issued = g_date_time_new_local (cases[i].year, cases[i].month, cases[i].day,
                                            cases[i].hour, 0, 0);
      g_assert_nonnull (info->issued);
      url = bw_share_info_build (info, BW_SHARE_LINKEDIN_PROFILE, NULL);
      g_test_message ("TZ=%s", cases[i].tz);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }

  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
}

static void
test_simple_links (void)
{
  g_autoptr(BwShareInfo) info = make_info ("A & B", "C", NULL, NULL, NULL, QUERY_URL, NULL, NULL);
  g_autofree char *post = bw_share_info_build (info, BW_SHARE_LINKEDIN_POST, NULL);
  g_autofree char *facebook = bw_share_info_build (info, BW_SHARE_FACEBOOK, NULL);
  g_autofree char *public_url = bw_share_info_build (info, BW_SHARE_PUBLIC_URL, NULL);
  g_autofree char *jobs = bw_share_linkedin_jobs_url ("Node.js & C++ #1");

  g_assert_cmpstr (post, ==,
                   "https://www.linkedin.com/sharing/share-offsite/?url="
                   "https%3A%2F%2Fbadges.example.org%2Fa%2F42%3Fx%3D1%26y%3D2");
  g_assert_cmpstr (facebook, ==,
                   "https://www.facebook.com/sharer/sharer.php?u="
                   "https%3A%2F%2Fbadges.example.org%2Fa%2F42%3Fx%3D1%26y%3D2");
  g_assert_cmpstr (public_url, ==, QUERY_URL);
  g_assert_cmpstr (jobs, ==,
                   "https://www.linkedin.com/jobs/search/?keywords=Node.js%20%26%20C%2B%2B%20%231");
}

static void
test_x (void)
{
  static const char * const cloud_skills[] = { "Cloud Computing", "Microsoft Azure",
                                               "cloud computing", NULL };
  static const char * const intl_skills[] = { "机器 学习", "ذكاء اصطناعي", "2024", "机器学习", NULL };
  g_autoptr(GString) long_name = g_string_new (NULL);
  static const struct
  {
    const char *name;
    const char *issuer;
    const char *url;
    const char * const *skills;
    const char *expected;
  } cases[] = {
    { "Azure Fundamentals", "Microsoft", CREDLY_URL, cloud_skills,
      "https://x.com/intent/tweet?text=I%20earned%20the%20%E2%80%9CAzure%20Fundamentals%E2%80%9D"
      "%20badge%20from%20Microsoft."
      "&url=https%3A%2F%2Fwww.credly.com%2Fbadges%2F8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f%2Fpublic_url"
      "&hashtags=CloudComputing%2CMicrosoftAzure" },
    { RTL_NAME, RTL_ISSUER, PLAIN_URL, intl_skills,
      "https://x.com/intent/tweet?text=I%20earned%20the%20%E2%80%9C"
      "%D8%B4%D8%A7%D8%B1%D8%A9%20%F0%9F%9A%80%20%22Quote%22%20%3Cb%3E%E2%80%9D%20badge%20from%20"
      "%D8%AC%D8%A7%D9%85%D8%B9%D8%A9%20%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9."
      "&url=https%3A%2F%2Fbadges.example.org%2Fa%2F7"
      "&hashtags=%E6%9C%BA%E5%99%A8%E5%AD%A6%E4%B9%A0%2C%D8%B0%D9%83%D8%A7%D8%A1%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A" },
    /* 300 characters of name: cut after the last whole word that fits in
     * 280 − 24 (a space and the link) − 1 (the ellipsis), and the skills'
     * hashtags go first. */
    { NULL, "Microsoft", PLAIN_URL, cloud_skills,
      "https://x.com/intent/tweet?text=I%20earned%20the%20%E2%80%9C"
      "Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20"
      "Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20"
      "Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20Certified%20"
      "Certified%20Certified%20Certified%E2%80%A6"
      "&url=https%3A%2F%2Fbadges.example.org%2Fa%2F7" },
  };

  for (guint i = 0; i < 30; i++)
    g_string_append (long_name, "Certified ");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwShareInfo) info = make_info (cases[i].name != NULL ? cases[i].name : long_name->str,
                                               cases[i].issuer, NULL, NULL, NULL,
                                               cases[i].url, NULL, cases[i].skills);
      g_autofree char *url = bw_share_info_build (info, BW_SHARE_X, NULL);
      g_autofree char *text = bw_share_info_x_text (info);

      g_test_message ("case %u", i);
      g_assert_cmpstr (url, ==, cases[i].expected);
      g_assert_cmpuint (bw_share_x_length (text) + 1 + BW_SHARE_X_URL_LENGTH, <=,
                        BW_SHARE_X_MAX_LENGTH);
    }
}

static void
test_fit_text (void)
{
  static const struct
  {
    const char *in;
    guint budget;
    const char *out;
  } cases[] = {
    { "Short enough", 12, "Short enough" },
    { "Hello wonderful world", 12, "Hello…" },
    { "Supercalifragilistic", 10, "Supercali…" },
    /* A family emoji is one grapheme of seven code points. */
    { "👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 10, "👨‍👩‍👧‍👦…" },
    /* Flags are pairs of regional indicators. */
    { "🇫🇷🇩🇪🇮🇹", 4, "🇫🇷…" },
    /* A base letter and its combining mark stay together. */
    { "q\xcc\x87q\xcc\x87q\xcc\x87q\xcc\x87", 4, "q\xcc\x87…" },
    /* A skin tone modifier belongs to its emoji. */
    { "ab👍🏽👍🏽", 4, "ab…" },
    { "שלום עולם יפה מאוד", 10, "שלום עולם…" },
    /* Decomposed text is counted as X counts it, after NFC. */
    { "Cafe\xcc\x81", 4, "Café" },
    { "# & % + < \"", 5, "# &…" },
    { "anything", 0, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = bw_share_fit_text (cases[i].in, cases[i].budget);

      g_test_message ("case %u", i);
      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpuint (bw_share_x_length (out), <=, cases[i].budget);
    }
}

static void
test_hashtag (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "Cloud Computing", "CloudComputing" },
    { "data-driven decision making", "dataDrivenDecisionMaking" },
    { "Node.js", "NodeJs" },
    { "机器 学习", "机器学习" },
    { "ذكاء اصطناعي", "ذكاءاصطناعي" },
    { "snake_case", "snake_case" },
    { "2024", NULL },
    { "#&%+", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = bw_share_hashtag (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_email (void)
{
  static const struct
  {
    const char *name;
    const char *issuer;
    const char *url;
    const char *expected;
  } cases[] = {
    { "Azure Fundamentals", "Microsoft", CREDLY_URL,
      "mailto:?subject=My%20%E2%80%9CAzure%20Fundamentals%E2%80%9D%20badge%20from%20Microsoft"
      "&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20%E2%80%9CAzure%20Fundamentals%E2%80%9D%20badge"
      "%20from%20Microsoft.%0D%0A%0D%0AYou%20can%20check%20that%20it%20is%20genuine%20on%20the%20"
      "issuer%E2%80%99s%20page%3A%0D%0Ahttps%3A%2F%2Fwww.credly.com%2Fbadges%2F"
      "8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f%2Fpublic_url%0D%0A" },
    /* A line break in a value: a space in the subject, CRLF in the body. */
    { "A+B & \"C\"\nLine 2", "50% Club", PLAIN_URL,
      "mailto:?subject=My%20%E2%80%9CA%2BB%20%26%20%22C%22%20Line%202%E2%80%9D%20badge%20from"
      "%2050%25%20Club&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20%E2%80%9CA%2BB%20%26%20%22C%22"
      "%0D%0ALine%202%E2%80%9D%20badge%20from%2050%25%20Club.%0D%0A%0D%0AYou%20can%20check%20that"
      "%20it%20is%20genuine%20on%20the%20issuer%E2%80%99s%20page%3A%0D%0A"
      "https%3A%2F%2Fbadges.example.org%2Fa%2F7%0D%0A" },
    /* No public page: e-mail is still offered, without a link. */
    { "Signed 🔏 Badge", NULL, NULL,
      "mailto:?subject=My%20%E2%80%9CSigned%20%F0%9F%94%8F%20Badge%E2%80%9D%20badge"
      "&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20%E2%80%9CSigned%20%F0%9F%94%8F%20Badge%E2%80%9D"
      "%20badge.%0D%0A%0D%0AThe%20badge%20image%20holds%20a%20signed%20copy%20of%20the%20badge%2C"
      "%20which%20any%20Open%20Badges%20verifier%20can%20check.%0D%0A" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwShareInfo) info = make_info (cases[i].name, cases[i].issuer, NULL, NULL, NULL,
                                               cases[i].url, NULL, NULL);
      g_autofree char *reason = NULL;
      g_autofree char *uri = bw_share_info_build (info, BW_SHARE_EMAIL, &reason);

      g_test_message ("case %u", i);
      g_assert_cmpstr (uri, ==, cases[i].expected);
      g_assert_null (reason);
    }
}

static void
test_embed (void)
{
  static const struct
  {
    const char *name;
    const char *issuer;
    const char *image;
    const char *expected;
  } cases[] = {
    { "<script>alert(\"x\")</script> & 'co'", "O'Reilly & Sons <Ltd>",
      "https://img.example.org/b.png?size=1&fmt=png",
      "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;"
      "font-family:sans-serif;text-align:center\">\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\"><img "
      "src=\"https://img.example.org/b.png?size=1&amp;fmt=png\" "
      "alt=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;\" "
      "width=\"120\" height=\"120\" style=\"border:0\"></a>\n"
      "  <div dir=\"auto\" style=\"font-weight:bold\">"
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</div>\n"
      "  <div dir=\"auto\">Issued by O&#39;Reilly &amp; Sons &lt;Ltd&gt;</div>\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\">Verify this badge</a>\n"
      "</div>" },
    /* An image that is not a plain https or image data URI is left out. */
    { RTL_NAME, NULL, "javascript:alert(1)",
      "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;"
      "font-family:sans-serif;text-align:center\">\n"
      "  <div dir=\"auto\" style=\"font-weight:bold\">"
      "شارة 🚀 &quot;Quote&quot; &lt;b&gt;</div>\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\">Verify this badge</a>\n"
      "</div>" },
    { "Line\nbreak", "#1 + 100%", "data:text/html,<script>alert(1)</script>",
      "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;"
      "font-family:sans-serif;text-align:center\">\n"
      "  <div dir=\"auto\" style=\"font-weight:bold\">Line\nbreak</div>\n"
      "  <div dir=\"auto\">Issued by #1 + 100%</div>\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\">Verify this badge</a>\n"
      "</div>" },
    { "PNG", NULL, "data:image/png;base64,iVBORw0KGgo=",
      "<div class=\"open-badge\" style=\"display:inline-block;max-width:320px;"
      "font-family:sans-serif;text-align:center\">\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\"><img "
      "src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"PNG\" "
      "width=\"120\" height=\"120\" style=\"border:0\"></a>\n"
      "  <div dir=\"auto\" style=\"font-weight:bold\">PNG</div>\n"
      "  <a href=\"https://badges.example.org/a/42?x=1&amp;y=2\">Verify this badge</a>\n"
      "</div>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BwShareInfo) info = make_info (cases[i].name, cases[i].issuer, NULL, NULL, NULL,
                                               QUERY_URL, NULL, NULL);
      g_autofree char *html = NULL;

      info->image = g_strdup (cases[i].image);
      html = bw_share_info_build (info, BW_SHARE_EMBED, NULL);
      g_test_message ("case %u", i);
      g_assert_cmpstr (html, ==, cases[i].expected);
      g_assert_null (strstr (html, "<script"));
    }
}

/* Without a public page, every link target is refused with the reason,
 * and e-mail stays. */
static void
test_no_public_url (void)
{
  static const char *not_public[] = {
    NULL,
    "http://badges.example.org/a/7",
    "javascript:alert(1)",
    "https://user:secret@badges.example.org/a/7",
    "https://badges.example.org/a b",
    "https://badges.example.org/\"><script>",
    "urn:uuid:8f3c2a1e-0b7d-4e2a-9c1f-5a6b7c8d9e0f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_public); i++)
    {
      g_autoptr(BwShareInfo) info = make_info ("Signed", "Issuer", NULL, NULL, NULL,
                                               not_public[i], "1", NULL);

      info->no_public_url_reason = g_strdup ("This badge is signed.");
      g_assert_false (bw_share_url_is_public (not_public[i]));

      for (BwShareTarget target = 0; target < BW_SHARE_N_TARGETS; target++)
        {
          g_autofree char *reason = NULL;
          g_autofree char *value = bw_share_info_build (info, target, &reason);

          g_test_message ("case %u, %s", i, bw_share_target_to_string (target));
          if (target == BW_SHARE_EMAIL)
            {
              g_assert_nonnull (value);
              g_assert_null (reason);
              g_assert_null (strstr (value, "badges.example.org"));
            }
          else
            {
              g_assert_null (value);
              g_assert_cmpstr (reason, ==, "This badge is signed.");
            }
        }
    }
}

static void
test_target_names (void)
{
  static const char * const expected[] = {
    "linkedin-profile", "linkedin-post", "facebook", "x", "email", "embed", "public-url",
  };

  for (BwShareTarget target = 0; target < BW_SHARE_N_TARGETS; target++)
    g_assert_cmpstr (bw_share_target_to_string (target), ==, expected[target]);
}

static void
test_organization_id (void)
{
  static const struct
  {
    const char *url;
    const char *id;
  } cases[] = {
    { "https://www.microsoft.com", "1035" },
    { "https://learn.microsoft.com/en-us/credentials", "1035" },
    { "https://MICROSOFT.COM/", "1035" },
    { "https://www.ibm.com/training", "1009" },
    { "https://notmicrosoft.com", NULL },
    { "https://microsoft.com.evil.example", NULL },
    { "mailto:someone@microsoft.com", NULL },
    { "not a url", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (bw_share_linkedin_organization_id (cases[i].url), ==, cases[i].id);
}

static void
test_cert_id (void)
{
  static const struct
  {
    const char *id;
    const char *cert_id;
  } cases[] = {
    { "urn:uuid:1234-ab", "1234-ab" },
    { "https://api.credly.com/v1/obi/v2/badge_assertions/abc-123", "abc-123" },
    { "https://example.org/assertions/42.json", "42" },
    { "https://example.org/assertions/42/", "42" },
    { "https://example.org/", "https://example.org/" },
    { "did:example:xyz", "did:example:xyz" },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cert_id = bw_share_cert_id (cases[i].id);

      g_assert_cmpstr (cert_id, ==, cases[i].cert_id);
    }
}

static void
test_linkedin_fields (void)
{
  g_autoptr(BwShareInfo) info = make_info ("Ingénieur & Co", "Université", NULL,
                                           "2023-12-31T23:30:00-05:00", "2026-06-30T22:00:00-04:00",
                                           QUERY_URL, "42", NULL);
  g_autoptr(GPtrArray) fields = bw_share_info_linkedin_fields (info);
  static const char * const expected[][3] = {
    { "name", "Name", "Ingénieur & Co" },
    { "organization", "Issuing organization", "Université" },
    { "issued", "Issue date", "January 2024" },
    { "expires", "Expiration date", "July 2026" },
    { "cert-id", "Credential ID", "42" },
    { "cert-url", "Credential URL", QUERY_URL },
  };

  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < fields->len; i++)
    {
      BwShareField *field = g_ptr_array_index (fields, i);

      g_assert_cmpstr (field->key, ==, expected[i][0]);
      g_assert_cmpstr (field->label, ==, expected[i][1]);
      g_assert_cmpstr (field->value, ==, expected[i][2]);
    }
}

static void
test_jobs (void)
{
  static const char * const skills[] = { "Cloud Computing", " azure fundamentals ",
                                         "Node.js & C++", "", NULL };
  g_autoptr(BwShareInfo) info = make_info ("Azure Fundamentals", NULL, NULL, NULL, NULL,
                                           NULL, NULL, skills);
  g_autoptr(GPtrArray) jobs = bw_share_info_jobs (info);
  static const char * const expected[][2] = {
    { "Azure Fundamentals",
      "https://www.linkedin.com/jobs/search/?keywords=Azure%20Fundamentals" },
    { "Cloud Computing",
      "https://www.linkedin.com/jobs/search/?keywords=Cloud%20Computing" },
    { "Node.js & C++",
      "https://www.linkedin.com/jobs/search/?keywords=Node.js%20%26%20C%2B%2B" },
  };

  g_assert_cmpuint (jobs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < jobs->len; i++)
    {
      BwShareField *job = g_ptr_array_index (jobs, i);

      g_assert_cmpstr (job->label, ==, expected[i][0]);
      g_assert_cmpstr (job->value, ==, expected[i][1]);
    }
}

static void
test_data_uri (void)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const struct
  {
    const char *uri;
    const char *media_type;
    const char *data;
    gsize length;
    int error_code;
  } cases[] = {
    { "data:image/png;base64,iVBORw0KGgo=", "image/png", (const char *)png_signature, 8, -1 },
    { "data:image/png;base64,iVBORw0KGgo%3D", "image/png", (const char *)png_signature, 8, -1 },
    { "data:image/svg+xml,%3Csvg%2F%3E", "image/svg+xml", "<svg/>", 6, -1 },
    { "data:Image/SVG+XML;charset=utf-8,%3Csvg%2F%3E", "image/svg+xml", "<svg/>", 6, -1 },
    { "data:,hello%20world", "text/plain", "hello world", 11, -1 },
    { "data:image/png;base64,@@@@", NULL, NULL, 0, BW_ERROR_MALFORMED },
    { "data:image/png;base64,abc", NULL, NULL, 0, BW_ERROR_TRUNCATED },
    { "data:image/png", NULL, NULL, 0, BW_ERROR_MALFORMED },
    { "https://example.org/x.png", NULL, NULL, 0, BW_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *media_type = NULL;
      g_autoptr(GBytes) bytes = bw_share_decode_data_uri (cases[i].uri, &media_type, &error);

      g_test_message ("case %u", i);
      if (cases[i].error_code >= 0)
        {
          g_assert_error (error, BW_ERROR, cases[i].error_code);
          g_assert_null (bytes);
          g_assert_null (media_type);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (media_type, ==, cases[i].media_type);
          g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           cases[i].data, cases[i].length);
        }
    }
}

static void
test_filename (void)
{
  static const struct
  {
    const char *name;
    BwImageFormat format;
    const char *out;
  } cases[] = {
    { "Azure: Fundamentals/Advanced", BW_IMAGE_FORMAT_PNG, "Azure Fundamentals Advanced.png" },
    { "..hidden", BW_IMAGE_FORMAT_PNG, "hidden.png" },
    { "שלום", BW_IMAGE_FORMAT_SVG, "שלום.svg" },
    { "Tab\there \"quoted\"", BW_IMAGE_FORMAT_PNG, "Tab here quoted.png" },
    { "", BW_IMAGE_FORMAT_PNG, "badge.png" },
    { NULL, BW_IMAGE_FORMAT_SVG, "badge.svg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = bw_share_suggest_filename (cases[i].name, cases[i].format);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* From parsed badges */

static BwBadge *
badge_from_text (BwPayloadKind  kind,
                 const char    *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwPayload) payload = bw_payload_new (kind, BW_PAYLOAD_SOURCE_FILE, text);
  BwBadge *badge = bw_badge_new_from_payload (payload, &error);

  g_assert_no_error (error);
  g_assert_nonnull (badge);
  return badge;
}

static char *
make_jws (const char *payload)
{
  static const char header[] = "{\"alg\":\"RS256\"}";
  g_autofree char *h = bw_base64url_encode ((const guint8 *)header, strlen (header));
  g_autofree char *p = bw_base64url_encode ((const guint8 *)payload, strlen (payload));

  /* Nobody checks the signature here: sharing needs only the contents. */
  return g_strconcat (h, ".", p, ".c2lnbmF0dXJl", NULL);
}

static void
test_badge_hosted (void)
{
  g_autoptr(BwBadge) badge = badge_from_text (BW_PAYLOAD_KIND_JSON, HOSTED_ASSERTION);
  static const char * const expected[] = {
    [BW_SHARE_LINKEDIN_PROFILE] = HOSTED_LINKEDIN_PROFILE,
    [BW_SHARE_LINKEDIN_POST] = HOSTED_LINKEDIN_POST,
    [BW_SHARE_FACEBOOK] = HOSTED_FACEBOOK,
    [BW_SHARE_X] = HOSTED_X,
    [BW_SHARE_EMAIL] = HOSTED_EMAIL,
    [BW_SHARE_EMBED] = HOSTED_EMBED,
    [BW_SHARE_PUBLIC_URL] = HOSTED_PUBLIC_URL,
  };

  for (BwShareTarget target = 0; target < BW_SHARE_N_TARGETS; target++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *value = bw_share_build (badge, target, &reason);

      g_test_message ("%s", bw_share_target_to_string (target));
      g_assert_cmpstr (value, ==, expected[target]);
      g_assert_null (reason);
    }
}

static void
check_no_public_url (BwBadge    *badge,
                     const char *expected_reason)
{
  for (BwShareTarget target = 0; target < BW_SHARE_N_TARGETS; target++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *value = bw_share_build (badge, target, &reason);

      g_test_message ("%s", bw_share_target_to_string (target));
      if (target == BW_SHARE_EMAIL)
        {
          g_assert_nonnull (value);
          g_assert_true (g_str_has_prefix (value, "mailto:?subject="));
          g_assert_null (reason);
        }
      else
        {
          g_assert_null (value);
          g_assert_cmpstr (reason, ==, expected_reason);
        }
    }
}

static void
test_badge_signed (void)
{
  g_autofree char *jws = make_jws (SIGNED_ASSERTION);
  g_autoptr(BwBadge) badge = badge_from_text (BW_PAYLOAD_KIND_JWS, jws);
  g_autofree char *email = bw_share_build (badge, BW_SHARE_EMAIL, NULL);

  check_no_public_url (badge, SIGNED_REASON);
  g_assert_cmpstr (email, ==,
                   "mailto:?subject=My%20%E2%80%9CSigned%20%F0%9F%94%8F%20Badge%E2%80%9D%20badge"
                   "%20from%20Example%20Issuer&body=Hello%2C%0D%0A%0D%0AI%20earned%20the%20%E2%80%9C"
                   "Signed%20%F0%9F%94%8F%20Badge%E2%80%9D%20badge%20from%20Example%20Issuer.%0D%0A"
                   "%0D%0AThe%20badge%20image%20holds%20a%20signed%20copy%20of%20the%20badge%2C%20"
                   "which%20any%20Open%20Badges%20verifier%20can%20check.%0D%0A");
}

/* A hosted badge served over plain http is not offered as a link. */
static void
test_badge_http (void)
{
  g_auto(GStrv) parts = g_strsplit (HOSTED_ASSERTION, "https://badges.example.org/assertions/42", -1);
  g_autofree char *json = g_strjoinv ("http://badges.example.org/assertions/42", parts);
  g_autoptr(BwBadge) badge = badge_from_text (BW_PAYLOAD_KIND_JSON, json);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  check_no_public_url (badge,
                       "The issuer’s page for this badge is not served over a secure connection "
                       "(https), so it is not offered as a link. Send the badge by e-mail or save "
                       "the image instead.");
}

static void
test_badge_ob3 (void)
{
  g_autoptr(BwBadge) badge = badge_from_text (BW_PAYLOAD_KIND_JSON, OB3_CREDENTIAL);

  check_no_public_url (badge, OB3_REASON);
}

static GBytes *
pixel_png (void)
{
  gsize length;
  guchar *data = g_base64_decode (PIXEL_PNG_BASE64, &length);

  return g_bytes_new_take (data, length);
}

/* The saved image carries the badge exactly as it came, so it verifies
 * wherever it is opened. */
static void
test_bake (void)
{
  g_autofree char *jws = make_jws (SIGNED_ASSERTION);
  static const struct
  {
    BwPayloadKind kind;
    const char *text;
    gboolean svg;
    const char *keyword;
    BwPayloadSource source;
  } cases[] = {
    { BW_PAYLOAD_KIND_JSON, HOSTED_ASSERTION, FALSE, "openbadges", BW_PAYLOAD_SOURCE_ITXT },
    { BW_PAYLOAD_KIND_JWS, NULL, FALSE, "openbadges", BW_PAYLOAD_SOURCE_ITXT },
    { BW_PAYLOAD_KIND_JSON, OB3_CREDENTIAL, FALSE, "openbadgecredential", BW_PAYLOAD_SOURCE_ITXT },
    { BW_PAYLOAD_KIND_JSON, HOSTED_ASSERTION, TRUE, NULL, BW_PAYLOAD_SOURCE_SVG_ASSERTION },
    { BW_PAYLOAD_KIND_JWS, NULL, TRUE, NULL, BW_PAYLOAD_SOURCE_SVG_ASSERTION },
    { BW_PAYLOAD_KIND_JSON, OB3_CREDENTIAL, TRUE, NULL, BW_PAYLOAD_SOURCE_SVG_CREDENTIAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *text = cases[i].text != NULL ? cases[i].text : jws;
      g_autoptr(BwBadge) badge = badge_from_text (cases[i].kind, text);
      g_autoptr(GBytes) image = cases[i].svg ? g_bytes_new_static (PIXEL_SVG, strlen (PIXEL_SVG))
                                             : pixel_png ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) baked = bw_share_bake_image (badge, image, &error);
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwBadge) again = NULL;

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      g_assert_nonnull (baked);

      payload = bw_baked_read_bytes (baked, &error);
      g_assert_no_error (error);
      g_assert_cmpint (payload->kind, ==, cases[i].kind);
      g_assert_cmpint (payload->source, ==, cases[i].source);
      g_assert_cmpstr (payload->keyword, ==, cases[i].keyword);
      g_assert_cmpstr (payload->text, ==, text);

      again = bw_badge_new_from_payload (payload, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bw_badge_get_id (again), ==, bw_badge_get_id (badge));
      g_assert_cmpstr (bw_badge_get_name (again), ==, bw_badge_get_name (badge));
    }
}

static void
test_bake_refuses (void)
{
  g_autoptr(BwBadge) badge = badge_from_text (BW_PAYLOAD_KIND_JSON, HOSTED_ASSERTION);
  g_autoptr(GBytes) jpeg = g_bytes_new_static ("\xff\xd8\xff\xe0" "JFIF", 8);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) baked = bw_share_bake_image (badge, jpeg, &error);

  g_assert_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED);
  g_assert_null (baked);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/share/percent-encode", test_percent_encode);
  g_test_add_func ("/share/target-names", test_target_names);
  g_test_add_func ("/share/linkedin-profile", test_linkedin_profile);
  g_test_add_func ("/share/linkedin-time-zones", test_linkedin_time_zones);
  g_test_add_func ("/share/linkedin-fields", test_linkedin_fields);
  g_test_add_func ("/share/organization-id", test_organization_id);
  g_test_add_func ("/share/cert-id", test_cert_id);
  g_test_add_func ("/share/simple-links", test_simple_links);
  g_test_add_func ("/share/x", test_x);
  g_test_add_func ("/share/fit-text", test_fit_text);
  g_test_add_func ("/share/hashtag", test_hashtag);
  g_test_add_func ("/share/email", test_email);
  g_test_add_func ("/share/embed", test_embed);
  g_test_add_func ("/share/no-public-url", test_no_public_url);
  g_test_add_func ("/share/jobs", test_jobs);
  g_test_add_func ("/share/data-uri", test_data_uri);
  g_test_add_func ("/share/filename", test_filename);
  g_test_add_func ("/share/badge/hosted", test_badge_hosted);
  g_test_add_func ("/share/badge/signed", test_badge_signed);
  g_test_add_func ("/share/badge/http", test_badge_http);
  g_test_add_func ("/share/badge/ob3", test_badge_ob3);
  g_test_add_func ("/share/bake", test_bake);
  g_test_add_func ("/share/bake-refuses", test_bake_refuses);

  return g_test_run ();
}
