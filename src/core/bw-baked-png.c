/* bw-baked-png.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bw-baked-png"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <zlib.h>

#include "bw-baked.h"
#include "bw-baked-private.h"
#include "bw-error.h"

#define KEYWORD_OB2 "openbadges"
#define KEYWORD_OB3 "openbadgecredential"

const guint8 _bw_png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

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

  payload = _bw_payload_from_text (c->itxt ? BW_PAYLOAD_SOURCE_ITXT : BW_PAYLOAD_SOURCE_TEXT,
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
    _bw_payload_warn (payload,
                      _("The iTXt chunk at byte %llu is compressed, which Open Badges forbids; "
                        "it was inflated"),
                      (unsigned long long)c->offset);
  return payload;
}

BwPayload *
_bw_baked_png_read_source (BwBakedSource  *src,
                           gboolean        signature_checked,
                           GError        **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  PngCandidate best = { 0, };
  guint8 header[8];
  guint n_chunks = 0;
  BwPayload *payload = NULL;

  if (!signature_checked)
    {
      guint8 sig[8];
      gssize got = _bw_baked_source_read (src, sig, sizeof sig, error);

      if (got < 0)
        return NULL;
      if (memcmp (sig, _bw_png_signature, (gsize)got) != 0 || got == 0)
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

      got = _bw_baked_source_read (src, header, sizeof header, error);
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

          got = _bw_baked_source_read (src, key, key_read, error);
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
                  got = _bw_baked_source_read (src, best.data + key_read, length - key_read, error);
                  if (got < 0)
                    goto out;
                  if ((gsize)got < length - key_read)
                    {
                      g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                                   _("PNG ends inside chunk %s at byte %llu"),
                                   type, (unsigned long long)offset);
                      goto out;
                    }
                  got = _bw_baked_source_read (src, crc_bytes, 4, error);
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

          if (!_bw_baked_source_skip (src, (guint64)length - key_read + 4, &ended, error))
            {
              if (ended)
                g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                             _("PNG ends inside chunk %s at byte %llu"),
                             type, (unsigned long long)offset);
              goto out;
            }
          continue;
        }

      if (!_bw_baked_source_skip (src, (guint64)length + 4, &ended, error))
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
 * start (the descriptor's offset is left alone) through a read-only
 * mapping, or with pread() when it cannot be mapped or the environment
 * variable `BW_BAKED_NO_MMAP` is `1`; every chunk that is not an Open
 * Badges text chunk is skipped without being read, and @bytes_read counts
 * only the bytes the walk touches. A file truncated while it is read fails
 * with %BW_ERROR_TRUNCATED. Any other descriptor is read from its current
 * position.
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_png_fd (int       fd,
                      guint64  *bytes_read,
                      GError  **error)
{
  BwBakedSource src;
  BwPayload *payload;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _bw_baked_source_init_fd (&src, fd);
  payload = _bw_baked_png_read_source (&src, FALSE, error);
  if (bytes_read != NULL)
    *bytes_read = src.bytes_read;
  _bw_baked_source_clear (&src);
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
  BwBakedSource src = { 0, };
  gsize size;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  src.fd = -1;
  src.data = g_bytes_get_data (png, &size);
  src.size = size;
  src.seekable = TRUE;

  return _bw_baked_png_read_source (&src, FALSE, error);
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
  if (size < 8 || memcmp (data, _bw_png_signature, 8) != 0)
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
