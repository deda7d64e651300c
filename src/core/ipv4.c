/* ipv4.c: not yet written. */
#include "hyp-util.h"
