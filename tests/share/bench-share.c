/* bench-share.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-share"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bw-share.h"

#define ROUNDS 2000

/* Prints how long building every share target takes, for a short badge
 * and for one whose 2,000-character name must be fitted for X. */
static void
measure (const char *label,
         const char *name)
{
  static const char * const skills[] = { "Cloud Computing", "Microsoft Azure", "Security", NULL };
  g_autoptr(BwShareInfo) info = bw_share_info_new ();
  gint64 start;
  gint64 elapsed;
  gsize bytes = 0;

  info->name = g_strdup (name);
  info->issuer_name = g_strdup ("Université de Montréal");
  info->issued = g_date_time_new_utc (2024, 3, 12, 0, 0, 0);
  info->expires = g_date_time_new_utc (2027, 3, 12, 0, 0, 0);
  info->public_url = g_strdup ("https://badges.example.org/assertions/42");
  info->cert_id = g_strdup ("42");
  info->image = g_strdup ("https://badges.example.org/badges/42.png");
  info->skills = g_strdupv ((char **)skills);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < ROUNDS; i++)
    for (BwShareTarget target = 0; target < BW_SHARE_N_TARGETS; target++)
      {
        g_autofree char *value = bw_share_info_build (info, target, NULL);

        bytes += strlen (value);
      }
  elapsed = g_get_monotonic_time () - start;

  printf ("%-22s %u badges × %d targets: %.1f ms, %.2f µs per badge (%" G_GSIZE_FORMAT " bytes)\n",
          label, ROUNDS, BW_SHARE_N_TARGETS, elapsed / 1000.0, (double)elapsed / ROUNDS, bytes);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GString) long_name = g_string_new (NULL);

  while (long_name->len < 2000)
    g_string_append (long_name, "Ingénieur Sécurité 🚀 ");

  measure ("short name", "Azure Fundamentals");
  measure ("2,000-character name", long_name->str);

  return 0;
}
