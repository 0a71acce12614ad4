/* fuzz-svg.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target over the SVG unbaker and baker. Besides crashes it
 * checks that whatever the baker accepts reads back as what was baked,
 * and that a baked document is still accepted by the reader. */

#define G_LOG_DOMAIN "fuzz-svg"

#include <string.h>

#include "bw-baked.h"
#include "bw-error.h"

#define VERIFY "eyJhbGciOiJSUzI1NiJ9.eyJ2YyI6e319.c2ln"
#define BODY   "{\"a\":\"]]>&<\"}"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwPayload) payload = NULL;

  payload = bw_baked_read_svg_bytes (bytes, &error);
  g_assert ((payload == NULL) != (error == NULL));
  if (payload != NULL)
    {
      g_assert_true (g_utf8_validate (payload->text, -1, NULL));
      g_assert_cmpuint (strlen (payload->text), <=, BW_BAKED_MAX_PAYLOAD);
      g_assert_cmpint (payload->offset, >=, 0);
      g_assert_cmpint (payload->offset, <, (gint64)size);
      g_assert_cmpint (data[payload->offset], ==, '<');
    }
  g_clear_error (&error);

  for (guint ob3 = 0; ob3 < 2; ob3++)
    {
      g_autoptr(GBytes) baked = bw_baked_bake_svg (bytes, ob3, ob3 ? VERIFY : NULL, BODY, &error);
      g_autoptr(BwPayload) again = NULL;

      if (baked == NULL)
        {
          g_clear_error (&error);
          continue;
        }
      /* The baked OB 3.0 element is the first and only one of its kind,
       * so it must be what is read. An OB 2.0 one is read only when the
       * document holds no OB 3.0 element, which wins. */
      again = bw_baked_read_svg_bytes (baked, &error);
      if (ob3)
        {
          g_assert_no_error (error);
          g_assert_cmpint (again->source, ==, BW_PAYLOAD_SOURCE_SVG_CREDENTIAL);
          g_assert_cmpstr (again->text, ==, VERIFY);
          g_assert_cmpint (again->kind, ==, BW_PAYLOAD_KIND_VC_JWT);
        }
      else if (again != NULL && again->source == BW_PAYLOAD_SOURCE_SVG_ASSERTION)
        g_assert_cmpstr (again->text, ==, BODY);
      else if (again == NULL)
        g_assert_error (error, BW_ERROR, BW_ERROR_NOT_A_BADGE);
      g_clear_error (&error);
    }

  return 0;
}
