/* bw-cli-inspect.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-cli-inspect"

#include "config.h"

#include <glib/gi18n.h>
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

static void
print_json (GString         *out,
            const char      *input,
            const BwPayload *payload,
            BwBadge         *badge,
            const GError    *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  bw_json_builder_add_string (builder, "input", input);

  json_builder_set_member_name (builder, "payload");
  if (payload != NULL)
    {
      json_builder_begin_object (builder);
      bw_json_builder_add_string (builder, "kind", bw_payload_kind_to_string (payload->kind));
      bw_json_builder_add_string (builder, "source", bw_payload_source_to_string (payload->source));
      bw_json_builder_add_string (builder, "keyword", payload->keyword);
      bw_json_builder_add_string (builder, "text", payload->text);
      bw_json_builder_add_string (builder, "verify", payload->svg_verify);
      json_builder_set_member_name (builder, "warnings");
      json_builder_begin_array (builder);
      for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (payload->warnings, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  bw_json_builder_add_string (builder, "spec",
                              badge != NULL ? bw_spec_version_to_string (bw_badge_get_spec (badge)) : NULL);
  bw_json_builder_add_string (builder, "verification",
                              badge != NULL ?
                              bw_verification_kind_to_string (bw_badge_get_verification (badge)) : NULL);

  json_builder_set_member_name (builder, "badge");
  if (badge != NULL)
    json_builder_add_value (builder, bw_badge_to_json (badge));
  else
    json_builder_add_null_value (builder);

  bw_json_builder_add_string (builder, "error", error != NULL ? error->message : NULL);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  g_string_append (out, line);
  g_string_append_c (out, '\n');
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
print_field (GString    *out,
             const char *label,
             const char *value)
{
  g_autofree char *safe = printable (value, FALSE);

  g_string_append_printf (out, "  %-14s %s\n", label, safe != NULL ? safe : "");
}

static void
print_date (GString    *out,
            const char *label,
            GDateTime  *date,
            const char *none)
{
  g_autofree char *text = bw_format_datetime (date);

  print_field (out, label, text != NULL ? text : none);
}

static void
print_payload (GString         *out,
               const BwPayload *payload)
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
  print_field (out, _("Payload:"), kind);

  if (length > HUMAN_TEXT_LIMIT)
    {
      const char *end = g_utf8_find_prev_char (payload->text,
                                               payload->text + HUMAN_TEXT_LIMIT + 1);
      gsize shown = (gsize)(end - payload->text);
      g_autofree char *head = g_strndup (payload->text, shown);

      text = printable (head, TRUE);
      g_string_append_printf (out, "  %-14s %s…\n", _("Text:"), text);
      g_string_append_printf (out, "  %-14s ", "");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "(%lu more byte)",
                                                "(%lu more bytes)", length - shown),
                              (gulong)(length - shown));
      g_string_append_printf (out, "\n");
    }
  else
    {
      text = printable (payload->text, TRUE);
      g_string_append_printf (out, "  %-14s %s\n", _("Text:"), text);
    }

  for (guint i = 0; payload->warnings != NULL && i < payload->warnings->len; i++)
    print_field (out, _("Warning:"), g_ptr_array_index (payload->warnings, i));
}

static void
print_badge (GString *out,
             BwBadge *badge)
{
  const char *spec = bw_spec_version_to_string (bw_badge_get_spec (badge));
  const char *issuer_name = bw_badge_get_issuer_name (badge);
  const char *issuer_id = bw_badge_get_issuer_id (badge);
  GPtrArray *recipients = bw_badge_get_recipients (badge);
  GPtrArray *warnings = bw_badge_get_warnings (badge);
  const char * const *skills = bw_badge_get_skills (badge);
  g_autofree char *pending = bw_badge_dup_pending_url (badge, NULL);

  print_field (out, _("Badge:"), bw_badge_get_name (badge) != NULL ?
                            bw_badge_get_name (badge) : _("(not yet known)"));
  if (spec != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Open Badges %s, %s", spec,
                                               bw_verification_kind_to_string (
                                                 bw_badge_get_verification (badge)));

      print_field (out, _("Spec:"), text);
    }
  if (bw_badge_get_id (badge) != NULL)
    print_field (out, _("Id:"), bw_badge_get_id (badge));
  if (issuer_name != NULL && issuer_id != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", issuer_name, issuer_id);

      print_field (out, _("Issuer:"), text);
    }
  else if (issuer_name != NULL || issuer_id != NULL)
    print_field (out, _("Issuer:"), issuer_name != NULL ? issuer_name : issuer_id);
  if (bw_badge_get_spec (badge) != BW_SPEC_UNKNOWN)
    {
      print_date (out, _("Issued:"), bw_badge_get_issued (badge), _("unknown"));
      print_date (out, _("Expires:"), bw_badge_get_expires (badge), _("never"));
    }
  for (guint i = 0; i < recipients->len; i++)
    {
      BwRecipient *r = g_ptr_array_index (recipients, i);
      g_autofree char *text = g_strdup_printf ("%s %s%s", r->type, r->identity,
                                               r->hashed ? _(" (hashed)") : "");

      print_field (out, _("Recipient:"), text);
    }
  if (skills[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)skills);

      print_field (out, _("Skills:"), joined);
    }
  if (bw_badge_get_revoked (badge))
    print_field (out, _("Revoked:"), bw_badge_get_revocation_reason (badge) != NULL ?
                                bw_badge_get_revocation_reason (badge) : _("yes"));
  if (pending != NULL)
    print_field (out, _("To fetch:"), pending);
  for (guint i = 0; i < warnings->len; i++)
    print_field (out, _("Warning:"), g_ptr_array_index (warnings, i));
}

static void
print_human (GString         *out,
             const char      *input,
             const BwPayload *payload,
             BwBadge         *badge,
             const GError    *error)
{
  g_autofree char *safe_input = printable (input, FALSE);

  g_string_append_printf (out, "%s\n", safe_input);
  if (payload != NULL)
    print_payload (out, payload);
  if (badge != NULL)
    print_badge (out, badge);
  if (error != NULL)
    print_field (out, _("Error:"), error->message);
  g_string_append_printf (out, "\n");
}

/* Files are read and parsed by a few worker threads while the main thread
 * prints the results in input order. At most WINDOW results wait to be
 * printed, so memory does not grow with the number of files. */
#define WINDOW 256

typedef struct
{
  char     *input;
  GString  *output;
  gboolean  failed;
  gboolean  done;
} InspectItem;

typedef struct
{
  GMutex       lock;
  GCond        cond;
  InspectItem *items;
  GBytes      *stdin_data;
  GError      *stdin_error;
  gboolean     json;
} InspectRun;

static void
inspect_one (gpointer data,
             gpointer user_data)
{
  InspectItem *item = data;
  InspectRun *run = user_data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(BwBadge) badge = NULL;
  g_autofree char *display = g_filename_display_name (item->input);
  GString *out = g_string_new (NULL);

  if (g_str_equal (item->input, "-"))
    {
      if (run->stdin_data != NULL)
        payload = bw_baked_read_bytes (run->stdin_data, &local_error);
      else
        local_error = g_error_copy (run->stdin_error);
    }
  else
    payload = bw_baked_read_file (item->input, NULL, &local_error);

  if (payload != NULL)
    badge = bw_badge_new_from_payload (payload, &local_error);

  if (run->json)
    print_json (out, display, payload, badge, local_error);
  else
    print_human (out, display, payload, badge, local_error);

  g_mutex_lock (&run->lock);
  item->output = out;
  item->failed = local_error != NULL;
  item->done = TRUE;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

int
bw_cli_inspect (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  g_autofree InspectItem *items = NULL;
  g_auto(GStrv) inputs = NULL;
  InspectRun run = { 0 };
  gboolean json = FALSE;
  gboolean any_failed = FALSE;
  guint n_inputs, n_threads, pushed = 0;
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

  n_inputs = g_strv_length (inputs);
  items = g_new0 (InspectItem, n_inputs);
  g_mutex_init (&run.lock);
  g_cond_init (&run.cond);
  run.items = items;
  run.json = json;

  /* Standard input is read once, before the workers start, however many
   * times "-" is named. */
  if (g_strv_contains ((const char * const *)inputs, "-"))
    run.stdin_data = bw_cli_read_stdin (&run.stdin_error);

  n_threads = CLAMP (g_get_num_processors (), 1, 4);
  pool = g_thread_pool_new (inspect_one, &run, (int)n_threads, TRUE, NULL);

  for (guint i = 0; i < n_inputs; i++)
    items[i].input = inputs[i];

  for (guint i = 0; i < n_inputs; i++)
    {
      while (pushed < n_inputs && pushed < i + WINDOW)
        g_thread_pool_push (pool, &items[pushed++], NULL);

      g_mutex_lock (&run.lock);
      while (!items[i].done)
        g_cond_wait (&run.cond, &run.lock);
      g_mutex_unlock (&run.lock);

      fwrite (items[i].output->str, 1, items[i].output->len, stdout);
      g_string_free (items[i].output, TRUE);
      items[i].output = NULL;
      any_failed |= items[i].failed;
    }

  g_thread_pool_free (pool, FALSE, TRUE);
  g_clear_pointer (&run.stdin_data, g_bytes_unref);
  g_clear_error (&run.stdin_error);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.cond);

  fflush (stdout);
  return any_failed ? BW_EXIT_FAILED : BW_EXIT_OK;
}
