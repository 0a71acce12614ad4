/* bw-cli-inspect.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli-inspect"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bw-badge.h"
#include "bw-baked.h"
#include "bw-cli.h"
#include "bw-error.h"
#include "bw-util.h"

/* Human output shows this much of a payload; JSON output shows all of it. */
#define HUMAN_TEXT_LIMIT 2000
#define MAX_STDIN_BYTES  (32 * 1024 * 1024)

static GBytes *
read_stdin (GError **error)
{
  g_autoptr(GInputStream) stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[65536];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buffer->len + (gsize)n > MAX_STDIN_BYTES)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("standard input is over the limit of %d bytes"), MAX_STDIN_BYTES);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint)n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static BwPayload *
read_input (const char  *input,
            GError     **error)
{
  if (g_str_equal (input, "-"))
    {
      g_autoptr(GBytes) bytes = read_stdin (error);

      if (bytes == NULL)
        return NULL;
      return bw_baked_read_bytes (bytes, error);
    }

  return bw_baked_read_file (input, NULL, error);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *member,
                   const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (JsonGenerator   *generator,
            const char      *input,
            const BwPayload *payload,
            BwBadge         *badge,
            const GError    *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  add_string_member (builder, "input", input);

  json_builder_set_member_name (builder, "payload");
  if (payload != NULL)
    {
      json_builder_begin_object (builder);
      add_string_member (builder, "kind", bw_payload_kind_to_string (payload->kind));
      add_string_member (builder, "source", bw_payload_source_to_string (payload->source));
      add_string_member (builder, "keyword", payload->keyword);
      add_string_member (builder, "text", payload->text);
      add_string_member (builder, "verify", payload->svg_verify);
      json_builder_set_member_name (builder, "warnings");
      json_builder_begin_array (builder);
      for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (payload->warnings, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  add_string_member (builder, "spec",
                     badge != NULL ? bw_spec_version_to_string (bw_badge_get_spec (badge)) : NULL);
  add_string_member (builder, "verification",
                     badge != NULL ?
                     bw_verification_kind_to_string (bw_badge_get_verification (badge)) : NULL);

  json_builder_set_member_name (builder, "badge");
  if (badge != NULL)
    json_builder_add_value (builder, bw_badge_to_json (badge));
  else
    json_builder_add_null_value (builder);

  add_string_member (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  fputs (line, stdout);
  fputc ('\n', stdout);
}

static const char *
source_label (const BwPayload *payload)
{
  switch (payload->source)
    {
    case BW_PAYLOAD_SOURCE_ITXT:
      return _("PNG iTXt chunk");
    case BW_PAYLOAD_SOURCE_TEXT:
      return _("PNG tEXt chunk");
    case BW_PAYLOAD_SOURCE_SVG_ASSERTION:
      return _("SVG assertion element");
    case BW_PAYLOAD_SOURCE_SVG_CREDENTIAL:
      return _("SVG credential element");
    case BW_PAYLOAD_SOURCE_FILE:
      return _("file");
    case BW_PAYLOAD_SOURCE_URL:
      return _("URL");
    case BW_PAYLOAD_SOURCE_NONE:
    default:
      return _("unknown source");
    }
}

/* A copy safe to print on a terminal: control characters, which a hostile
 * badge could use to drive the terminal, are shown escaped. Line breaks and
 * tabs are kept only in a payload's text. */
static char *
printable (const char *text,
           gboolean    keep_newlines)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && !(keep_newlines && (c == '\n' || c == '\t'))) ||
          (c >= 0x7f && c < 0xa0))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *safe = printable (value, FALSE);

  printf ("  %-14s %s\n", label, safe != NULL ? safe : "");
}

static void
print_date (const char *label,
            GDateTime  *date,
            const char *none)
{
  g_autofree char *text = bw_format_datetime (date);

  print_field (label, text != NULL ? text : none);
}

static void
print_payload (const BwPayload *payload)
{
  gsize length = strlen (payload->text);
  g_autofree char *kind = NULL;
  g_autofree char *text = NULL;

  if (payload->keyword != NULL)
    kind = g_strdup_printf ("%s, %s “%s”", bw_payload_kind_to_string (payload->kind),
                            source_label (payload), payload->keyword);
  else
    kind = g_strdup_printf ("%s, %s", bw_payload_kind_to_string (payload->kind),
                            source_label (payload));
  print_field (_("Payload:"), kind);

  if (length > HUMAN_TEXT_LIMIT)
    {
      const char *end = g_utf8_find_prev_char (payload->text,
                                               payload->text + HUMAN_TEXT_LIMIT + 1);
      gsize shown = (gsize)(end - payload->text);
      g_autofree char *head = g_strndup (payload->text, shown);

      text = printable (head, TRUE);
      printf ("  %-14s %s…\n", _("Text:"), text);
      printf ("  %-14s ", "");
      printf (g_dngettext (GETTEXT_PACKAGE, "(%" G_GSIZE_FORMAT " more byte)",
                           "(%" G_GSIZE_FORMAT " more bytes)", length - shown),
              length - shown);
      printf ("\n");
    }
  else
    {
      text = printable (payload->text, TRUE);
      printf ("  %-14s %s\n", _("Text:"), text);
    }

  for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
    print_field (_("Warning:"), g_ptr_array_index (payload->warnings, i));
}

static void
print_badge (BwBadge *badge)
{
  const char *spec = bw_spec_version_to_string (bw_badge_get_spec (badge));
  const char *issuer_name = bw_badge_get_issuer_name (badge);
  const char *issuer_id = bw_badge_get_issuer_id (badge);
  GPtrArray *recipients = bw_badge_get_recipients (badge);
  GPtrArray *warnings = bw_badge_get_warnings (badge);
  const char * const *skills = bw_badge_get_skills (badge);
  g_autofree char *pending = bw_badge_dup_pending_url (badge, NULL);

  print_field (_("Badge:"), bw_badge_get_name (badge) != NULL ?
                            bw_badge_get_name (badge) : _("(not yet known)"));
  if (spec != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Open Badges %s, %s", spec,
                                               bw_verification_kind_to_string (
                                                 bw_badge_get_verification (badge)));

      print_field (_("Spec:"), text);
    }
  if (bw_badge_get_id (badge) != NULL)
    print_field (_("Id:"), bw_badge_get_id (badge));
  if (issuer_name != NULL && issuer_id != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", issuer_name, issuer_id);

      print_field (_("Issuer:"), text);
    }
  else if (issuer_name != NULL || issuer_id != NULL)
    print_field (_("Issuer:"), issuer_name != NULL ? issuer_name : issuer_id);
  if (bw_badge_get_spec (badge) != BW_SPEC_UNKNOWN)
    {
      print_date (_("Issued:"), bw_badge_get_issued (badge), _("unknown"));
      print_date (_("Expires:"), bw_badge_get_expires (badge), _("never"));
    }
  for (guint i = 0; i < recipients->len; i++)
    {
      BwRecipient *r = g_ptr_array_index (recipients, i);
      g_autofree char *text = g_strdup_printf ("%s %s%s", r->type, r->identity,
                                               r->hashed ? _(" (hashed)") : "");

      print_field (_("Recipient:"), text);
    }
  if (skills[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)skills);

      print_field (_("Skills:"), joined);
    }
  if (bw_badge_get_revoked (badge))
    print_field (_("Revoked:"), bw_badge_get_revocation_reason (badge) != NULL ?
                                bw_badge_get_revocation_reason (badge) : _("yes"));
  if (pending != NULL)
    print_field (_("To fetch:"), pending);
  for (guint i = 0; i < warnings->len; i++)
    print_field (_("Warning:"), g_ptr_array_index (warnings, i));
}

static void
print_human (const char      *input,
             const BwPayload *payload,
             BwBadge         *badge,
             const GError    *error)
{
  g_autofree char *safe_input = printable (input, FALSE);

  printf ("%s\n", safe_input);
  if (payload != NULL)
    print_payload (payload);
  if (badge != NULL)
    print_badge (badge);
  if (error != NULL)
    print_field (_("Error:"), error->message);
  printf ("\n");
}

int
bw_cli_inspect (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_auto(GStrv) inputs = NULL;
  gboolean json = FALSE;
  gboolean any_failed = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("One JSON object per file, one per line"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("FILE…") },
    { NULL }
  };

  g_return_val_if_fail (argc >= 1, BW_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Prints the payload baked into each image or held in each JSON "
                                  "or JWS file, and the badge as parsed. No network is used."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      bw_cli_printerr ("%s", error->message);
      return BW_EXIT_USAGE;
    }

  if (inputs == NULL || inputs[0] == NULL)
    {
      bw_cli_printerr ("%s", _("inspect: no file given"));
      return BW_EXIT_USAGE;
    }

  if (json)
    generator = json_generator_new ();

  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BwPayload) payload = NULL;
      g_autoptr(BwBadge) badge = NULL;
      g_autofree char *display = g_filename_display_name (inputs[i]);

      payload = read_input (inputs[i], &local_error);
      if (payload != NULL)
        badge = bw_badge_new_from_payload (payload, &local_error);
      if (local_error != NULL)
        any_failed = TRUE;

      if (json)
        print_json (generator, display, payload, badge, local_error);
      else
        print_human (display, payload, badge, local_error);
    }

  fflush (stdout);
  return any_failed ? BW_EXIT_FAILED : BW_EXIT_OK;
}
