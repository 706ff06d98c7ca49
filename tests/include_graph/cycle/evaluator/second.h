// Includes first.h, which includes this header: a cycle of two modules.
#pragma once
#include "first.h"
