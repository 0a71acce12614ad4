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
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bw-baked.h"
#include "bw-baked-private.h"
#include "bw-error.h"
#include "bw-util.h"

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

void
_bw_payload_warn (BwPayload  *payload,
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

gboolean
_bw_baked_is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void
trim_range (const char **text,
            gsize       *length)
{
  const char *p = *text;
  gsize n = *length;

  while (n > 0 && _bw_baked_is_xml_space (p[0]))
    {
      p++;
      n--;
    }
  while (n > 0 && _bw_baked_is_xml_space (p[n - 1]))
    n--;

  *text = p;
  *length = n;
}

char *
_bw_baked_trimmed_dup (const char *text,
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

              while (j < length && _bw_baked_is_xml_space (json[j]))
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
BwPayload *
_bw_payload_from_text (BwPayloadSource  source,
                       const char      *text,
                       gsize            length,
                       gboolean         ob3)
{
  BwPayload *payload;
  g_autofree char *trimmed = _bw_baked_trimmed_dup (text, length);
  BwPayloadKind kind = classify_range (trimmed, strlen (trimmed));

  if (ob3 && kind == BW_PAYLOAD_KIND_JWS)
    kind = BW_PAYLOAD_KIND_VC_JWT;

  payload = bw_payload_new (kind, source, NULL);
  payload->text = g_steal_pointer (&trimmed);
  payload->ob3 = ob3;
  return payload;
}

/* Input
 *
 * The PNG walk and the whole-file reader take their bytes from memory, from
 * a read-only mapping of a regular file, or from a descriptor (pread() on a
 * regular file, read() on anything else). A mapping makes the walk cheap,
 * one memory access per chunk header instead of one system call, but a
 * file truncated while it is mapped turns every access past its new end
 * into SIGBUS. So every access to a mapping is guarded: a process-wide
 * SIGBUS handler jumps back into the reader when the faulting thread is
 * inside a guarded access and the address lies in that access's mapping,
 * and the read fails as truncated. Any other SIGBUS goes on as if this
 * handler had never been there. */

typedef struct
{
  sigjmp_buf    env;
  const guint8 *start;
  gsize         length;
} MapGuard;

/* The guard of this thread, set only while it copies from a mapping. */
static _Thread_local MapGuard *volatile current_guard;

static struct sigaction previous_sigbus;

static void
sigbus_handler (int        sig,
                siginfo_t *info,
                void      *context)
{
  MapGuard *guard = current_guard;

  if (guard != NULL && info != NULL &&
      (const guint8 *)info->si_addr >= guard->start &&
      (gsize)((const guint8 *)info->si_addr - guard->start) < guard->length)
    {
      current_guard = NULL;
      siglongjmp (guard->env, 1);
    }

  /* Not ours. A previous handler gets the signal as it would have; with
   * the default disposition the signal is raised again, which a fault also
   * does on its own when the instruction runs again. */
  if ((previous_sigbus.sa_flags & SA_SIGINFO) != 0 && previous_sigbus.sa_sigaction != NULL)
    {
      previous_sigbus.sa_sigaction (sig, info, context);
      return;
    }
  if ((previous_sigbus.sa_flags & SA_SIGINFO) == 0 &&
      previous_sigbus.sa_handler != SIG_DFL && previous_sigbus.sa_handler != SIG_IGN)
    {
      previous_sigbus.sa_handler (sig);
      return;
    }

  sigaction (SIGBUS, &previous_sigbus, NULL);
  if (previous_sigbus.sa_handler == SIG_DFL)
    raise (sig);
}

/* Returns FALSE when the handler could not be installed: then nothing is
 * mapped. */
static gboolean
install_sigbus_handler (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action;
      gsize result = 1;

      memset (&action, 0, sizeof action);
      action.sa_sigaction = sigbus_handler;
      sigemptyset (&action.sa_mask);
      /* SA_NODEFER keeps SIGBUS unblocked while the handler runs, so the
       * jump back, which does not restore the signal mask, leaves the
       * thread able to take the next fault. */
      action.sa_flags = SA_SIGINFO | SA_NODEFER;
      if (sigaction (SIGBUS, &action, &previous_sigbus) != 0)
        {
          g_warning ("Could not install the SIGBUS handler, files will not be mapped: %s",
                     g_strerror (errno));
          result = 2;
        }
      g_once_init_leave (&installed, result);
    }

  return installed == 1;
}

/* Copies @n bytes at the current position of a mapped source; returns
 * FALSE when the file shrank under the mapping. */
static gboolean
mapped_copy (BwBakedSource *src,
             guint8        *buf,
             gsize          n)
{
  MapGuard guard;

  guard.start = src->data;
  guard.length = (gsize)src->size;
  if (sigsetjmp (guard.env, 0) != 0)
    return FALSE;

  current_guard = &guard;
  atomic_signal_fence (memory_order_seq_cst);
  memcpy (buf, src->data + src->pos, n);
  atomic_signal_fence (memory_order_seq_cst);
  current_guard = NULL;
  return TRUE;
}

/* Sets up @src for the descriptor @fd. A regular file is mapped unless
 * BW_BAKED_NO_MMAP is 1 or the mapping fails; then it is read with pread()
 * from its start, and anything else with read() from where it stands. */
void
_bw_baked_source_init_fd (BwBakedSource *src,
                          int            fd)
{
  struct stat st;

  memset (src, 0, sizeof *src);
  src->fd = fd;
  src->size = G_MAXUINT64;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return;

  src->seekable = TRUE;
  src->size = (guint64)st.st_size;

  if (st.st_size > 0 && (guint64)st.st_size <= G_MAXSIZE &&
      g_strcmp0 (g_getenv ("BW_BAKED_NO_MMAP"), "1") != 0 &&
      install_sigbus_handler ())
    {
      void *map = mmap (NULL, (gsize)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

      if (map != MAP_FAILED)
        {
          src->data = map;
          src->mapped = TRUE;
        }
    }
}

void
_bw_baked_source_clear (BwBakedSource *src)
{
  if (src->mapped)
    munmap ((void *)src->data, (gsize)src->size);
  src->data = NULL;
  src->mapped = FALSE;
}

/* Reads up to @n bytes; returns how many were read, fewer at the end of
 * the input, or -1 with @error set. */
gssize
_bw_baked_source_read (BwBakedSource  *src,
                       guint8         *buf,
                       gsize           n,
                       GError        **error)
{
  gsize got = 0;

  if (src->fd < 0 || src->mapped)
    {
      guint64 avail = src->pos < src->size ? src->size - src->pos : 0;

      got = MIN ((guint64)n, avail);
      if (got > 0 && !src->mapped)
        memcpy (buf, src->data + src->pos, got);
      else if (got > 0 && !mapped_copy (src, buf, got))
        {
          g_set_error (error, BW_ERROR, BW_ERROR_TRUNCATED,
                       _("The file was truncated while it was read: byte %llu is gone"),
                       (unsigned long long)src->pos);
          return -1;
        }
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
gboolean
_bw_baked_source_skip (BwBakedSource  *src,
                       guint64         n,
                       gboolean       *ended,
                       GError        **error)
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
      gssize r = _bw_baked_source_read (src, buf, (gsize)MIN (n, sizeof buf), error);

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

/* Sniffing and whole files */

static gboolean
text_starts_like_xml (const guint8 *data,
                      gsize         length)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && _bw_baked_is_xml_space ((char)data[i]))
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

  if (length >= sizeof _bw_png_signature &&
      memcmp (data, _bw_png_signature, sizeof _bw_png_signature) == 0)
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

  payload = _bw_payload_from_text (BW_PAYLOAD_SOURCE_FILE, text, length, FALSE);
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
 * image data; a regular file is mapped for that walk (see
 * bw_baked_read_png_fd()).
 *
 * Returns: (transfer full): the payload, or %NULL with @error set
 */
BwPayload *
bw_baked_read_file (const char  *path,
                    guint64     *bytes_read,
                    GError     **error)
{
  BwBakedSource src = { 0, };
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

  {
    struct stat st;

    /* A folder opens like a file but cannot be read; say what it is
     * rather than report the read error of whatever format is tried. */
    if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
      {
        g_autofree char *display = g_filename_display_name (path);

        g_set_error (error, BW_ERROR, BW_ERROR_IO, _("“%s” is a folder, not a badge file"),
                     display);
        close (fd);
        return NULL;
      }
  }

  _bw_baked_source_init_fd (&src, fd);

  got = _bw_baked_source_read (&src, head, sizeof head, error);
  if (got < 0)
    goto out;

  if (bw_baked_sniff (head, (gsize)got) == BW_IMAGE_FORMAT_PNG)
    payload = _bw_baked_png_read_source (&src, TRUE, error);
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

          got = _bw_baked_source_read (&src, buf, sizeof buf, error);
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
  _bw_baked_source_clear (&src);
  close (fd);
  return payload;
}
