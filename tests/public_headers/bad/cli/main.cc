// A command line that reaches past the public headers: the Lua C API, an internal header of the
// library, and toml++ (tools/check_public_headers.py must name each line).
#include <lua.hpp>
#include <toml++/toml.h>

#include <string>

#include "lua/policy_runtime.h"
#include "partnerpolicy/engine.h"

int main() { return 0; }
