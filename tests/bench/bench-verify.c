/* bench-verify.c
 *
 * Copyright 2026 The Badge Wallet authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-verify"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bw-baked.h"
#include "bw-test-issuer.h"
#include "bw-test-keys.h"
#include "verify-fixtures.h"

/* 1,000 badges from 10 issuers: each issuer has 5 badge classes (sharing
 * one image) and a signing key; one badge in ten is signed. Every response
 * of the test issuers is delayed by 50 ms. */
#define N_BADGES        1000
#define N_ISSUERS       10
#define N_CLASSES       5
#define SIGNED_EVERY    10
#define DELAY_MS        50

extern char **environ;

typedef struct
{
  BwTestIssuer *server;
  guint         origin;
  char         *issuer_url;
  char         *key_url;
  char         *class_urls[N_CLASSES];
} Issuer;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

/* Runs the child once over every badge with an empty documents cache in
 * @cache_home and prints its figures. */
static gboolean
run_once (const char    *program,
          GPtrArray     *child_argv,
          BwTestIssuer **servers,
          const char    *tmpdir,
          const char    *cache_home,
          const char    *label)
{
  g_autofree char *out_path = g_build_filename (tmpdir, "out.jsonl", NULL);
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  gint64 start, elapsed;
  guint requests = 0, valid = 0, lines = 0, max_concurrent = 0, images = 0, keys = 0;
  int status = 0;
  pid_t pid;

  for (guint i = 0; i < N_ISSUERS / 2; i++)
    {
      bw_test_issuer_reset_counts (servers[i]);
      bw_test_issuer_set_delay (servers[i], DELAY_MS);
    }

  /* The child writes its output to a file, so the wait below can collect
   * its resource usage. */
  for (char **e = environ; *e != NULL; e++)
    if (!g_str_has_prefix (*e, "XDG_CACHE_HOME="))
      g_ptr_array_add (env, g_strdup (*e));
  g_ptr_array_add (env, g_strdup_printf ("XDG_CACHE_HOME=%s", cache_home));
  g_ptr_array_add (env, NULL);

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, program, &actions, NULL, (char **)child_argv->pdata, (char **)env->pdata) != 0)
    {
      g_printerr ("cannot run %s: %s\n", program, g_strerror (errno));
      posix_spawn_file_actions_destroy (&actions);
      return FALSE;
    }
  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;
  elapsed = g_get_monotonic_time () - start;
  posix_spawn_file_actions_destroy (&actions);

  for (guint i = 0; i < N_ISSUERS / 2; i++)
    {
      requests += bw_test_issuer_get_request_count (servers[i], NULL);
      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *image = g_strdup_printf ("/issuer-%u/image.png", i * 2 + j);
          g_autofree char *key = g_strdup_printf ("/issuer-%u/key.json", i * 2 + j);

          images += bw_test_issuer_get_request_count (servers[i], image);
          keys += bw_test_issuer_get_request_count (servers[i], key);
        }
      max_concurrent = MAX (max_concurrent, bw_test_issuer_get_max_concurrent (servers[i]));
    }

  g_file_get_contents (out_path, &output, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) split = g_strsplit (output, "\n", -1);

    for (guint i = 0; split[i] != NULL; i++)
      {
        if (split[i][0] == '\0')
          continue;
        lines++;
        if (strstr (split[i], "\"verdict\":\"valid\"") != NULL)
          valid++;
      }
  }

  printf ("\n[%s]\n", label);
  printf ("exit status: %d; results: %u lines, %u valid\n",
          WIFEXITED (status) ? WEXITSTATUS (status) : -1, lines, valid);
  printf ("wall time: %.3f s (target < 3 s)\n", (double)elapsed / G_USEC_PER_SEC);
  printf ("requests made (server count): %u, of which %u for images and %u for keys\n",
          requests, images, keys);
  printf ("CPU time of the child: %.3f s user, %.3f s system\n",
          usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
  printf ("most requests answered at once by one test server: %u\n", max_concurrent);
  printf ("peak memory of the child: %.1f MB (target < 100 MB)\n", usage.ru_maxrss / 1024.0);
  fflush (stdout);
  return lines == N_BADGES;
}

int
main (int    argc,
      char **argv)
{
  const char *program = g_getenv ("BW_BADGE_WALLET");
  BwTestIssuer *servers[N_ISSUERS / 2];
  Issuer issuers[N_ISSUERS];
  g_autoptr(BwTestKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) child_argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) png = vf_make_png ();
  g_autofree char *tmpdir = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *pem_escaped = NULL;
  gboolean ok = TRUE;

  if (program == NULL)
    {
      g_printerr ("BW_BADGE_WALLET is not set\n");
      return 77;
    }

  key = bw_test_key_new (BW_TEST_KEY_RSA, &error);
  g_assert_no_error (error);
  pem = bw_test_key_dup_public_pem (key);
  pem_escaped = g_strescape (pem, NULL);
  tmpdir = g_dir_make_tmp ("bw-bench-verify-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_ISSUERS / 2; i++)
    {
      servers[i] = bw_test_issuer_new (&error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < N_ISSUERS; i++)
    {
      Issuer *issuer = &issuers[i];
      g_autofree char *extra = NULL;
      g_autofree char *key_json = NULL;
      g_autofree char *image_url = NULL;

      issuer->server = servers[i / 2];
      issuer->origin = i % 2;
      issuer->key_url = g_strdup_printf ("%s/issuer-%u/key.json",
                                         bw_test_issuer_get_url (issuer->server, issuer->origin), i);
      extra = g_strdup_printf (", \"publicKey\": \"%s\"", issuer->key_url);
      {
        g_autofree char *path = g_strdup_printf ("/issuer-%u/profile.json", i);

        issuer->issuer_url = vf_publish_issuer (issuer->server, issuer->origin, path, extra);
      }
      key_json = g_strdup_printf ("{\"@context\": \"https://w3id.org/openbadges/v2\", "
                                  "\"type\": \"CryptographicKey\", \"id\": \"%s\", \"owner\": \"%s\", "
                                  "\"publicKeyPem\": \"%s\"}",
                                  issuer->key_url, issuer->issuer_url, pem_escaped);
      {
        g_autofree char *path = g_strdup_printf ("/issuer-%u/key.json", i);

        bw_test_issuer_add_json (issuer->server, issuer->origin, path, key_json);
      }
      {
        g_autofree char *path = g_strdup_printf ("/issuer-%u/image.png", i);

        image_url = vf_publish_image (issuer->server, issuer->origin, path);
      }
      for (guint c = 0; c < N_CLASSES; c++)
        {
          g_autofree char *path = g_strdup_printf ("/issuer-%u/class-%u.json", i, c);

          issuer->class_urls[c] = vf_publish_badge_class (issuer->server, issuer->origin, path,
                                                          issuer->issuer_url, image_url);
        }
    }

  g_ptr_array_add (child_argv, g_strdup (program));
  g_ptr_array_add (child_argv, g_strdup ("verify"));
  g_ptr_array_add (child_argv, g_strdup ("--json"));
  g_ptr_array_add (child_argv, g_strdup ("--allow-local"));
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (child_argv, g_strdup (argv[i]));

  for (guint b = 0; b < N_BADGES; b++)
    {
      Issuer *issuer = &issuers[b % N_ISSUERS];
      const char *class_url = issuer->class_urls[(b / N_ISSUERS) % N_CLASSES];
      g_autofree char *path = g_strdup_printf ("/issuer-%u/assertions/%u.json", b % N_ISSUERS, b);
      g_autofree char *url = g_strconcat (bw_test_issuer_get_url (issuer->server, issuer->origin),
                                          path, NULL);
      g_autofree char *file = g_strdup_printf ("%s/badge-%04u.png", tmpdir, b);
      g_autoptr(GBytes) baked = NULL;

      if ((b / N_ISSUERS) % SIGNED_EVERY == 0)
        {
          g_autofree char *uuid = g_uuid_string_random ();
          g_autofree char *id = g_strconcat ("urn:uuid:", uuid, NULL);
          g_autofree char *verification = g_strdup_printf ("{\"type\": \"SignedBadge\", \"creator\": \"%s\"}",
                                                           issuer->key_url);
          g_autofree char *json = vf_assertion_json (id, class_url, NULL, verification, NULL);
          g_autofree char *jws = bw_test_key_sign_jws (key, NULL, json, &error);

          g_assert_no_error (error);
          baked = bw_baked_bake_png (png, "openbadges", jws, &error);
        }
      else
        {
          g_autofree char *json = vf_assertion_json (url, class_url, NULL, NULL, NULL);

          bw_test_issuer_add_json (issuer->server, issuer->origin, path, json);
          baked = bw_baked_bake_png (png, "openbadges", url, &error);
        }
      g_assert_no_error (error);
      g_file_set_contents (file, g_bytes_get_data (baked, NULL), (gssize)g_bytes_get_size (baked), &error);
      g_assert_no_error (error);
      g_ptr_array_add (child_argv, g_steal_pointer (&file));
    }
  g_ptr_array_add (child_argv, NULL);

  printf ("badges: %u from %u issuers (%u signed), %u ms delay per response\n",
          N_BADGES, N_ISSUERS, N_BADGES / SIGNED_EVERY, DELAY_MS);
  printf ("budget: %u requests = assertions + classes + issuers + keys, plus %u images\n",
          (N_BADGES - N_BADGES / SIGNED_EVERY) + N_ISSUERS * N_CLASSES + N_ISSUERS + N_ISSUERS,
          N_ISSUERS);

  /* First with the documents cache where XDG_CACHE_HOME would normally
   * be (a disk), then on tmpfs when there is one, which separates the cost
   * of the cache's disk writes from the verification itself. */
  {
    g_autofree char *disk_cache = g_build_filename (tmpdir, "cache", NULL);

    ok = run_once (program, child_argv, servers, tmpdir, disk_cache, "cache on disk") && ok;
  }
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *shm_cache = g_strdup_printf ("/dev/shm/bw-bench-verify-%d", (int)getpid ());

      if (g_mkdir (shm_cache, 0700) == 0)
        {
          ok = run_once (program, child_argv, servers, tmpdir, shm_cache, "cache on tmpfs") && ok;
          remove_tree (shm_cache);
        }
    }

  for (guint i = 0; i < N_ISSUERS; i++)
    {
      g_free (issuers[i].issuer_url);
      g_free (issuers[i].key_url);
      for (guint c = 0; c < N_CLASSES; c++)
        g_free (issuers[i].class_urls[c]);
    }
  for (guint i = 0; i < N_ISSUERS / 2; i++)
    bw_test_issuer_free (servers[i]);
  remove_tree (tmpdir);
  return ok ? 0 : 1;
}
