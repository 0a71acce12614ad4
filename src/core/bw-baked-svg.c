/* bw-baked-svg.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-baked-svg"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bw-baked.h"
#include "bw-baked-private.h"
#include "bw-error.h"
#include "bw-util.h"

#define NS_OB2 "http://openbadges.org"
#define NS_OB3 "https://purl.imsglobal.org/ob/v3p0"

/* SVG
 *
 * GMarkup parses the document: it never loads a DTD, an external entity
 * or a file, and it refuses entity references it does not know. Element
 * positions, which GMarkup does not report in bytes, come from a small
 * scanner run over the file's text once GMarkup has found it well-formed;
 * both see the start tags in the same order, so the n-th start tag of
 * one is the n-th of the other. (GMarkup may see the text with the
 * entities of the DOCTYPE expanded, which never adds or removes a tag:
 * see "The DOCTYPE" below.) */

typedef struct
{
  guint    ordinal;   /* which start tag, counting from 0 */
  gsize    start;     /* the '<' of the start tag */
  gsize    tag_end;   /* just after the '>' of the start tag */
  gsize    end;       /* just after the end tag (or the start tag if empty) */
  gboolean empty;     /* self-closing */
} SvgSpan;

/* How many ignored Open Badges elements are named one by one. */
#define SVG_MAX_LISTED 8

typedef struct
{
  guint ordinal;
  int   want;         /* index in the spans being filled, or -1 */
} SvgOpen;

static gsize
find_str (const char *text,
          gsize       length,
          gsize       from,
          const char *needle)
{
  gsize nlen = strlen (needle);

  for (gsize i = from; i + nlen <= length; i++)
    {
      if (text[i] == needle[0] && memcmp (text + i, needle, nlen) == 0)
        return i;
    }
  return length;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  guint oa = ((const SvgSpan *)a)->ordinal;
  guint ob = ((const SvgSpan *)b)->ordinal;

  return oa < ob ? -1 : oa > ob;
}

/* The spans are sorted by ordinal once the scan starts. */
static int
find_wanted (GArray *spans,
             guint   ordinal)
{
  guint lo = 0;
  guint hi = spans->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint o = g_array_index (spans, SvgSpan, mid).ordinal;

      if (o == ordinal)
        return (int)mid;
      if (o < ordinal)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

static gboolean
has_prefix_at (const char *text,
               gsize       length,
               gsize       at,
               const char *prefix)
{
  gsize n = strlen (prefix);

  return at + n <= length && memcmp (text + at, prefix, n) == 0;
}

/* Skips a comment, CDATA section, processing instruction or DOCTYPE that
 * starts at @start, ending it exactly where GMarkup does: at "?>", "-->"
 * and "]]>", and for a DOCTYPE at the '>' that balances its '<' (GMarkup
 * ignores quotes and brackets there, so this must too). */
static gsize
skip_passthrough (const char *text,
                  gsize       length,
                  gsize       start)
{
  gboolean pi = text[start + 1] == '?';
  gboolean comment = has_prefix_at (text, length, start, "<!--");
  gboolean cdata = has_prefix_at (text, length, start, "<![CDATA[");
  gboolean doctype = has_prefix_at (text, length, start, "<!DOCTYPE");
  int balance = 1;

  for (gsize j = start + 1; j < length; j++)
    {
      if (text[j] == '<')
        balance++;
      else if (text[j] == '>')
        {
          balance--;
          if (pi && text[j - 1] == '?')
            return j + 1;
          if (comment && j - start >= 4 && text[j - 2] == '-' && text[j - 1] == '-')
            return j + 1;
          if (cdata && text[j - 2] == ']' && text[j - 1] == ']')
            return j + 1;
          if (doctype && balance == 0)
            return j + 1;
        }
    }
  return length;
}

/* Fills in the spans whose ordinals are set in @spans. The text must be
 * well-formed (GMarkup checked it); on anything else the scanner still
 * stays within the text. The prolog's DOCTYPE, from @doctype_start to
 * @doctype_end, was parsed on its own and is stepped over whole. */
static void
svg_scan_spans (const char *text,
                gsize       length,
                gsize       doctype_start,
                gsize       doctype_end,
                GArray     *spans)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (SvgOpen));
  guint ordinal = 0;
  gsize i = 0;

  g_array_sort (spans, compare_spans);
  while (i < length)
    {
      if (text[i] != '<')
        {
          const char *next = memchr (text + i, '<', length - i);

          if (next == NULL)
            break;
          i = (gsize)(next - text);
          continue;
        }

      if (i == doctype_start && doctype_end > doctype_start)
        i = doctype_end;
      else if (i + 1 < length && (text[i + 1] == '?' || text[i + 1] == '!'))
        i = skip_passthrough (text, length, i);
      else if (i + 2 <= length && text[i + 1] == '/')
        {
          const char *gt = memchr (text + i, '>', length - i);
          gsize after = gt != NULL ? (gsize)(gt - text) + 1 : length;

          if (open->len > 0)
            {
              SvgOpen *top = &g_array_index (open, SvgOpen, open->len - 1);

              if (top->want >= 0)
                g_array_index (spans, SvgSpan, top->want).end = after;
              g_array_set_size (open, open->len - 1);
            }
          i = after;
        }
      else
        {
          SvgOpen entry = { ordinal++, -1 };
          char quote = 0;
          gboolean empty;
          gsize j;

          for (j = i + 1; j < length; j++)
            {
              char c = text[j];

              if (quote != 0)
                {
                  if (c == quote)
                    quote = 0;
                }
              else if (c == '"' || c == '\'')
                quote = c;
              else if (c == '>')
                break;
            }
          empty = j < length && text[j - 1] == '/';
          entry.want = find_wanted (spans, entry.ordinal);
          if (entry.want >= 0)
            {
              SvgSpan *span = &g_array_index (spans, SvgSpan, entry.want);

              span->start = i;
              span->tag_end = MIN (j + 1, length);
              span->empty = empty;
              span->end = empty ? span->tag_end : length;
            }
          if (!empty)
            g_array_append_val (open, entry);
          i = MIN (j + 1, length);
        }
    }
}

static GArray *
svg_spans_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (SvgSpan));
}

static void
svg_spans_want (GArray *spans,
                guint   ordinal)
{
  SvgSpan span = { ordinal, 0, 0, 0, FALSE };

  g_array_append_val (spans, span);
}

static const SvgSpan *
svg_spans_get (GArray *spans,
               guint   ordinal)
{
  int i = find_wanted (spans, ordinal);

  return i >= 0 ? &g_array_index (spans, SvgSpan, i) : NULL;
}

static int
line_at (const char *text,
         gsize       offset)
{
  int line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (text[i] == '\n')
        line++;
    }
  return line;
}

/* The DOCTYPE
 *
 * GMarkup knows only the five predefined entities, yet SVG exported by
 * some editors (Adobe Illustrator among them) declares a few more in the
 * internal subset of its DOCTYPE and uses them for namespace URIs. The
 * prolog's DOCTYPE is therefore parsed here, strictly: only general
 * entities whose value is plain text are kept; external and parameter
 * entities are refused, and so is any value holding markup or a reference,
 * which rules out recursion. The external DTD is never loaded.
 *
 * GMarkup then reads the document in pieces: the DOCTYPE becomes a comment
 * of the same length and the same lines, and each reference to a declared
 * entity in text or in an attribute value is replaced by its value, escaped
 * for where it stands. The document itself is never changed, so the byte
 * offsets that baking relies on are those of the original text. */

#define SVG_MAX_ENTITIES      64
#define SVG_MAX_ENTITY_VALUE  4096
#define SVG_MAX_ENTITY_NAME   256

typedef struct
{
  char  *text;        /* escaped for character data */
  gsize  text_len;
  char  *attr;        /* escaped and normalised for an attribute value */
  gsize  attr_len;
} SvgEntity;

static void
svg_entity_free (gpointer data)
{
  SvgEntity *entity = data;

  g_free (entity->text);
  g_free (entity->attr);
  g_free (entity);
}

static gboolean
is_name_start (guchar c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || c >= 0x80;
}

static gboolean
is_name_char (guchar c)
{
  return is_name_start (c) || g_ascii_isdigit (c) || c == '-' || c == '.';
}

/* The length of the XML name at @at, or 0 when there is none. */
static gsize
name_length (const char *text,
             gsize       length,
             gsize       at)
{
  gsize i = at;

  if (i >= length || !is_name_start ((guchar)text[i]))
    return 0;
  while (i < length && is_name_char ((guchar)text[i]))
    i++;
  return i - at;
}

static gsize
skip_xml_space (const char *text,
                gsize       length,
                gsize       at)
{
  while (at < length && _bw_baked_is_xml_space (text[at]))
    at++;
  return at;
}

/* A name quoted in a message: long names are cut so that a hostile file
 * cannot fill the message. The text is valid UTF-8 and a name never ends
 * inside a character, so the walk stays within it. */
static char *
quoted_name (const char *text,
             gsize       length)
{
  const char *p = text;
  const char *end = text + length;
  guint n = 0;

  while (p < end && n < 40)
    {
      p = g_utf8_next_char (p);
      n++;
    }
  if (p < end)
    {
      g_autofree char *cut = g_strndup (text, (gsize)(p - text));

      return g_strconcat (cut, "…", NULL);
    }
  return g_strndup (text, length);
}

static int
column_at (const char *text,
           gsize       offset)
{
  gsize start = offset;

  while (start > 0 && text[start - 1] != '\n')
    start--;
  return (int)g_utf8_strlen (text + start, (gssize)(offset - start)) + 1;
}

static void
set_doctype_malformed (GError    **error,
                       const char *text,
                       gsize       at,
                       const char *reason)
{
  g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
               _("SVG is not well-formed (line %d, column %d): %s"),
               line_at (text, at), column_at (text, at), reason);
}

/* Reads the quoted literal at *@pos, leaving *@pos after its closing
 * quote. */
static gboolean
read_literal (const char  *text,
              gsize        length,
              gsize       *pos,
              gsize       *value_start,
              gsize       *value_length,
              GError     **error)
{
  char quote = *pos < length ? text[*pos] : '\0';
  const char *close;

  if (quote != '"' && quote != '\'')
    {
      set_doctype_malformed (error, text, *pos, _("a quoted literal was expected in the DOCTYPE"));
      return FALSE;
    }
  close = memchr (text + *pos + 1, quote, length - *pos - 1);
  if (close == NULL)
    {
      set_doctype_malformed (error, text, *pos, _("a quoted literal in the DOCTYPE is not closed"));
      return FALSE;
    }
  *value_start = *pos + 1;
  *value_length = (gsize)(close - text) - *value_start;
  *pos = (gsize)(close - text) + 1;
  return TRUE;
}

/* Reads an external identifier (SYSTEM "…" or PUBLIC "…" "…") if one
 * starts at *@pos. Its literals are only stepped over: nothing is ever
 * fetched. */
static gboolean
skip_external_id (const char  *text,
                  gsize        length,
                  gsize       *pos,
                  gboolean    *found,
                  GError     **error)
{
  gboolean public = has_prefix_at (text, length, *pos, "PUBLIC");
  gsize start, len;

  *found = public || has_prefix_at (text, length, *pos, "SYSTEM");
  if (!*found)
    return TRUE;

  *pos = skip_xml_space (text, length, *pos + 6);
  if (!read_literal (text, length, pos, &start, &len, error))
    return FALSE;
  if (public)
    {
      *pos = skip_xml_space (text, length, *pos);
      if (!read_literal (text, length, pos, &start, &len, error))
        return FALSE;
    }
  return TRUE;
}

/* The value of an entity escaped for character data (@attr FALSE) or for
 * an attribute value in either kind of quotes (@attr TRUE). Newlines are
 * written as references in text so that GMarkup counts the lines of the
 * document as they are; in an attribute, XML turns white space from an
 * entity into spaces. */
static char *
escape_entity_value (const char *value,
                     gsize       length,
                     gboolean    attr,
                     gsize      *escaped_length)
{
  GString *s = g_string_sized_new (length + 16);

  for (gsize i = 0; i < length; i++)
    {
      char c = value[i];

      /* Line ends in a literal are read as a single newline. */
      if (c == '\r')
        {
          if (i + 1 < length && value[i + 1] == '\n')
            i++;
          c = '\n';
        }

      if (c == '>')
        g_string_append (s, "&gt;");
      else if (attr && c == '"')
        g_string_append (s, "&quot;");
      else if (attr && c == '\'')
        g_string_append (s, "&apos;");
      else if (attr && (c == '\n' || c == '\t'))
        g_string_append_c (s, ' ');
      else if (c == '\n')
        g_string_append (s, "&#10;");
      else
        g_string_append_c (s, c);
    }
  *escaped_length = s->len;
  return g_string_free (s, FALSE);
}

static gboolean
is_predefined_entity (const char *name,
                      gsize       length)
{
  static const char *const predefined[] = { "lt", "gt", "amp", "apos", "quot" };

  for (guint i = 0; i < G_N_ELEMENTS (predefined); i++)
    {
      if (strlen (predefined[i]) == length && memcmp (name, predefined[i], length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Parses <!ENTITY …> at *@pos (just after "<!ENTITY"). */
static gboolean
parse_entity_decl (const char  *text,
                   gsize        length,
                   gsize        decl,
                   gsize       *pos,
                   GHashTable  *entities,
                   guint       *n_declared,
                   GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  SvgEntity *entity;
  gboolean external;
  gsize name_at, name_len;
  gsize value_start, value_len;

  if (++*n_declared > SVG_MAX_ENTITIES)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("SVG refused: its DOCTYPE declares more than %d entities (line %d)"),
                   SVG_MAX_ENTITIES, line_at (text, decl));
      return FALSE;
    }

  name_at = skip_xml_space (text, length, *pos);
  if (name_at < length && text[name_at] == '%')
    {
      gsize at = skip_xml_space (text, length, name_at + 1);
      g_autofree char *pname = quoted_name (text + at, name_length (text, length, at));

      g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                   _("SVG refused: its DOCTYPE declares the parameter entity “%s” (line %d)"),
                   pname, line_at (text, decl));
      return FALSE;
    }
  name_len = name_length (text, length, name_at);
  if (name_at == *pos || name_len == 0)
    {
      set_doctype_malformed (error, text, name_at, _("an entity declaration has no name"));
      return FALSE;
    }
  if (name_len > SVG_MAX_ENTITY_NAME)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("SVG refused: the name of the entity declared at line %d is longer than "
                     "%d bytes"),
                   line_at (text, decl), SVG_MAX_ENTITY_NAME);
      return FALSE;
    }
  name = quoted_name (text + name_at, name_len);

  *pos = skip_xml_space (text, length, name_at + name_len);
  if (!skip_external_id (text, length, pos, &external, error))
    return FALSE;
  if (external)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                   _("SVG refused: its DOCTYPE declares the external entity “%s” (line %d)"),
                   name, line_at (text, decl));
      return FALSE;
    }
  if (!read_literal (text, length, pos, &value_start, &value_len, error))
    return FALSE;
  *pos = skip_xml_space (text, length, *pos);
  if (*pos >= length || text[*pos] != '>')
    {
      set_doctype_malformed (error, text, *pos, _("an entity declaration is not closed by “>”"));
      return FALSE;
    }
  (*pos)++;

  if (memchr (text + value_start, '<', value_len) != NULL ||
      memchr (text + value_start, '&', value_len) != NULL ||
      memchr (text + value_start, '%', value_len) != NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                   _("SVG refused: the entity “%s” declared at line %d holds markup or "
                     "references; only plain text is accepted"),
                   name, line_at (text, decl));
      return FALSE;
    }
  if (value_len > SVG_MAX_ENTITY_VALUE)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("SVG refused: the entity “%s” declared at line %d is longer than %d bytes"),
                   name, line_at (text, decl), SVG_MAX_ENTITY_VALUE);
      return FALSE;
    }
  if (is_predefined_entity (text + name_at, name_len))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                   _("SVG refused: its DOCTYPE redeclares the predefined entity “%s” (line %d)"),
                   name, line_at (text, decl));
      return FALSE;
    }

  /* The first declaration of a name is binding; later ones are ignored,
   * as XML says. */
  key = g_strndup (text + name_at, name_len);
  if (g_hash_table_contains (entities, key))
    return TRUE;
  entity = g_new0 (SvgEntity, 1);
  entity->text = escape_entity_value (text + value_start, value_len, FALSE, &entity->text_len);
  entity->attr = escape_entity_value (text + value_start, value_len, TRUE, &entity->attr_len);
  g_hash_table_insert (entities, g_steal_pointer (&key), entity);
  return TRUE;
}

/* Steps over an element, attribute list or notation declaration, which
 * GMarkup would not apply either. */
static gboolean
skip_markup_decl (const char  *text,
                  gsize        length,
                  gsize       *pos,
                  GError     **error)
{
  gsize decl = *pos;
  char quote = 0;

  for (gsize i = *pos + 2; i < length; i++)
    {
      char c = text[i];

      if (quote != 0)
        {
          if (c == quote)
            quote = 0;
        }
      else if (c == '"' || c == '\'')
        quote = c;
      else if (c == '%')
        {
          g_autofree char *name = quoted_name (text + i + 1, name_length (text, length, i + 1));

          g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                       _("SVG refused: its DOCTYPE refers to the parameter entity “%s” (line %d)"),
                       name, line_at (text, i));
          return FALSE;
        }
      else if (c == '>')
        {
          *pos = i + 1;
          return TRUE;
        }
    }
  set_doctype_malformed (error, text, decl, _("a declaration in the DOCTYPE is not closed"));
  return FALSE;
}

/* Parses the DOCTYPE that starts at @start and sets *@end just after its
 * closing '>', filling @entities with the general entities it declares. */
static gboolean
parse_doctype (const char  *text,
               gsize        length,
               gsize        start,
               GHashTable  *entities,
               gsize       *end,
               GError     **error)
{
  gsize pos = start + strlen ("<!DOCTYPE");
  guint n_declared = 0;
  gboolean external;
  gsize name_len;

  if (pos >= length || !_bw_baked_is_xml_space (text[pos]) ||
      (name_len = name_length (text, length, skip_xml_space (text, length, pos))) == 0)
    {
      set_doctype_malformed (error, text, start, _("the DOCTYPE names no root element"));
      return FALSE;
    }
  pos = skip_xml_space (text, length, skip_xml_space (text, length, pos) + name_len);
  if (!skip_external_id (text, length, &pos, &external, error))
    return FALSE;
  pos = skip_xml_space (text, length, pos);

  if (pos < length && text[pos] == '[')
    {
      for (pos++;; )
        {
          pos = skip_xml_space (text, length, pos);
          if (pos >= length)
            {
              set_doctype_malformed (error, text, start, _("the DOCTYPE is not closed"));
              return FALSE;
            }
          if (text[pos] == ']')
            {
              pos++;
              break;
            }

          if (text[pos] == '%')
            {
              g_autofree char *name = quoted_name (text + pos + 1,
                                                   name_length (text, length, pos + 1));

              g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                           _("SVG refused: its DOCTYPE refers to the parameter entity “%s” "
                             "(line %d)"),
                           name, line_at (text, pos));
              return FALSE;
            }
          else if (has_prefix_at (text, length, pos, "<!--"))
            {
              gsize close = find_str (text, length, pos + 4, "-->");

              if (close == length)
                {
                  set_doctype_malformed (error, text, pos,
                                         _("a comment in the DOCTYPE is not closed"));
                  return FALSE;
                }
              pos = close + 3;
            }
          else if (has_prefix_at (text, length, pos, "<?"))
            {
              gsize close = find_str (text, length, pos + 2, "?>");

              if (close == length)
                {
                  set_doctype_malformed (error, text, pos,
                                         _("a processing instruction in the DOCTYPE is not "
                                           "closed"));
                  return FALSE;
                }
              pos = close + 2;
            }
          else if (has_prefix_at (text, length, pos, "<!ENTITY"))
            {
              gsize decl = pos;

              pos += strlen ("<!ENTITY");
              if (!parse_entity_decl (text, length, decl, &pos, entities, &n_declared, error))
                return FALSE;
            }
          else if (has_prefix_at (text, length, pos, "<!ELEMENT") ||
                   has_prefix_at (text, length, pos, "<!ATTLIST") ||
                   has_prefix_at (text, length, pos, "<!NOTATION"))
            {
              if (!skip_markup_decl (text, length, &pos, error))
                return FALSE;
            }
          else
            {
              set_doctype_malformed (error, text, pos,
                                     _("unexpected text in the internal subset of the DOCTYPE"));
              return FALSE;
            }
        }
      pos = skip_xml_space (text, length, pos);
    }

  if (pos >= length || text[pos] != '>')
    {
      set_doctype_malformed (error, text, MIN (pos, length),
                             _("the DOCTYPE is not closed by “>”"));
      return FALSE;
    }
  *end = pos + 1;
  return TRUE;
}

/* Finds a DOCTYPE in the prolog: after the XML declaration, comments and
 * processing instructions, before the root element. */
static gboolean
find_prolog_doctype (const char *text,
                     gsize       length,
                     gsize      *start)
{
  gsize pos = 0;

  for (;;)
    {
      pos = skip_xml_space (text, length, pos);
      if (has_prefix_at (text, length, pos, "<!DOCTYPE"))
        {
          *start = pos;
          return TRUE;
        }
      if (has_prefix_at (text, length, pos, "<?") || has_prefix_at (text, length, pos, "<!--"))
        pos = skip_passthrough (text, length, pos);
      else
        return FALSE;
    }
}

typedef struct
{
  GMarkupParseContext *context;
  gsize                fed;
} SvgFeed;

static gboolean
svg_feed_bytes (SvgFeed     *feed,
                const char  *data,
                gsize        n,
                GError     **error)
{
  if (n == 0)
    return TRUE;
  if (n > (gsize)BW_BAKED_MAX_SVG - feed->fed)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("SVG is too large once its entities are expanded: the limit is %d bytes"),
                   BW_BAKED_MAX_SVG);
      return FALSE;
    }
  feed->fed += n;
  return g_markup_parse_context_parse (feed->context, data, (gssize)n, error);
}

/* Sends a piece of text of ours (an entity value, the DOCTYPE's stand-in)
 * that takes the place of the file's text up to *@run. GMarkup counts a
 * newline when it steps onto one, never at the start of a piece: the
 * newlines that would start the next piece of the file go with this one,
 * so that GMarkup's line numbers stay those of the file. */
static gboolean
svg_feed_own (SvgFeed     *feed,
              GString     *scratch,
              const char  *data,
              gsize        n,
              const char  *text,
              gsize        length,
              gsize       *run,
              GError     **error)
{
  g_string_truncate (scratch, 0);
  g_string_append_len (scratch, data, (gssize)n);
  while (*run < length && text[*run] == '\n')
    {
      g_string_append_c (scratch, '\n');
      (*run)++;
    }
  return svg_feed_bytes (feed, scratch->str, scratch->len, error);
}

/* The declared entity referred to at @at ('&'), if any. */
static const SvgEntity *
entity_at (const char *text,
           gsize       length,
           gsize       at,
           GHashTable *entities,
           gsize      *ref_length)
{
  char key[SVG_MAX_ENTITY_NAME + 1];
  const SvgEntity *entity;
  gsize n = 0;

  if (at + 1 >= length || !is_name_start ((guchar)text[at + 1]))
    return NULL;
  while (at + 1 + n < length && n <= SVG_MAX_ENTITY_NAME &&
         is_name_char ((guchar)text[at + 1 + n]))
    n++;
  if (n > SVG_MAX_ENTITY_NAME || at + 1 + n >= length || text[at + 1 + n] != ';')
    return NULL;

  memcpy (key, text + at + 1, n);
  key[n] = '\0';
  entity = g_hash_table_lookup (entities, key);
  if (entity != NULL)
    *ref_length = n + 2;
  return entity;
}

/* Hands the text from @from on to GMarkup with the references to
 * @entities replaced. References count in character data and inside
 * attribute values; comments, CDATA sections, processing instructions and
 * the rest of the markup pass as they are, split where GMarkup splits
 * them. */
static gboolean
svg_feed_expanded (SvgFeed     *feed,
                   const char  *text,
                   gsize        length,
                   gsize        from,
                   GHashTable  *entities,
                   GError     **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  gboolean in_tag = FALSE;
  char quote = 0;
  gsize run = from;
  gsize i = from;

  while (i < length)
    {
      const SvgEntity *entity;
      gboolean in_attr = FALSE;
      gsize ref_length = 0;
      char c = text[i];

      if (in_tag)
        {
          if (quote == 0)
            {
              if (c == '"' || c == '\'')
                quote = c;
              else if (c == '>')
                in_tag = FALSE;
              i++;
              continue;
            }
          if (c == quote)
            {
              quote = 0;
              i++;
              continue;
            }
          in_attr = TRUE;
        }
      else if (c == '<')
        {
          if (i + 1 < length && (text[i + 1] == '?' || text[i + 1] == '!'))
            i = skip_passthrough (text, length, i);
          else if (i + 1 < length && text[i + 1] == '/')
            {
              const char *gt = memchr (text + i, '>', length - i);

              i = gt != NULL ? (gsize)(gt - text) + 1 : length;
            }
          else
            {
              in_tag = TRUE;
              i++;
            }
          continue;
        }

      if (c != '&' || (entity = entity_at (text, length, i, entities, &ref_length)) == NULL)
        {
          i++;
          continue;
        }

      if (!svg_feed_bytes (feed, text + run, i - run, error))
        return FALSE;
      run = i + ref_length;
      if (!svg_feed_own (feed, scratch, in_attr ? entity->attr : entity->text,
                         in_attr ? entity->attr_len : entity->text_len, text, length, &run, error))
        return FALSE;
      i = run;
    }

  return svg_feed_bytes (feed, text + run, length - run, error);
}

/* Hands the document to GMarkup, with the prolog's DOCTYPE, if any, read
 * here and shown to GMarkup as a comment of the same size. */
static gboolean
svg_feed (GMarkupParseContext  *context,
          const char           *text,
          gsize                 length,
          gsize                *doctype_start,
          gsize                *doctype_end,
          GError              **error)
{
  g_autoptr(GHashTable) entities = NULL;
  g_autoptr(GString) blank = NULL;
  g_autoptr(GString) scratch = NULL;
  SvgFeed feed = { context, 0 };
  gsize spaces = 0;
  gsize start, end;

  if (!find_prolog_doctype (text, length, &start))
    return svg_feed_bytes (&feed, text, length, error);

  entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, svg_entity_free);
  if (!parse_doctype (text, length, start, entities, &end, error))
    return FALSE;
  *doctype_start = start;
  *doctype_end = end;

  /* The comment keeps every newline of the DOCTYPE, so that GMarkup
   * counts lines as they are in the file. Past "<!DO" there are at least
   * the five letters of "CTYPE" besides newlines: room for "-->". */
  blank = g_string_sized_new (end - start);
  g_string_append (blank, "<!--");
  for (gsize i = start + 4; i < end; i++)
    {
      if (text[i] != '\n')
        spaces++;
    }
  spaces -= 3;
  for (gsize i = start + 4; i < end; i++)
    {
      if (text[i] == '\n')
        g_string_append_c (blank, '\n');
      else if (spaces > 0)
        {
          g_string_append_c (blank, ' ');
          spaces--;
        }
    }
  g_string_append (blank, "-->");

  scratch = g_string_sized_new (blank->len + 8);
  if (!svg_feed_bytes (&feed, text, start, error) ||
      !svg_feed_own (&feed, scratch, blank->str, blank->len, text, length, &end, error))
    return FALSE;
  if (g_hash_table_size (entities) == 0)
    return svg_feed_bytes (&feed, text + end, length - end, error);
  return svg_feed_expanded (&feed, text, length, end, entities, error);
}

typedef struct
{
  GPtrArray *declared;  /* prefixes this element binds, or NULL */
} SvgFrame;

typedef struct
{
  const char *doc;
  gsize       doc_length;
  gsize       doctype_start;  /* the prolog's DOCTYPE, or both 0 */
  gsize       doctype_end;
  GArray     *stack;          /* of SvgFrame */
  GHashTable *bindings;       /* prefix ("" for the default) → GPtrArray of URIs */
  guint       n_elements;
  gboolean    root_checked;

  /* The chosen element of each kind; index 0 is OB 2.0, 1 is OB 3.0. */
  gboolean    found[2];
  guint       ordinal[2];
  char       *verify[2];
  GString    *body[2];
  GArray     *all[2];         /* ordinals of every matching element */
  char       *name[2];        /* the qualified name of the chosen element */
  int         reading;        /* -1, or the kind whose body is being read */
  guint       reading_depth;
  gboolean    baking;         /* only the element positions are needed */
} SvgReader;

static void
svg_frame_clear (gpointer data)
{
  SvgFrame *frame = data;

  g_clear_pointer (&frame->declared, g_ptr_array_unref);
}

/* Each prefix has a stack of the URIs bound to it by the open elements,
 * so that a lookup costs the same however deep the document is. */
static const char *
svg_lookup_ns (SvgReader  *r,
               const char *prefix)
{
  GPtrArray *uris = g_hash_table_lookup (r->bindings, prefix);

  if (uris != NULL && uris->len > 0)
    return g_ptr_array_index (uris, uris->len - 1);

  if (strcmp (prefix, "xml") == 0)
    return "http://www.w3.org/XML/1998/namespace";
  return NULL;
}

static void
split_qname (const char  *qname,
             char       **prefix,
             const char **local)
{
  const char *colon = strchr (qname, ':');

  if (colon == NULL)
    {
      *prefix = g_strdup ("");
      *local = qname;
    }
  else
    {
      *prefix = g_strndup (qname, (gsize)(colon - qname));
      *local = colon + 1;
    }
}

static void
svg_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  SvgReader *r = user_data;
  SvgFrame frame = { NULL };
  g_autofree char *prefix = NULL;
  const char *local;
  const char *uri;
  guint ordinal = r->n_elements++;
  int kind = -1;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      const char *name = attribute_names[i];

      if (strcmp (name, "xmlns") == 0 || g_str_has_prefix (name, "xmlns:"))
        {
          const char *bound = name[5] == ':' ? name + 6 : "";
          GPtrArray *uris = g_hash_table_lookup (r->bindings, bound);

          if (uris == NULL)
            {
              uris = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (r->bindings, g_strdup (bound), uris);
            }
          g_ptr_array_add (uris, g_strdup (attribute_values[i]));
          if (frame.declared == NULL)
            frame.declared = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (frame.declared, g_strdup (bound));
        }
    }
  g_array_append_val (r->stack, frame);

  split_qname (element_name, &prefix, &local);
  uri = svg_lookup_ns (r, prefix);

  if (!r->root_checked)
    {
      int line, column;

      r->root_checked = TRUE;
      if (strcmp (local, "svg") != 0)
        {
          g_markup_parse_context_get_position (context, &line, &column);
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Not an SVG document: the root element is <%s> (line %d)"),
                       element_name, line);
          return;
        }
    }

  /* An undeclared prefix leaves the element in no namespace: it cannot
   * be an Open Badges element, and the rest of the image is not ours to
   * police. */
  if (uri != NULL && strcmp (uri, NS_OB2) == 0 && strcmp (local, "assertion") == 0)
    kind = 0;
  else if (uri != NULL && strcmp (uri, NS_OB3) == 0 && strcmp (local, "credential") == 0)
    kind = 1;

  if (kind < 0)
    {
      if (r->reading >= 0)
        r->reading_depth++;
      return;
    }

  /* Later elements of a kind, and any inside the one being read, are
   * only recorded: they get a warning once their lines are known. */
  g_array_append_val (r->all[kind], ordinal);
  if (r->found[kind] || r->reading >= 0)
    {
      if (r->reading >= 0)
        r->reading_depth++;
      return;
    }

  r->found[kind] = TRUE;
  r->ordinal[kind] = ordinal;
  r->name[kind] = g_strdup (element_name);
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      g_autofree char *aprefix = NULL;
      const char *alocal;

      split_qname (attribute_names[i], &aprefix, &alocal);
      if (strcmp (alocal, "verify") != 0)
        continue;
      if (aprefix[0] != '\0' && g_strcmp0 (svg_lookup_ns (r, aprefix), uri) != 0)
        continue;
      g_free (r->verify[kind]);
      r->verify[kind] = g_strdup (attribute_values[i]);
    }
  r->body[kind] = g_string_new (NULL);
  r->reading = kind;
  r->reading_depth = 0;
}

static void
svg_end_element (GMarkupParseContext  *context,
                 const char           *element_name,
                 gpointer              user_data,
                 GError              **error)
{
  SvgReader *r = user_data;
  SvgFrame *frame = &g_array_index (r->stack, SvgFrame, r->stack->len - 1);

  if (r->reading >= 0)
    {
      if (r->reading_depth == 0)
        r->reading = -1;
      else
        r->reading_depth--;
    }

  for (guint i = 0; frame->declared != NULL && i < frame->declared->len; i++)
    {
      GPtrArray *uris = g_hash_table_lookup (r->bindings, g_ptr_array_index (frame->declared, i));

      g_ptr_array_remove_index (uris, uris->len - 1);
    }
  g_array_set_size (r->stack, r->stack->len - 1);
}

static void
svg_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  SvgReader *r = user_data;
  GString *body;

  if (r->reading < 0 || r->baking)
    return;

  body = r->body[r->reading];
  if (body->len + text_len > BW_BAKED_MAX_PAYLOAD + (gsize)CHUNK_OVERHEAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload of the <%s> element is too large: the limit is %d bytes"),
                   r->name[r->reading], BW_BAKED_MAX_PAYLOAD);
      return;
    }
  g_string_append_len (body, text, (gssize)text_len);
}

static void
svg_passthrough (GMarkupParseContext  *context,
                 const char           *text,
                 gsize                 text_len,
                 gpointer              user_data,
                 GError              **error)
{
  /* The prolog's DOCTYPE reaches GMarkup as a comment; any other one is
   * out of place, and one declaring entities is refused. An external DTD
   * alone is harmless, since nothing ever loads it. */
  if (text_len >= 9 && g_ascii_strncasecmp (text, "<!DOCTYPE", 9) == 0 &&
      (memchr (text, '[', text_len) != NULL ||
       g_strstr_len (text, (gssize)text_len, "<!ENTITY") != NULL))
    {
      SvgReader *r = user_data;
      gsize at = find_str (r->doc, r->doc_length, r->doctype_end, "<!DOCTYPE");

      g_set_error (error, BW_ERROR, BW_ERROR_POLICY,
                   _("SVG refused: its DOCTYPE declares entities or an internal DTD subset "
                     "(line %d)"),
                   line_at (r->doc, at));
    }
}

static const GMarkupParser svg_parser = {
  svg_start_element,
  svg_end_element,
  svg_text,
  svg_passthrough,
  NULL,
};

static void
svg_reader_init (SvgReader *r)
{
  memset (r, 0, sizeof *r);
  r->stack = g_array_new (FALSE, FALSE, sizeof (SvgFrame));
  g_array_set_clear_func (r->stack, svg_frame_clear);
  r->bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_ptr_array_unref);
  r->all[0] = g_array_new (FALSE, FALSE, sizeof (guint));
  r->all[1] = g_array_new (FALSE, FALSE, sizeof (guint));
  r->reading = -1;
}

static void
svg_reader_clear (SvgReader *r)
{
  g_clear_pointer (&r->stack, g_array_unref);
  g_clear_pointer (&r->bindings, g_hash_table_unref);
  for (guint k = 0; k < 2; k++)
    {
      g_clear_pointer (&r->verify[k], g_free);
      if (r->body[k] != NULL)
        g_string_free (r->body[k], TRUE);
      r->body[k] = NULL;
      g_clear_pointer (&r->all[k], g_array_unref);
      g_clear_pointer (&r->name[k], g_free);
    }
}

/* Parses the SVG and fills @r; the errors are the user-facing ones. */
static gboolean
svg_parse (const char  *text,
           gsize        length,
           SvgReader   *r,
           GError     **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;

  if (length > BW_BAKED_MAX_SVG)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("SVG is too large: %llu bytes, the limit is %d"),
                   (unsigned long long)length, BW_BAKED_MAX_SVG);
      return FALSE;
    }

  r->doc = text;
  r->doc_length = length;
  if (!g_utf8_validate_len (text, length, &bad))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("SVG is not valid UTF-8 text (at byte %llu)"),
                   (unsigned long long)(bad - text));
      return FALSE;
    }

  context = g_markup_parse_context_new (&svg_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, r, NULL);
  if (!svg_feed (context, text, length, &r->doctype_start, &r->doctype_end, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      int line, column;

      if (local_error->domain == BW_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_markup_parse_context_get_position (context, &line, &column);
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("SVG is not well-formed (line %d, column %d): %s"),
                   line, column, local_error->message);
      return FALSE;
    }

  if (!r->root_checked)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("Not an SVG document: there is no root element"));
      return FALSE;
    }

  return TRUE;
}

/* A body counts as JSON when it parses; a body nested too deeply for the
 * parsers is still handed on as JSON so that they can say why. */
static gboolean
text_is_json (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize length = strlen (text);

  if (text[0] != '{')
    return FALSE;
  if (!bw_json_check_depth (text, length, BW_MAX_JSON_DEPTH, NULL))
    return TRUE;

  parser = json_parser_new_immutable ();
  return json_parser_load_from_data (parser, text, (gssize)length, NULL);
}

/**
 * bw_baked_read_svg_bytes:
 * @svg: the SVG document
 * @error: return location for an error
 *
 * Reads the Open Badges payload of an SVG: the first `assertion` element in
 * the namespace `http://openbadges.org` or the first `credential` element
 * in `https://purl.imsglobal.org/ob/v3p0`, whatever their prefixes. The
 * OB 3.0 element wins when both are present.
 *
 * The DOCTYPE may declare internal entities whose values are plain text,
 * as Adobe Illustrator does; external and parameter entities are refused
 * and no DTD is ever loaded.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_svg_bytes (GBytes  *svg,
                         GError **error)
{
  SvgReader r;
  const char *text;
  gsize length;
  BwPayload *payload = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *body = NULL;
  const char *element;
  const char *base;
  int line[2];
  int kind;

  g_return_val_if_fail (svg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (svg, &length);
  if (text == NULL)
    text = "";
  base = text;

  /* A UTF-8 byte order mark is allowed before the XML declaration. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  svg_reader_init (&r);
  if (!svg_parse (text, length, &r, error))
    goto out;

  if (r.found[1])
    kind = 1;
  else if (r.found[0])
    kind = 0;
  else
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE, _("no Open Badges data in this SVG"));
      goto out;
    }

  /* Locate the chosen element and the first few ignored ones (a hostile
   * file may hold thousands: they are counted, not listed). */
  spans = svg_spans_new ();
  for (guint k = 0; k < 2; k++)
    {
      for (guint i = 0; i < MIN (r.all[k]->len, SVG_MAX_LISTED + 1); i++)
        svg_spans_want (spans, g_array_index (r.all[k], guint, i));
    }
  svg_scan_spans (text, length, r.doctype_start, r.doctype_end, spans);
  for (guint k = 0; k < 2; k++)
    {
      const SvgSpan *span = r.found[k] ? svg_spans_get (spans, r.ordinal[k]) : NULL;

      line[k] = span != NULL ? line_at (text, span->start) : 0;
    }

  element = kind == 1 ? "credential" : "assertion";
  if (r.verify[kind] != NULL)
    verify = _bw_baked_trimmed_dup (r.verify[kind], strlen (r.verify[kind]));
  body = _bw_baked_trimmed_dup (r.body[kind]->str, r.body[kind]->len);
  if (verify != NULL && verify[0] == '\0')
    g_clear_pointer (&verify, g_free);

  if (kind == 1)
    {
      /* OB 3.0: a verify attribute is the VC-JWT; otherwise the body. */
      if (verify != NULL)
        {
          payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_CREDENTIAL,
                                           verify, strlen (verify), TRUE);
          if (body[0] != '\0')
            _bw_payload_warn (payload,
                              _("The <credential> element at line %d has both a verify attribute "
                                "and a body; the verify attribute is used"),
                              line[kind]);
        }
      else if (body[0] != '\0')
        payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_CREDENTIAL,
                                         body, strlen (body), TRUE);
    }
  else
    {
      BwPayloadKind verify_kind = verify != NULL ? bw_payload_classify (verify)
                                                 : BW_PAYLOAD_KIND_UNKNOWN;

      /* OB 2.0: a JWS in verify wins; else a JSON body, with verify as
       * the hosted URL; else verify itself; else whatever the body is. */
      if (verify_kind == BW_PAYLOAD_KIND_JWS || verify_kind == BW_PAYLOAD_KIND_VC_JWT)
        payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, verify, strlen (verify),
                                         FALSE);
      else if (body[0] != '\0' && text_is_json (body))
        {
          payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, body, strlen (body),
                                           FALSE);
          payload->svg_verify = g_steal_pointer (&verify);
        }
      else if (verify != NULL)
        {
          payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, verify, strlen (verify),
                                           FALSE);
          if (body[0] != '\0')
            _bw_payload_warn (payload,
                              _("The body of the <assertion> element at line %d is not JSON; "
                                "its verify attribute is used instead"),
                              line[kind]);
        }
      else if (body[0] != '\0')
        payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, body, strlen (body),
                                         FALSE);
    }

  if (payload == NULL)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                   _("The <%s> element at line %d holds no payload"), element, line[kind]);
      goto out;
    }

  if (strlen (payload->text) > BW_BAKED_MAX_PAYLOAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload of the <%s> element at line %d is too large: "
                     "%llu bytes, the limit is %d"),
                   element, line[kind], (unsigned long long)strlen (payload->text),
                   BW_BAKED_MAX_PAYLOAD);
      g_clear_pointer (&payload, bw_payload_free);
      goto out;
    }

  {
    const SvgSpan *span = svg_spans_get (spans, r.ordinal[kind]);

    if (span != NULL)
      payload->offset = (gint64)(span->start + (gsize)(text - base));
  }

  if (kind == 1 && r.found[0])
    _bw_payload_warn (payload,
                      _("This SVG also holds an OB 2.0 <assertion> element at line %d; "
                        "the OB 3.0 <credential> is used"),
                      line[0]);
  for (guint k = 0; k < 2; k++)
    {
      guint listed = 0;

      for (guint i = 0; i < r.all[k]->len; i++)
        {
          guint ordinal = g_array_index (r.all[k], guint, i);
          const SvgSpan *span;

          if (r.found[k] && ordinal == r.ordinal[k])
            continue;
          if (++listed > SVG_MAX_LISTED)
            {
              _bw_payload_warn (payload, _("%u more <%s> elements were ignored"),
                                r.all[k]->len - i, k == 1 ? "credential" : "assertion");
              break;
            }
          span = svg_spans_get (spans, ordinal);
          _bw_payload_warn (payload,
                            _("Another <%s> element at line %d was ignored: "
                              "only the first one counts"),
                            k == 1 ? "credential" : "assertion",
                            span != NULL ? line_at (text, span->start) : 0);
        }
    }

out:
  svg_reader_clear (&r);
  return payload;
}

static void
append_attr_escaped (GString    *s,
                     const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (s, "&amp;");
          break;
        case '<':
          g_string_append (s, "&lt;");
          break;
        case '>':
          g_string_append (s, "&gt;");
          break;
        case '"':
          g_string_append (s, "&quot;");
          break;
        case '\n':
          g_string_append (s, "&#10;");
          break;
        case '\r':
          g_string_append (s, "&#13;");
          break;
        case '\t':
          g_string_append (s, "&#9;");
          break;
        default:
          g_string_append_c (s, *p);
          break;
        }
    }
}

/* A CDATA section cannot hold "]]>": close the section between "]]" and
 * ">" and open a new one, which XML reads back as the same text. */
static void
append_cdata (GString    *s,
              const char *body)
{
  const char *p = body;
  const char *hit;

  g_string_append (s, "<![CDATA[");
  while ((hit = strstr (p, "]]>")) != NULL)
    {
      g_string_append_len (s, p, hit + 2 - p);
      g_string_append (s, "]]><![CDATA[");
      p = hit + 2;
    }
  g_string_append (s, p);
  g_string_append (s, "]]>");
}

/**
 * bw_baked_bake_svg:
 * @svg: an SVG document
 * @ob3: %TRUE for an OB 3.0 `credential`, %FALSE for an OB 2.0 `assertion`
 * @verify: (nullable): the `verify` attribute (a JWS or the hosted URL)
 * @body: (nullable): the element body (JSON), written as CDATA
 * @error: return location for an error
 *
 * Bakes an Open Badges element as the first child of the root `<svg>`,
 * declaring its namespace on the element itself, after removing every
 * element of the same kind. All other bytes are kept as they are.
 *
 * Returns: (transfer full): the baked SVG, or %NULL with @error set
 */
GBytes *
bw_baked_bake_svg (GBytes      *svg,
                   gboolean     ob3,
                   const char  *verify,
                   const char  *body,
                   GError     **error)
{
  SvgReader r;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GString) element = NULL;
  g_autoptr(GString) out = NULL;
  const char *text;
  gsize length;
  int kind = ob3 ? 1 : 0;
  const char *name = ob3 ? "credential" : "assertion";
  SvgSpan *root;
  gsize pos;
  gsize bom = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (svg != NULL, NULL);
  g_return_val_if_fail (verify != NULL || body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((verify != NULL && !g_utf8_validate (verify, -1, NULL)) ||
      (body != NULL && !g_utf8_validate (body, -1, NULL)))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED, _("Payload is not valid UTF-8"));
      return NULL;
    }
  if ((verify != NULL && strlen (verify) > BW_BAKED_MAX_PAYLOAD) ||
      (body != NULL && strlen (body) > BW_BAKED_MAX_PAYLOAD))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload is too large: the limit is %d bytes"), BW_BAKED_MAX_PAYLOAD);
      return NULL;
    }

  text = g_bytes_get_data (svg, &length);
  if (text == NULL)
    text = "";
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      bom = 3;
      text += 3;
      length -= 3;
    }

  svg_reader_init (&r);
  r.baking = TRUE;
  if (!svg_parse (text, length, &r, error))
    goto out;

  spans = svg_spans_new ();
  svg_spans_want (spans, 0);
  for (guint i = 0; i < r.all[kind]->len; i++)
    svg_spans_want (spans, g_array_index (r.all[kind], guint, i));
  svg_scan_spans (text, length, r.doctype_start, r.doctype_end, spans);

  element = g_string_new ("<openbadges:");
  g_string_append_printf (element, "%s xmlns:openbadges=\"%s\"", name, ob3 ? NS_OB3 : NS_OB2);
  if (verify != NULL)
    {
      g_string_append (element, " verify=\"");
      append_attr_escaped (element, verify);
      g_string_append_c (element, '"');
    }
  if (body != NULL)
    {
      g_string_append_c (element, '>');
      append_cdata (element, body);
      g_string_append_printf (element, "</openbadges:%s>", name);
    }
  else
    g_string_append (element, "/>");

  root = (SvgSpan *)svg_spans_get (spans, 0);
  out = g_string_sized_new (bom + length + element->len);
  g_string_append_len (out, "\xef\xbb\xbf", (gssize)bom);

  if (root->empty)
    {
      /* <svg .../> becomes <svg ...>ELEMENT</svg>. */
      gsize slash = root->tag_end - 2;
      g_autofree char *qname = NULL;
      gsize name_end = root->start + 1;

      while (name_end < root->tag_end && !_bw_baked_is_xml_space (text[name_end]) &&
             text[name_end] != '/' && text[name_end] != '>')
        name_end++;
      qname = g_strndup (text + root->start + 1, name_end - root->start - 1);

      g_string_append_len (out, text, (gssize)slash);
      g_string_append_c (out, '>');
      g_string_append_len (out, element->str, (gssize)element->len);
      g_string_append_printf (out, "</%s>", qname);
      g_string_append_len (out, text + root->tag_end, (gssize)(length - root->tag_end));
      ok = TRUE;
      goto out;
    }

  g_string_append_len (out, text, (gssize)root->tag_end);
  g_string_append_len (out, element->str, (gssize)element->len);
  pos = root->tag_end;

  /* Copy the rest, leaving out every element of the same kind. */
  for (guint i = 0; i < r.all[kind]->len; i++)
    {
      guint ordinal = g_array_index (r.all[kind], guint, i);
      const SvgSpan *span = svg_spans_get (spans, ordinal);

      if (span == NULL || span->start < pos)
        continue;
      g_string_append_len (out, text + pos, (gssize)(span->start - pos));
      pos = span->end;
    }
  g_string_append_len (out, text + pos, (gssize)(length - pos));
  ok = TRUE;

out:
  svg_reader_clear (&r);
  if (!ok)
    return NULL;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}
