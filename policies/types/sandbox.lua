---@meta
-- The base functions of the policy sandbox (evaluator/lua/policy_runtime.cc, SetupSandbox), for
-- editors with lua-language-server. policies/.luarc.json turns LuaLS's own "basic" library
-- off, because it offers print, load, require, dofile, collectgarbage, rawset and _G, which the
-- sandbox does not have; these declarations put back only what it has. The string, table, math
-- and utf8 libraries come from LuaLS itself (the sandbox has them, less string.dump and
-- math.random). tests/editor_support_test.cc checks that the globals declared under types/ are
-- exactly the sandbox's.
--
-- Written for this project from the Lua 5.4 reference manual; not loaded by partnerpolicy.

---The Lua version, "Lua 5.4".
---@type string
_VERSION = "Lua 5.4"

---Raises an error with `message` (default "assertion failed!") when `v` is false or nil;
---otherwise returns all its arguments.
---@generic T
---@param v? T
---@param message? any
---@param ... any
---@return T
---@return any ...
function assert(v, message, ...) end

---Raises an error with `message`. Level 1 (the default) adds the file and line where error was
---called, 2 those of its caller, 0 nothing. A policy's error stops the evaluation (exit 2).
---@param message any
---@param level? integer
function error(message, level) end

---Iterates an array (a state list or a table of the policy's own) in index order:
---`for i, credit in ipairs(state.credits) do ... end`.
---@generic V
---@param t V[]|table<integer, V>
---@return fun(t: V[], i: integer): integer, V
---@return V[]
---@return integer
function ipairs(t) end

---Iterates a table. In the sandbox the order is defined: the partner state in document order;
---a policy's own tables by number keys ascending, then string keys by bytes, then false, true.
---Tables as keys are refused.
---@generic K, V
---@param t table<K, V>|V[]
---@return fun(t: table<K, V>, k?: K): K, V
---@return table<K, V>
---@return nil
function pairs(t) end

---The key after `k` and its value in the sandbox's defined order (see pairs); nil at the end.
---@generic K, V
---@param t table<K, V>
---@param k? K
---@return K?
---@return V?
function next(t, k) end

---Calls `f` with the arguments in protected mode: true and its results, or false and the
---error. A spent instruction or memory budget cannot be caught.
---@param f function
---@param ... any
---@return boolean success
---@return any ...
function pcall(f, ...) end

---pcall with a message handler `msgh` called with the error.
---@param f function
---@param msgh function
---@param ... any
---@return boolean success
---@return any ...
function xpcall(f, msgh, ...) end

---`select(n, ...)`: the arguments from the n-th on; `select("#", ...)`: how many there are.
---@param index integer|"#"
---@param ... any
---@return any
function select(index, ...) end

---The number `e` stands for (in `base` when given), or nil.
---@param e any
---@param base? integer
---@return number?
function tonumber(e, base) end

---A human-readable string for `v`. In the sandbox tables and functions show as "table" and
---"function", never with an address.
---@param v any
---@return string
function tostring(v) end

---The type of `v`: "nil", "number", "string", "boolean", "table", "function", "thread" or
---"userdata" (a node of the partner state is userdata).
---@param v any
---@return type
function type(v) end

---Whether `v1` and `v2` are the same value, without metamethods.
---@param v1 any
---@param v2 any
---@return boolean
function rawequal(v1, v2) end

---The length of a table or string, without metamethods.
---@param v table|string
---@return integer
function rawlen(v) end

---`t[k]` without metamethods.
---@param t table
---@param k any
---@return any
function rawget(t, k) end

---Sets the metatable of a policy's own table (not of the partner state or a library).
---@generic T
---@param t T
---@param metatable? table
---@return T
function setmetatable(t, metatable) end

---The metatable of `object` (its __metatable field when it has one), or nil.
---@param object any
---@return table|any
function getmetatable(object) end
