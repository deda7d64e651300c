/* proto.c: not yet written. */
#include "hyp-util.h"
