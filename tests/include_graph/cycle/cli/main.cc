// The CLI side of the cycle test: includes the library, which is allowed.
#include "first.h"
