/* placeholder: being written */
#include "config.h"
#include "bw-application.h"

struct _BwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (BwApplication, bw_application, ADW_TYPE_APPLICATION)

static void
bw_application_class_init (BwApplicationClass *klass)
{
}

static void
bw_application_init (BwApplication *self)
{
}

BwApplication *
bw_application_new (void)
{
  return g_object_new (BW_TYPE_APPLICATION, "application-id", APP_ID, NULL);
}

int
bw_application_run (int    argc,
                    char **argv)
{
  g_autoptr(BwApplication) app = bw_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
