/* bw-cli-share.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli-share"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bw-badge.h"
#include "bw-baked.h"
#include "bw-cli.h"
#include "bw-error.h"
#include "bw-util.h"
#include "bw-share.h"
#include "bw-store.h"

/* Targets in the order they are printed; the public link comes first
 * because every other link points at it. */
static const BwShareTarget print_order[] = {
  BW_SHARE_PUBLIC_URL,
  BW_SHARE_LINKEDIN_PROFILE,
  BW_SHARE_LINKEDIN_POST,
  BW_SHARE_FACEBOOK,
  BW_SHARE_X,
  BW_SHARE_EMAIL,
  BW_SHARE_EMBED,
};

static const char *
target_title (BwShareTarget target)
{
  switch (target)
    {
    case BW_SHARE_LINKEDIN_PROFILE:
      return _("Add to LinkedIn profile");
    case BW_SHARE_LINKEDIN_POST:
      return _("Post on LinkedIn");
    case BW_SHARE_FACEBOOK:
      return _("Share on Facebook");
    case BW_SHARE_X:
      return _("Post on X");
    case BW_SHARE_EMAIL:
      return _("Send by e-mail");
    case BW_SHARE_EMBED:
      return _("Embed code");
    case BW_SHARE_PUBLIC_URL:
      return _("Public link");
    case BW_SHARE_N_TARGETS:
    default:
      g_assert_not_reached ();
    }
}

/* A wallet id is the SHA-256 of the original, in lower-case hex; `list`
 * shows its first twelve digits, and any unambiguous beginning of at least
 * four digits names a badge too. */
static gboolean
looks_like_wallet_id (const char *text)
{
  gsize length = 0;

  for (const char *p = text; *p != '\0'; p++, length++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;

  return length >= 4 && length <= 64;
}

static BwBadge *
open_badge (const char  *input,
            GError     **error)
{
  g_autoptr(BwPayload) payload = NULL;

  if (g_file_test (input, G_FILE_TEST_EXISTS) || !looks_like_wallet_id (input))
    {
      payload = bw_baked_read_file (input, NULL, error);
      if (payload == NULL)
        return NULL;
      return bw_badge_new_from_payload (payload, error);
    }
  else
    {
      g_autofree char *directory = bw_cli_wallet_dir ();
      g_autofree char *prefix = g_ascii_strdown (input, -1);
      g_autofree char *wallet_id = NULL;
      g_autoptr(BwStore) store = NULL;
      BwBadge *badge;

      store = bw_store_open (directory, error);
      if (store == NULL)
        return NULL;

      if (bw_store_get_recovery_message (store) != NULL)
        bw_cli_printerr ("%s", bw_store_get_recovery_message (store));

      wallet_id = bw_store_resolve_id (store, prefix, NULL);
      badge = wallet_id != NULL ? bw_store_lookup (store, wallet_id) : NULL;
      if (badge == NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_NOT_FOUND,
                       _("“%s” is neither a file nor the id of a badge in the wallet %s"),
                       input, directory);
          return NULL;
        }

      return g_object_ref (badge);
    }
}

static void
print_json (const char  *input,
            BwShareInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) jobs = bw_share_info_jobs (info);
  char *reasons[BW_SHARE_N_TARGETS] = { NULL, };
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "input", input);

  for (guint i = 0; i < G_N_ELEMENTS (print_order); i++)
    {
      BwShareTarget target = print_order[i];
      g_autofree char *value = bw_share_info_build (info, target, &reasons[target]);

      bw_json_builder_add_string (builder, bw_share_target_to_string (target), value);
    }

  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (print_order); i++)
    {
      BwShareTarget target = print_order[i];

      if (reasons[target] != NULL)
        bw_json_builder_add_string (builder, bw_share_target_to_string (target), reasons[target]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "linkedin-jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < jobs->len; i++)
    {
      BwShareField *job = g_ptr_array_index (jobs, i);

      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "keywords", job->label);
      bw_json_builder_add_string (builder, "url", job->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  for (guint i = 0; i < BW_SHARE_N_TARGETS; i++)
    g_free (reasons[i]);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_indented (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("  %s\n", lines[i]);
}

static void
print_human (BwShareInfo *info)
{
  g_autoptr(GPtrArray) jobs = bw_share_info_jobs (info);

  printf ("%s\n\n", bw_share_info_get_display_name (info));

  for (guint i = 0; i < G_N_ELEMENTS (print_order); i++)
    {
      BwShareTarget target = print_order[i];
      g_autofree char *reason = NULL;
      g_autofree char *value = bw_share_info_build (info, target, &reason);

      printf ("%s\n", target_title (target));
      if (value != NULL)
        print_indented (value);
      else
        /* Translators: shown under a share target that cannot be used. */
        printf ("  %s %s\n", _("Not available:"), reason);
      printf ("\n");
    }

  if (jobs->len > 0)
    {
      printf ("%s\n", _("Find jobs on LinkedIn"));
      for (guint i = 0; i < jobs->len; i++)
        {
          BwShareField *job = g_ptr_array_index (jobs, i);

          printf ("  %s\n    %s\n", job->label, job->value);
        }
    }
}

int
bw_cli_share (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autoptr(BwShareInfo) info = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *display = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL },
    { NULL }
  };

  g_return_val_if_fail (argc >= 1, BW_EXIT_USAGE);

  context = g_option_context_new (_("ID|FILE — print the share links and embed code of a badge"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Prints every way the application offers to share one badge: "
                                  "of the wallet, by its id, or of a file (a baked PNG or SVG, "
                                  "or an assertion, credential or JWS file). No network is used."));
  g_option_context_set_description (context,
                                    _("With --json, one object with the keys “input”, "
                                      "“public-url”, “linkedin-profile”, “linkedin-post”, "
                                      "“facebook”, “x”, “email” (a mailto: URI) and “embed” "
                                      "(an HTML snippet).\n"
                                      "A badge with no public web page (a signed badge, or an "
                                      "Open Badges 3.0 credential that names none) cannot be "
                                      "shared as a link: each link target is then null, and the "
                                      "object “reasons” maps the key of each null target to the "
                                      "sentence that says why. “reasons” is always present, empty "
                                      "when every target is available.\n"
                                      "“linkedin-jobs” lists LinkedIn job searches for the badge "
                                      "name and each of its skills, as objects with “keywords” "
                                      "and “url”.\n\n"
                                      "Exit status: 0 printed, 1 the badge could not be read or "
                                      "found, 2 usage error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      bw_cli_printerr ("%s", error->message);
      return BW_EXIT_USAGE;
    }

  if (inputs == NULL || inputs[0] == NULL)
    {
      bw_cli_printerr ("%s", _("share: no badge id or file given"));
      return BW_EXIT_USAGE;
    }

  if (inputs[1] != NULL)
    {
      bw_cli_printerr ("%s", _("share: give one badge id or file, not several"));
      return BW_EXIT_USAGE;
    }

  display = g_filename_display_name (inputs[0]);
  badge = open_badge (inputs[0], &error);
  if (badge == NULL)
    {
      bw_cli_printerr ("%s: %s", display, error->message);
      return BW_EXIT_FAILED;
    }

  info = bw_share_info_new_from_badge (badge);

  if (json)
    print_json (display, info);
  else
    print_human (info);

  fflush (stdout);
  return BW_EXIT_OK;
}
