/* fuzz-png.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target over the PNG unbaker and baker. Besides crashes it
 * checks two properties: reading from memory and from a file descriptor
 * agree, and whatever the baker accepts reads back as what was baked. */

#define G_LOG_DOMAIN "fuzz-png"

/* For memfd_create(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bw-baked.h"
#include "bw-error.h"

#define BAKED_TEXT "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\"}"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_fd_agrees (const guint8    *data,
                 size_t           size,
                 const BwPayload *from_bytes,
                 const GError    *bytes_error)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BwPayload) payload = NULL;
  guint64 bytes_read = 0;
  int fd = memfd_create ("fuzz-png", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (gssize)size);
  payload = bw_baked_read_png_fd (fd, &bytes_read, &error);
  close (fd);

  g_assert_cmpuint (bytes_read, <=, size);
  if (from_bytes != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (payload->text, ==, from_bytes->text);
      g_assert_cmpint (payload->kind, ==, from_bytes->kind);
      g_assert_cmpint (payload->offset, ==, from_bytes->offset);
    }
  else
    {
      g_assert_null (payload);
      g_assert_error (error, bytes_error->domain, bytes_error->code);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(BwPayload) payload = NULL;
  g_autoptr(GBytes) baked = NULL;

  payload = bw_baked_read_png_bytes (bytes, &error);
  g_assert ((payload == NULL) != (error == NULL));
  if (payload != NULL)
    {
      BwPayloadKind expected = bw_payload_classify (payload->text);

      if (payload->ob3 && expected == BW_PAYLOAD_KIND_JWS)
        expected = BW_PAYLOAD_KIND_VC_JWT;
      g_assert_cmpint (payload->kind, ==, expected);
      g_assert_true (g_utf8_validate (payload->text, -1, NULL));
      g_assert_cmpuint (strlen (payload->text), <=, BW_BAKED_MAX_PAYLOAD);
    }
  check_fd_agrees (data, size, payload, error);
  g_clear_error (&error);

  baked = bw_baked_bake_png (bytes, "openbadgecredential", BAKED_TEXT, &error);
  if (baked != NULL)
    {
      g_autoptr(BwPayload) again = bw_baked_read_png_bytes (baked, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (again->text, ==, BAKED_TEXT);
      g_assert_cmpstr (again->keyword, ==, "openbadgecredential");
      g_assert_cmpint (again->offset, ==, 33);
    }

  return 0;
}
