/* placeholder: being written */
#include "bw-error.h"
