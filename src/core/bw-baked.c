/* bw-baked.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-baked"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

#include "bw-baked.h"
#include "bw-error.h"
#include "bw-util.h"

#define KEYWORD_OB2 "openbadges"
#define KEYWORD_OB3 "openbadgecredential"

#define NS_OB2 "http://openbadges.org"
#define NS_OB3 "https://purl.imsglobal.org/ob/v3p0"

/* Room for the iTXt header (keyword, flags, language tag and translated
 * keyword) on top of the payload limit, so that a chunk holding a payload
 * of exactly the limit is still read. */
#define CHUNK_OVERHEAD 4096

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

G_DEFINE_BOXED_TYPE (BwPayload, bw_payload, bw_payload_copy, bw_payload_free)

/* Payload objects */

static BwImageFormat
format_for_source (BwPayloadSource source)
{
  switch (source)
    {
    case BW_PAYLOAD_SOURCE_ITXT:
    case BW_PAYLOAD_SOURCE_TEXT:
      return BW_IMAGE_FORMAT_PNG;
    case BW_PAYLOAD_SOURCE_SVG_ASSERTION:
    case BW_PAYLOAD_SOURCE_SVG_CREDENTIAL:
      return BW_IMAGE_FORMAT_SVG;
    case BW_PAYLOAD_SOURCE_NONE:
    case BW_PAYLOAD_SOURCE_FILE:
    case BW_PAYLOAD_SOURCE_URL:
    default:
      return BW_IMAGE_FORMAT_NONE;
    }
}

/**
 * bw_payload_new:
 * @kind: what @text is
 * @source: where it came from
 * @text: (nullable): the payload text
 *
 * Returns: (transfer full): a new payload with no warnings and offset -1
 */
BwPayload *
bw_payload_new (BwPayloadKind    kind,
                BwPayloadSource  source,
                const char      *text)
{
  BwPayload *payload = g_new0 (BwPayload, 1);

  payload->kind = kind;
  payload->source = source;
  payload->format = format_for_source (source);
  payload->text = g_strdup (text);
  payload->offset = -1;
  payload->warnings = g_ptr_array_new_with_free_func (g_free);

  return payload;
}

/**
 * bw_payload_copy:
 * @payload: a payload
 *
 * Returns: (transfer full): a deep copy of @payload
 */
BwPayload *
bw_payload_copy (const BwPayload *payload)
{
  BwPayload *copy;

  g_return_val_if_fail (payload != NULL, NULL);

  copy = bw_payload_new (payload->kind, payload->source, payload->text);
  copy->format = payload->format;
  copy->keyword = g_strdup (payload->keyword);
  copy->svg_verify = g_strdup (payload->svg_verify);
  copy->ob3 = payload->ob3;
  copy->offset = payload->offset;
  if (payload->warnings != NULL)
    {
      for (guint i = 0; i < payload->warnings->len; i++)
        g_ptr_array_add (copy->warnings, g_strdup (g_ptr_array_index (payload->warnings, i)));
    }

  return copy;
}

/**
 * bw_payload_free:
 * @payload: (nullable): a payload
 */
void
bw_payload_free (BwPayload *payload)
{
  if (payload == NULL)
    return;

  g_free (payload->keyword);
  g_free (payload->text);
  g_free (payload->svg_verify);
  g_clear_pointer (&payload->warnings, g_ptr_array_unref);
  g_free (payload);
}

static void
payload_warn (BwPayload  *payload,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
payload_warn (BwPayload  *payload,
              const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (payload->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/**
 * bw_payload_kind_to_string:
 * @kind: a payload kind
 *
 * Returns: the name the CLI prints for @kind (`url`, `json`, `jws`, `vc-jwt`)
 */
const char *
bw_payload_kind_to_string (BwPayloadKind kind)
{
  switch (kind)
    {
    case BW_PAYLOAD_KIND_URL:
      return "url";
    case BW_PAYLOAD_KIND_JSON:
      return "json";
    case BW_PAYLOAD_KIND_JWS:
      return "jws";
    case BW_PAYLOAD_KIND_VC_JWT:
      return "vc-jwt";
    case BW_PAYLOAD_KIND_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * bw_payload_source_to_string:
 * @source: a payload source
 *
 * Returns: the name the CLI prints for @source (`iTXt`, `tEXt`,
 *   `svg:assertion`, `svg:credential`, `file`, `url`, `none`)
 */
const char *
bw_payload_source_to_string (BwPayloadSource source)
{
  switch (source)
    {
    case BW_PAYLOAD_SOURCE_ITXT:
      return "iTXt";
    case BW_PAYLOAD_SOURCE_TEXT:
      return "tEXt";
    case BW_PAYLOAD_SOURCE_SVG_ASSERTION:
      return "svg:assertion";
    case BW_PAYLOAD_SOURCE_SVG_CREDENTIAL:
      return "svg:credential";
    case BW_PAYLOAD_SOURCE_FILE:
      return "file";
    case BW_PAYLOAD_SOURCE_URL:
      return "url";
    case BW_PAYLOAD_SOURCE_NONE:
    default:
      return "none";
    }
}

/* Classification */

static gboolean
is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void
trim_range (const char **text,
            gsize       *length)
{
  const char *p = *text;
  gsize n = *length;

  while (n > 0 && is_xml_space (p[0]))
    {
      p++;
      n--;
    }
  while (n > 0 && is_xml_space (p[n - 1]))
    n--;

  *text = p;
  *length = n;
}

static char *
trimmed_dup (const char *text,
             gsize       length)
{
  trim_range (&text, &length);
  return g_strndup (text, length);
}

static gboolean
is_b64url_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* The shape of a compact JWS: three base64url segments, the middle one
 * possibly empty (detached payload). */
static gboolean
has_jws_shape (const char  *text,
               gsize        length,
               const char **payload,
               gsize       *payload_length)
{
  gsize seg_start[3] = { 0, 0, 0 };
  gsize seg_len[3] = { 0, 0, 0 };
  guint seg = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '.')
        {
          if (++seg > 2)
            return FALSE;
          seg_start[seg] = i + 1;
        }
      else if (is_b64url_char (text[i]))
        seg_len[seg]++;
      else
        return FALSE;
    }

  if (seg != 2 || seg_len[0] == 0 || seg_len[2] == 0)
    return FALSE;

  *payload = text + seg_start[1];
  *payload_length = seg_len[1];
  return TRUE;
}

/* Tells whether a JSON text is a Verifiable Credential (or a JWT claim
 * set carrying one in `vc`) by looking only at its top-level members.
 * It is a linear scan with no recursion, so hostile nesting costs
 * nothing; it does not validate the JSON, the parsers do that later. */
static gboolean
json_looks_like_vc (const char *json,
                    gsize       length)
{
  static const char * const markers[] = {
    "\"VerifiableCredential\"",
    "\"OpenBadgeCredential\"",
    "\"AchievementCredential\"",
    "\"https://www.w3.org/2018/credentials/v1\"",
    "\"https://www.w3.org/ns/credentials/v2\"",
  };
  gsize depth = 0;
  gboolean in_string = FALSE;
  gsize string_start = 0;
  gboolean in_marked_member = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = json[i];

      if (in_string)
        {
          if (c == '\\')
            {
              i++;
              continue;
            }
          if (c != '"')
            continue;

          in_string = FALSE;
          if (depth == 1)
            {
              gsize j = i + 1;
              gsize slen = i + 1 - string_start;
              const char *s = json + string_start;

              while (j < length && is_xml_space (json[j]))
                j++;
              if (j < length && json[j] == ':')
                {
                  if (slen == 4 && memcmp (s, "\"vc\"", 4) == 0)
                    return TRUE;
                  in_marked_member = (slen == 6 && memcmp (s, "\"type\"", 6) == 0) ||
                                     (slen == 10 && memcmp (s, "\"@context\"", 10) == 0);
                  continue;
                }
            }
          if (in_marked_member)
            {
              gsize slen = i + 1 - string_start;

              for (gsize m = 0; m < G_N_ELEMENTS (markers); m++)
                {
                  if (strlen (markers[m]) == slen &&
                      memcmp (json + string_start, markers[m], slen) == 0)
                    return TRUE;
                }
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          string_start = i;
          break;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          if (depth == 0)
            return FALSE;
          break;
        case ',':
          if (depth == 1)
            in_marked_member = FALSE;
          break;
        default:
          break;
        }
    }

  return FALSE;
}

static gboolean
looks_like_http_url (const char *text,
                     gsize       length)
{
  g_autofree char *copy = NULL;

  if (!(length > 7 && g_ascii_strncasecmp (text, "http://", 7) == 0) &&
      !(length > 8 && g_ascii_strncasecmp (text, "https://", 8) == 0))
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if ((guchar)text[i] <= ' ' || text[i] == 0x7f)
        return FALSE;
    }

  copy = g_strndup (text, length);
  return g_uri_is_valid (copy, G_URI_FLAGS_NONE, NULL);
}

static BwPayloadKind
classify_range (const char *text,
                gsize       length)
{
  const char *jws_payload = NULL;
  gsize jws_payload_length = 0;

  trim_range (&text, &length);
  if (length == 0)
    return BW_PAYLOAD_KIND_UNKNOWN;

  if (text[0] == '{')
    return BW_PAYLOAD_KIND_JSON;

  if (looks_like_http_url (text, length))
    return BW_PAYLOAD_KIND_URL;

  if (has_jws_shape (text, length, &jws_payload, &jws_payload_length))
    {
      g_autoptr(GBytes) claims = NULL;

      if (jws_payload_length > 0)
        claims = bw_base64url_decode (jws_payload, jws_payload_length, NULL);
      if (claims != NULL)
        {
          gsize claims_length;
          const char *claims_text = g_bytes_get_data (claims, &claims_length);

          if (json_looks_like_vc (claims_text, claims_length))
            return BW_PAYLOAD_KIND_VC_JWT;
        }
      return BW_PAYLOAD_KIND_JWS;
    }

  return BW_PAYLOAD_KIND_UNKNOWN;
}

/**
 * bw_payload_classify:
 * @text: a payload, possibly with surrounding whitespace
 *
 * Tells a URL, JSON text, an OB 2.0 compact JWS and an OB 3.0 VC-JWT
 * apart. A JWS is a VC-JWT when its claims carry a `vc` member or the
 * Verifiable Credentials context or type at the top level.
 *
 * Returns: the kind of @text, %BW_PAYLOAD_KIND_UNKNOWN when it is none
 */
BwPayloadKind
bw_payload_classify (const char *text)
{
  g_return_val_if_fail (text != NULL, BW_PAYLOAD_KIND_UNKNOWN);

  return classify_range (text, strlen (text));
}

/* Builds the payload of a container; an OB 3.0 container turns a JWS
 * into a VC-JWT whatever its claims say. */
static BwPayload *
payload_from_text (BwPayloadSource  source,
                   const char      *text,
                   gsize            length,
                   gboolean         ob3)
{
  BwPayload *payload;
  g_autofree char *trimmed = trimmed_dup (text, length);
  BwPayloadKind kind = classify_range (trimmed, strlen (trimmed));

  if (ob3 && kind == BW_PAYLOAD_KIND_JWS)
    kind = BW_PAYLOAD_KIND_VC_JWT;

  payload = bw_payload_new (kind, source, NULL);
  payload->text = g_steal_pointer (&trimmed);
  payload->ob3 = ob3;
  return payload;
}

/* PNG reading
 *
 * CRC rule: the CRC of a chunk is checked only when its data is read,
 * that is for the Open Badges text chunks that may become the payload.
 * Every other chunk (IDAT above all) is skipped with a seek and never
 * read, so its CRC cannot be checked here; a damaged image chunk is the
 * renderer's concern and does not change what the badge says. A bad
 * CRC on an Open Badges chunk that is superseded by a better one (an
 * iTXt after a tEXt, say) becomes a warning, since nothing relies on it;
 * a chunk that loses to an earlier one (a duplicate) is not read at all.
 * A bad CRC on the chunk that is used rejects the file. */

typedef struct
{
  int           fd;         /* -1 when reading from memory */
  const guint8 *data;
  guint64       size;       /* G_MAXUINT64 when unknown (a pipe) */
  guint64       pos;
  guint64       bytes_read;
  gboolean      seekable;
} PngSource;

/* Reads up to @n bytes; returns how many were read, fewer at the end of
 * the input, or -1 with @error set. */
static gssize
source_read (PngSource  *src,
             guint8     *buf,
             gsize       n,
             GError    **error)
{
  gsize got = 0;

  if (src->fd < 0)
    {
      guint64 avail = src->pos < src->size ? src->size - src->pos : 0;

      got = MIN ((guint64)n, avail);
      if (got > 0)
        memcpy (buf, src->data + src->pos, got);
    }
  else
    {
      while (got < n)
        {
          gssize r;

          if (src->seekable)
            r = pread (src->fd, buf + got, n - got, (off_t)(src->pos + got));
          else
            r = read (src->fd, buf + got, n - got);

          if (r < 0)
            {
              int saved_errno = errno;

              if (saved_errno == EINTR)
                continue;
              g_set_error (error, BW_ERROR, BW_ERROR_IO,
                           _("Could not read the PNG at byte %llu: %s"),
                           (unsigned long long)(src->pos + got), g_strerror (saved_errno));
              return -1;
            }
          if (r == 0)
            break;
          got += (gsize)r;
        }
    }

  src->pos += got;
  src->bytes_read += got;
  return (gssize)got;
}

/* Moves past @n bytes without reading them when the input allows it;
 * returns FALSE without an error when the input ends first. */
static gboolean
source_skip (PngSource  *src,
             guint64     n,
             gboolean   *ended,
             GError    **error)
{
  *ended = FALSE;

  if (src->size != G_MAXUINT64)
    {
      if (n > src->size - MIN (src->pos, src->size))
        {
          *ended = TRUE;
          return FALSE;
        }
      src->pos += n;
      return TRUE;
    }

  /* A pipe cannot seek: read and drop, through a small buffer. */
  while (n > 0)
    {
      guint8 buf[16384];
      gssize r = source_read (src, buf, (gsize)MIN (n, sizeof buf), error);

      if (r < 0)
        return FALSE;
      if (r == 0)
        {
          *ended = TRUE;
          return FALSE;
        }
      n -= (guint64)r;
    }

  return TRUE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | (guint32)p[3];
}

static void
write_be32 (guint8  *p,
            guint32  v)
{
  p[0] = (guint8)(v >> 24);
  p[1] = (guint8)(v >> 16);
  p[2] = (guint8)(v >> 8);
  p[3] = (guint8)v;
}

static gboolean
is_chunk_type (const guint8 *type)
{
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isalpha (type[i]))
        return FALSE;
    }
  return TRUE;
}

static guint32
chunk_crc (const guint8 *type,
           const guint8 *data,
           gsize         length)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  crc = crc32 (crc, type, 4);
  while (length > 0)
    {
      uInt n = (uInt)MIN (length, (gsize)G_MAXUINT32);

      crc = crc32 (crc, data, n);
      data += n;
      length -= n;
    }
  return (guint32)crc;
}

/* Rank of an Open Badges chunk: lower is better. The OB 3.0 keyword wins
 * over the OB 2.0 one, then iTXt over the legacy tEXt. */
static int
candidate_rank (gboolean ob3,
                gboolean itxt)
{
  return (ob3 ? 0 : 2) + (itxt ? 0 : 1);
}

typedef struct
{
  gboolean  found;
  int       rank;
  gboolean  ob3;
  gboolean  itxt;
  guint64   offset;
  guint8   *data;      /* the whole chunk data */
  gsize     length;
  GError   *crc_error; /* the chunk failed its CRC */
} PngCandidate;

static void
candidate_clear (PngCandidate *c)
{
  g_clear_pointer (&c->data, g_free);
  g_clear_error (&c->crc_error);
  c->found = FALSE;
}

static gboolean
inflate_bounded (const guint8  *in,
                 gsize          in_length,
                 guint64        chunk_offset,
                 GByteArray   **out_array,
                 GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  z_stream zs;
  int zr;
  gboolean ok = FALSE;

  memset (&zs, 0, sizeof zs);
  if (inflateInit (&zs) != Z_OK)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_FAILED,
                   _("Could not start zlib to inflate the iTXt chunk at byte %llu"),
                   (unsigned long long)chunk_offset);
      return FALSE;
    }

  zs.next_in = (Bytef *)in;
  zs.avail_in = (uInt)in_length;

  for (;;)
    {
      guint8 buf[16384];

      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      zr = inflate (&zs, Z_NO_FLUSH);
      if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Compressed iTXt text at byte %llu is not valid zlib data"),
                       (unsigned long long)chunk_offset);
          goto out;
        }
      g_byte_array_append (out, buf, (guint)(sizeof buf - zs.avail_out));
      if (out->len > BW_BAKED_MAX_PAYLOAD)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("Compressed iTXt text at byte %llu inflates to more than %d bytes "
                         "(a deflate bomb?)"),
                       (unsigned long long)chunk_offset, BW_BAKED_MAX_PAYLOAD);
          goto out;
        }
      if (zr == Z_STREAM_END)
        break;
      if (zr == Z_BUF_ERROR || (zs.avail_in == 0 && zs.avail_out != 0))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("Compressed iTXt text at byte %llu ends before its zlib stream does"),
                       (unsigned long long)chunk_offset);
          goto out;
        }
    }

  *out_array = g_steal_pointer (&out);
  ok = TRUE;

out:
  inflateEnd (&zs);
  return ok;
}

/* Turns the data of the chosen chunk into a payload. */
static BwPayload *
payload_from_chunk (PngCandidate  *c,
                    GError       **error)
{
  const char *type_name = c->itxt ? "iTXt" : "tEXt";
  const guint8 *data = c->data;
  gsize length = c->length;
  const guint8 *nul;
  gsize key_len;
  const guint8 *text;
  gsize text_len;
  g_autoptr(GByteArray) inflated = NULL;
  g_autofree char *converted = NULL;
  gboolean compressed = FALSE;
  BwPayload *payload;

  nul = memchr (data, 0, length);
  g_assert (nul != NULL);
  key_len = (gsize)(nul - data);
  text = nul + 1;
  text_len = length - key_len - 1;

  if (c->itxt)
    {
      const guint8 *lang_end;
      const guint8 *tkw_end;
      guint8 flag;
      guint8 method;

      if (text_len < 2)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("iTXt chunk at byte %llu ends inside its compression fields"),
                       (unsigned long long)c->offset);
          return NULL;
        }
      flag = text[0];
      method = text[1];
      text += 2;
      text_len -= 2;

      if (flag > 1 || (flag == 1 && method != 0))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_UNSUPPORTED,
                       _("iTXt chunk at byte %llu uses an unknown compression "
                         "(flag %u, method %u)"),
                       (unsigned long long)c->offset, flag, method);
          return NULL;
        }

      /* The language tag and the translated keyword carry no meaning for
       * Open Badges, but they need not be empty: split on both NULs. */
      lang_end = memchr (text, 0, text_len);
      if (lang_end == NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("iTXt chunk at byte %llu has no end to its language tag"),
                       (unsigned long long)c->offset);
          return NULL;
        }
      text_len -= (gsize)(lang_end + 1 - text);
      text = lang_end + 1;
      tkw_end = memchr (text, 0, text_len);
      if (tkw_end == NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("iTXt chunk at byte %llu has no end to its translated keyword"),
                       (unsigned long long)c->offset);
          return NULL;
        }
      text_len -= (gsize)(tkw_end + 1 - text);
      text = tkw_end + 1;

      if (flag == 1)
        {
          if (!inflate_bounded (text, text_len, c->offset, &inflated, error))
            return NULL;
          text = inflated->data;
          text_len = inflated->len;
          compressed = TRUE;
        }

      if (!g_utf8_validate_len ((const char *)text, text_len, NULL))
        {
          const char *end = NULL;

          g_utf8_validate_len ((const char *)text, text_len, &end);
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Text of the iTXt chunk at byte %llu is not valid UTF-8 "
                         "(at byte %llu of the text)"),
                       (unsigned long long)c->offset,
                       (unsigned long long)(end - (const char *)text));
          return NULL;
        }
    }
  else
    {
      /* tEXt is Latin-1 by definition. Text that is already valid UTF-8
       * is taken as it is (plain ASCII is both); anything else is
       * converted from Latin-1. */
      if (memchr (text, 0, text_len) != NULL)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Text of the tEXt chunk at byte %llu contains a NUL byte"),
                       (unsigned long long)c->offset);
          return NULL;
        }
      if (!g_utf8_validate_len ((const char *)text, text_len, NULL))
        {
          converted = g_convert ((const char *)text, (gssize)text_len, "UTF-8", "ISO-8859-1",
                                 NULL, &text_len, NULL);
          if (converted == NULL)
            {
              g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                           _("Text of the tEXt chunk at byte %llu is not Latin-1"),
                           (unsigned long long)c->offset);
              return NULL;
            }
          text = (const guint8 *)converted;
        }
    }

  if (text_len > BW_BAKED_MAX_PAYLOAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload of the %s chunk at byte %llu is too large: "
                     "%llu bytes, the limit is %d"),
                   type_name, (unsigned long long)c->offset,
                   (unsigned long long)text_len, BW_BAKED_MAX_PAYLOAD);
      return NULL;
    }

  payload = payload_from_text (c->itxt ? BW_PAYLOAD_SOURCE_ITXT : BW_PAYLOAD_SOURCE_TEXT,
                               (const char *)text, text_len, c->ob3);
  if (payload->text[0] == '\0')
    {
      bw_payload_free (payload);
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                   _("The Open Badges %s chunk at byte %llu is empty"),
                   type_name, (unsigned long long)c->offset);
      return NULL;
    }

  payload->keyword = g_strndup ((const char *)data, key_len);
  payload->offset = (gint64)c->offset;
  if (compressed)
    payload_warn (payload,
                  _("The iTXt chunk at byte %llu is compressed, which Open Badges forbids; "
                    "it was inflated"),
                  (unsigned long long)c->offset);
  return payload;
}

static BwPayload *
png_read_source (PngSource  *src,
                 gboolean    signature_checked,
                 GError    **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  PngCandidate best = { 0, };
  guint8 header[8];
  guint n_chunks = 0;
  BwPayload *payload = NULL;

  if (!signature_checked)
    {
      guint8 sig[8];
      gssize got = source_read (src, sig, sizeof sig, error);

      if (got < 0)
        return NULL;
      if (memcmp (sig, png_signature, (gsize)got) != 0 || got == 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Not a PNG file: the signature is wrong"));
          return NULL;
        }
      if (got < 8)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("PNG ends inside its signature"));
          return NULL;
        }
    }

  for (;;)
    {
      guint64 offset = src->pos;
      guint32 length;
      char type[5];
      gboolean is_text;
      gboolean ended;
      gssize got;

      got = source_read (src, header, sizeof header, error);
      if (got < 0)
        goto out;
      if (got == 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("PNG ends at byte %llu without an IEND chunk"),
                       (unsigned long long)offset);
          goto out;
        }
      if (got < 8)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("PNG ends inside a chunk header at byte %llu"),
                       (unsigned long long)offset);
          goto out;
        }

      if (++n_chunks > BW_BAKED_MAX_CHUNKS)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("Too many chunks in this PNG: more than %d"), BW_BAKED_MAX_CHUNKS);
          goto out;
        }

      length = read_be32 (header);
      if (!is_chunk_type (header + 4))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Invalid chunk type at byte %llu"), (unsigned long long)offset);
          goto out;
        }
      memcpy (type, header + 4, 4);
      type[4] = '\0';

      if (length > BW_BAKED_MAX_CHUNK_LENGTH)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Absurd length %lu of chunk %s at byte %llu (the limit is %lu)"),
                       (unsigned long)length, type, (unsigned long long)offset,
                       (unsigned long)BW_BAKED_MAX_CHUNK_LENGTH);
          goto out;
        }

      if (n_chunks == 1 && strcmp (type, "IHDR") != 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("The first chunk is %s at byte %llu, not IHDR"),
                       type, (unsigned long long)offset);
          goto out;
        }
      if (n_chunks == 1 && length != 13)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("The IHDR chunk at byte %llu is %lu bytes long instead of 13"),
                       (unsigned long long)offset, (unsigned long)length);
          goto out;
        }

      /* When the size is known, a chunk running past the end is caught
       * here, before anything of it is read or skipped. */
      if (src->size != G_MAXUINT64 && (guint64)length + 4 > src->size - src->pos)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("PNG ends inside chunk %s at byte %llu"),
                       type, (unsigned long long)offset);
          goto out;
        }

      if (strcmp (type, "IEND") == 0)
        break;

      is_text = strcmp (type, "tEXt") == 0 || strcmp (type, "iTXt") == 0 ||
                strcmp (type, "zTXt") == 0;
      if (is_text && length > 0)
        {
          guint8 key[80];
          gsize key_read = MIN ((gsize)length, sizeof key);
          gboolean ob2, ob3, itxt, ztxt;
          guint8 crc_bytes[4];
          int rank;

          got = source_read (src, key, key_read, error);
          if (got < 0)
            goto out;
          if ((gsize)got < key_read)
            {
              g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                           _("PNG ends inside chunk %s at byte %llu"),
                           type, (unsigned long long)offset);
              goto out;
            }

          ob2 = key_read > strlen (KEYWORD_OB2) &&
                memcmp (key, KEYWORD_OB2, strlen (KEYWORD_OB2) + 1) == 0;
          ob3 = key_read > strlen (KEYWORD_OB3) &&
                memcmp (key, KEYWORD_OB3, strlen (KEYWORD_OB3) + 1) == 0;
          itxt = type[0] == 'i';
          ztxt = type[0] == 'z';

          if ((ob2 || ob3) && ztxt)
            {
              g_ptr_array_add (warnings,
                               g_strdup_printf (_("A zTXt chunk with keyword “%s” at byte %llu "
                                                  "was ignored: Open Badges uses iTXt"),
                                                ob3 ? KEYWORD_OB3 : KEYWORD_OB2,
                                                (unsigned long long)offset));
            }
          else if (ob2 || ob3)
            {
              rank = candidate_rank (ob3, itxt);
              if (best.found && rank >= best.rank)
                {
                  /* This chunk loses: it is never relied upon, so it is
                   * not read further (and its CRC is not checked). */
                  if (rank == best.rank)
                    g_ptr_array_add (warnings,
                                     g_strdup_printf (_("Another %s chunk with keyword “%s” at "
                                                        "byte %llu was ignored: only the first "
                                                        "one counts"),
                                                      type, ob3 ? KEYWORD_OB3 : KEYWORD_OB2,
                                                      (unsigned long long)offset));
                  else if (best.ob3 && !ob3)
                    g_ptr_array_add (warnings,
                                     g_strdup_printf (_("This PNG also holds an “%s” %s chunk "
                                                        "at byte %llu; the “%s” one is used"),
                                                      KEYWORD_OB2, type,
                                                      (unsigned long long)offset, KEYWORD_OB3));
                  else
                    g_ptr_array_add (warnings,
                                     g_strdup_printf (_("A legacy tEXt chunk at byte %llu was "
                                                        "ignored: the iTXt chunk is preferred"),
                                                      (unsigned long long)offset));
                }
              else
                {
                  if (length > BW_BAKED_MAX_PAYLOAD + CHUNK_OVERHEAD)
                    {
                      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                                   _("Open Badges %s chunk at byte %llu is too large: "
                                     "%lu bytes, the limit is %d"),
                                   type, (unsigned long long)offset, (unsigned long)length,
                                   BW_BAKED_MAX_PAYLOAD + CHUNK_OVERHEAD);
                      goto out;
                    }

                  if (best.found)
                    {
                      if (best.ob3 == ob3)
                        g_ptr_array_add (warnings,
                                         g_strdup_printf (_("A legacy tEXt chunk at byte %llu "
                                                            "was ignored: the iTXt chunk is "
                                                            "preferred"),
                                                          (unsigned long long)best.offset));
                      else
                        g_ptr_array_add (warnings,
                                         g_strdup_printf (_("This PNG also holds an “%s” %s "
                                                            "chunk at byte %llu; the “%s” one "
                                                            "is used"),
                                                          KEYWORD_OB2,
                                                          best.itxt ? "iTXt" : "tEXt",
                                                          (unsigned long long)best.offset,
                                                          KEYWORD_OB3));
                      if (best.crc_error != NULL)
                        g_ptr_array_add (warnings, g_strdup (best.crc_error->message));
                      candidate_clear (&best);
                    }

                  best.found = TRUE;
                  best.rank = rank;
                  best.ob3 = ob3;
                  best.itxt = itxt;
                  best.offset = offset;
                  best.length = length;
                  best.data = g_malloc (length);
                  memcpy (best.data, key, key_read);
                  got = source_read (src, best.data + key_read, length - key_read, error);
                  if (got < 0)
                    goto out;
                  if ((gsize)got < length - key_read)
                    {
                      g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                                   _("PNG ends inside chunk %s at byte %llu"),
                                   type, (unsigned long long)offset);
                      goto out;
                    }
                  got = source_read (src, crc_bytes, 4, error);
                  if (got < 0)
                    goto out;
                  if (got < 4)
                    {
                      g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                                   _("PNG ends inside chunk %s at byte %llu"),
                                   type, (unsigned long long)offset);
                      goto out;
                    }
                  if (read_be32 (crc_bytes) != chunk_crc (header + 4, best.data, length))
                    g_set_error (&best.crc_error, BW_ERROR, BW_ERROR_BAD_CRC,
                                 _("bad CRC in chunk %s at byte %llu"),
                                 type, (unsigned long long)offset);
                  continue;
                }
            }

          if (!source_skip (src, (guint64)length - key_read + 4, &ended, error))
            {
              if (ended)
                g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                             _("PNG ends inside chunk %s at byte %llu"),
                             type, (unsigned long long)offset);
              goto out;
            }
          continue;
        }

      if (!source_skip (src, (guint64)length + 4, &ended, error))
        {
          if (ended)
            g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                         _("PNG ends inside chunk %s at byte %llu"),
                         type, (unsigned long long)offset);
          goto out;
        }
    }

  if (!best.found)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE, _("no Open Badges data in this PNG"));
      goto out;
    }
  if (best.crc_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&best.crc_error));
      goto out;
    }

  payload = payload_from_chunk (&best, error);
  if (payload != NULL)
    {
      for (guint i = 0; i < warnings->len; i++)
        g_ptr_array_add (payload->warnings, g_strdup (g_ptr_array_index (warnings, i)));
    }

out:
  candidate_clear (&best);
  return payload;
}

/**
 * bw_baked_read_png_fd:
 * @fd: a file descriptor open for reading
 * @bytes_read: (out) (optional): how many bytes were read
 * @error: return location for an error
 *
 * Reads the Open Badges payload of a PNG. A regular file is read from its
 * start with pread() (the descriptor's offset is left alone) and every
 * chunk that is not an Open Badges text chunk is skipped without being
 * read; any other descriptor is read from its current position.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_png_fd (int       fd,
                      guint64  *bytes_read,
                      GError  **error)
{
  PngSource src = { 0, };
  struct stat st;
  BwPayload *payload;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  src.fd = fd;
  src.size = G_MAXUINT64;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    {
      src.seekable = TRUE;
      src.size = (guint64)st.st_size;
    }

  payload = png_read_source (&src, FALSE, error);
  if (bytes_read != NULL)
    *bytes_read = src.bytes_read;
  return payload;
}

/**
 * bw_baked_read_png_bytes:
 * @png: the PNG file
 * @error: return location for an error
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_png_bytes (GBytes  *png,
                         GError **error)
{
  PngSource src = { 0, };
  gsize size;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  src.fd = -1;
  src.data = g_bytes_get_data (png, &size);
  src.size = size;
  src.seekable = TRUE;

  return png_read_source (&src, FALSE, error);
}

/* SVG
 *
 * GMarkup parses the document: it never loads a DTD, an external entity
 * or a file, and it refuses entity references it does not know. Element
 * positions, which GMarkup does not report in bytes, come from a small
 * scanner run over the same text once GMarkup has found it well-formed;
 * both see the start tags in the same order, so the n-th start tag of
 * one is the n-th of the other. */

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
 * stays within the text. */
static void
svg_scan_spans (const char *text,
                gsize       length,
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

      if (i + 1 < length && (text[i + 1] == '?' || text[i + 1] == '!'))
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

typedef struct
{
  GPtrArray *declared;  /* prefixes this element binds, or NULL */
} SvgFrame;

typedef struct
{
  const char *doc;
  gsize       doc_length;
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
  /* Entity declarations live in the internal subset of a DOCTYPE; an
   * external DTD alone is harmless, since nothing ever loads it. */
  if (text_len >= 9 && g_ascii_strncasecmp (text, "<!DOCTYPE", 9) == 0 &&
      (memchr (text, '[', text_len) != NULL ||
       g_strstr_len (text, (gssize)text_len, "<!ENTITY") != NULL))
    {
      SvgReader *r = user_data;
      gsize at = find_str (r->doc, r->doc_length, 0, "<!DOCTYPE");

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
  if (!g_markup_parse_context_parse (context, text, (gssize)length, &local_error) ||
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
  svg_scan_spans (text, length, spans);
  for (guint k = 0; k < 2; k++)
    {
      const SvgSpan *span = r.found[k] ? svg_spans_get (spans, r.ordinal[k]) : NULL;

      line[k] = span != NULL ? line_at (text, span->start) : 0;
    }

  element = kind == 1 ? "credential" : "assertion";
  if (r.verify[kind] != NULL)
    verify = trimmed_dup (r.verify[kind], strlen (r.verify[kind]));
  body = trimmed_dup (r.body[kind]->str, r.body[kind]->len);
  if (verify != NULL && verify[0] == '\0')
    g_clear_pointer (&verify, g_free);

  if (kind == 1)
    {
      /* OB 3.0: a verify attribute is the VC-JWT; otherwise the body. */
      if (verify != NULL)
        {
          payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, verify, strlen (verify),
                                       TRUE);
          if (body[0] != '\0')
            payload_warn (payload,
                          _("The <credential> element at line %d has both a verify attribute "
                            "and a body; the verify attribute is used"),
                          line[kind]);
        }
      else if (body[0] != '\0')
        payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_CREDENTIAL, body, strlen (body), TRUE);
    }
  else
    {
      BwPayloadKind verify_kind = verify != NULL ? bw_payload_classify (verify)
                                                 : BW_PAYLOAD_KIND_UNKNOWN;

      /* OB 2.0: a JWS in verify wins; else a JSON body, with verify as
       * the hosted URL; else verify itself; else whatever the body is. */
      if (verify_kind == BW_PAYLOAD_KIND_JWS || verify_kind == BW_PAYLOAD_KIND_VC_JWT)
        payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, verify, strlen (verify),
                                     FALSE);
      else if (body[0] != '\0' && text_is_json (body))
        {
          payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, body, strlen (body),
                                       FALSE);
          payload->svg_verify = g_steal_pointer (&verify);
        }
      else if (verify != NULL)
        {
          payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, verify, strlen (verify),
                                       FALSE);
          if (body[0] != '\0')
            payload_warn (payload,
                          _("The body of the <assertion> element at line %d is not JSON; "
                            "its verify attribute is used instead"),
                          line[kind]);
        }
      else if (body[0] != '\0')
        payload = payload_from_text (BW_PAYLOAD_SOURCE_SVG_ASSERTION, body, strlen (body),
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
    payload_warn (payload,
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
              payload_warn (payload, _("%u more <%s> elements were ignored"),
                            r.all[k]->len - i, k == 1 ? "credential" : "assertion");
              break;
            }
          span = svg_spans_get (spans, ordinal);
          payload_warn (payload,
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

/* Sniffing and whole files */

static gboolean
text_starts_like_xml (const guint8 *data,
                      gsize         length)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && is_xml_space ((char)data[i]))
    i++;
  return i < length && data[i] == '<';
}

/**
 * bw_baked_sniff:
 * @data: the first bytes of a file (8 are enough for a PNG)
 * @length: the length of @data
 *
 * Returns: %BW_IMAGE_FORMAT_PNG for the PNG signature,
 *   %BW_IMAGE_FORMAT_SVG for XML text, else %BW_IMAGE_FORMAT_NONE
 */
BwImageFormat
bw_baked_sniff (const guint8 *data,
                gsize         length)
{
  g_return_val_if_fail (data != NULL || length == 0, BW_IMAGE_FORMAT_NONE);

  if (length >= sizeof png_signature && memcmp (data, png_signature, sizeof png_signature) == 0)
    return BW_IMAGE_FORMAT_PNG;
  if (text_starts_like_xml (data, length))
    return BW_IMAGE_FORMAT_SVG;
  return BW_IMAGE_FORMAT_NONE;
}

static BwPayload *
read_text_bytes (GBytes  *data,
                 GError **error)
{
  gsize length;
  const char *text = g_bytes_get_data (data, &length);
  const char *bad = NULL;
  BwPayload *payload;

  if (text == NULL || length == 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE, _("The file is empty"));
      return NULL;
    }
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }
  if (length > BW_BAKED_MAX_PAYLOAD + (gsize)CHUNK_OVERHEAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("The file is too large for a badge payload: %llu bytes, the limit is %d"),
                   (unsigned long long)length, BW_BAKED_MAX_PAYLOAD);
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, &bad))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                   _("Not a PNG, an SVG or a text file: not valid UTF-8 at byte %llu"),
                   (unsigned long long)(bad - text));
      return NULL;
    }

  payload = payload_from_text (BW_PAYLOAD_SOURCE_FILE, text, length, FALSE);
  if (payload->kind == BW_PAYLOAD_KIND_UNKNOWN)
    {
      bw_payload_free (payload);
      g_set_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE,
                   _("no Open Badges data in this file: it is not a PNG, an SVG, JSON, "
                     "a JWS or a URL"));
      return NULL;
    }
  if (strlen (payload->text) > BW_BAKED_MAX_PAYLOAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload is too large: %llu bytes, the limit is %d"),
                   (unsigned long long)strlen (payload->text), BW_BAKED_MAX_PAYLOAD);
      bw_payload_free (payload);
      return NULL;
    }
  return payload;
}

/**
 * bw_baked_read_bytes:
 * @data: a PNG, an SVG, or text holding JSON, a JWS or a URL
 * @error: return location for an error
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_bytes (GBytes  *data,
                     GError **error)
{
  gsize length;
  const guint8 *bytes;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  switch (bw_baked_sniff (bytes, length))
    {
    case BW_IMAGE_FORMAT_PNG:
      return bw_baked_read_png_bytes (data, error);
    case BW_IMAGE_FORMAT_SVG:
      return bw_baked_read_svg_bytes (data, error);
    case BW_IMAGE_FORMAT_NONE:
    default:
      return read_text_bytes (data, error);
    }
}

/**
 * bw_baked_read_file:
 * @path: a file name
 * @bytes_read: (out) (optional): how many bytes of the file were read
 * @error: return location for an error
 *
 * Reads the payload of a baked PNG or SVG, or of a text file holding JSON,
 * a JWS or a URL. A PNG is walked chunk by chunk without reading its
 * image data.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_file (const char  *path,
                    guint64     *bytes_read,
                    GError     **error)
{
  PngSource src = { 0, };
  struct stat st;
  guint8 head[8];
  gssize got;
  BwPayload *payload = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bytes_read != NULL)
    *bytes_read = 0;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, BW_ERROR, BW_ERROR_IO, _("Could not open “%s”: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }

  src.fd = fd;
  src.size = G_MAXUINT64;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    {
      src.seekable = TRUE;
      src.size = (guint64)st.st_size;
    }

  got = source_read (&src, head, sizeof head, error);
  if (got < 0)
    goto out;

  if (bw_baked_sniff (head, (gsize)got) == BW_IMAGE_FORMAT_PNG)
    payload = png_read_source (&src, TRUE, error);
  else
    {
      /* SVG and text files are small by nature: read them whole, up to
       * the SVG limit, which is the larger one. */
      g_autoptr(GByteArray) all = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;

      g_byte_array_append (all, head, (guint)got);
      while (got > 0)
        {
          guint8 buf[65536];

          got = source_read (&src, buf, sizeof buf, error);
          if (got < 0)
            goto out;
          g_byte_array_append (all, buf, (guint)got);
          if (all->len > BW_BAKED_MAX_SVG)
            {
              g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                           _("The file is too large: more than %d bytes"), BW_BAKED_MAX_SVG);
              goto out;
            }
        }
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&all));
      payload = bw_baked_read_bytes (bytes, error);
    }

out:
  if (bytes_read != NULL)
    *bytes_read = src.bytes_read;
  close (fd);
  return payload;
}

/* Baking */

static gboolean
keyword_is_valid (const char *keyword)
{
  gsize len = strlen (keyword);

  if (len < 1 || len > 79 || keyword[0] == ' ' || keyword[len - 1] == ' ')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar)keyword[i];

      if (c < 32 || c > 126 || (c == ' ' && keyword[i + 1] == ' '))
        return FALSE;
    }
  return TRUE;
}

/**
 * bw_baked_bake_png:
 * @png: a PNG file
 * @keyword: `openbadges` or `openbadgecredential`
 * @text: the payload (UTF-8)
 * @error: return location for an error
 *
 * Bakes @text into an uncompressed iTXt chunk placed right after IHDR,
 * after dropping every tEXt, iTXt and zTXt chunk that has @keyword. All
 * other bytes of @png, including anything after IEND, are kept as they are.
 *
 * Returns: (transfer full): the baked PNG, or %NULL with @error set
 */
GBytes *
bw_baked_bake_png (GBytes      *png,
                   const char  *keyword,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(GByteArray) out = NULL;
  const guint8 *data;
  gsize size;
  gsize pos;
  gsize key_len;
  gsize text_len;
  guint n_chunks = 0;
  gboolean seen_iend = FALSE;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (keyword != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!keyword_is_valid (keyword))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_FAILED,
                   _("“%s” is not a valid PNG text keyword"), keyword);
      return NULL;
    }
  key_len = strlen (keyword);
  text_len = strlen (text);
  if (text_len > BW_BAKED_MAX_PAYLOAD)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                   _("Payload is too large: %llu bytes, the limit is %d"),
                   (unsigned long long)text_len, BW_BAKED_MAX_PAYLOAD);
      return NULL;
    }
  if (!g_utf8_validate_len (text, text_len, NULL))
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED, _("Payload is not valid UTF-8"));
      return NULL;
    }

  data = g_bytes_get_data (png, &size);
  if (size < 8 || memcmp (data, png_signature, 8) != 0)
    {
      g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                   _("Not a PNG file: the signature is wrong"));
      return NULL;
    }

  out = g_byte_array_sized_new ((guint)MIN (size + text_len + key_len + 32, (gsize)G_MAXUINT));
  g_byte_array_append (out, data, 8);
  pos = 8;

  while (!seen_iend)
    {
      guint32 length;
      char type[5];
      gboolean drop = FALSE;

      if (size - pos < 8)
        {
          if (size == pos)
            g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                         _("PNG ends at byte %llu without an IEND chunk"),
                         (unsigned long long)pos);
          else
            g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                         _("PNG ends inside a chunk header at byte %llu"),
                         (unsigned long long)pos);
          return NULL;
        }
      if (++n_chunks > BW_BAKED_MAX_CHUNKS)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                       _("Too many chunks in this PNG: more than %d"), BW_BAKED_MAX_CHUNKS);
          return NULL;
        }

      length = read_be32 (data + pos);
      if (!is_chunk_type (data + pos + 4))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Invalid chunk type at byte %llu"), (unsigned long long)pos);
          return NULL;
        }
      memcpy (type, data + pos + 4, 4);
      type[4] = '\0';
      if (length > BW_BAKED_MAX_CHUNK_LENGTH)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("Absurd length %lu of chunk %s at byte %llu (the limit is %lu)"),
                       (unsigned long)length, type, (unsigned long long)pos,
                       (unsigned long)BW_BAKED_MAX_CHUNK_LENGTH);
          return NULL;
        }
      if ((guint64)length + 12 > size - pos)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("PNG ends inside chunk %s at byte %llu"),
                       type, (unsigned long long)pos);
          return NULL;
        }
      if (n_chunks == 1 && strcmp (type, "IHDR") != 0)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("The first chunk is %s at byte %llu, not IHDR"),
                       type, (unsigned long long)pos);
          return NULL;
        }
      if (n_chunks == 1 && length != 13)
        {
          g_set_error (error, BW_ERROR, BW_ERROR_MALFORMED,
                       _("The IHDR chunk at byte %llu is %lu bytes long instead of 13"),
                       (unsigned long long)pos, (unsigned long)length);
          return NULL;
        }

      if ((strcmp (type, "tEXt") == 0 || strcmp (type, "iTXt") == 0 ||
           strcmp (type, "zTXt") == 0) &&
          length > key_len && memcmp (data + pos + 8, keyword, key_len) == 0 &&
          data[pos + 8 + key_len] == '\0')
        drop = TRUE;

      if (!drop)
        g_byte_array_append (out, data + pos, length + 12);

      if (n_chunks == 1)
        {
          guint8 be[4];
          gsize itxt_len = key_len + 5 + text_len;
          g_autofree guint8 *chunk = NULL;

          if (itxt_len > BW_BAKED_MAX_CHUNK_LENGTH)
            {
              g_set_error (error, BW_ERROR, BW_ERROR_TOO_LARGE,
                           _("Payload is too large for a PNG chunk"));
              return NULL;
            }

          /* keyword NUL, flag 0, method 0, empty language tag NUL, empty
           * translated keyword NUL, then the text. */
          chunk = g_malloc (itxt_len + 4);
          memcpy (chunk, "iTXt", 4);
          memcpy (chunk + 4, keyword, key_len);
          memset (chunk + 4 + key_len, 0, 5);
          memcpy (chunk + 4 + key_len + 5, text, text_len);

          write_be32 (be, (guint32)itxt_len);
          g_byte_array_append (out, be, 4);
          g_byte_array_append (out, chunk, (guint)(itxt_len + 4));
          write_be32 (be, chunk_crc (chunk, chunk + 4, itxt_len));
          g_byte_array_append (out, be, 4);
        }

      if (strcmp (type, "IEND") == 0)
        seen_iend = TRUE;
      pos += length + 12;
    }

  /* Whatever follows IEND is not ours to judge: keep it. */
  g_byte_array_append (out, data + pos, (guint)(size - pos));

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
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
  svg_scan_spans (text, length, spans);

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

      while (name_end < root->tag_end && !is_xml_space (text[name_end]) &&
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
