// A module that includes another which includes it back: check_include_graph.py must fail.
#pragma once
#include "second.h"
