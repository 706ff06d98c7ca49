// Errors and results: the one error type every part of the evaluator returns.
//
// A deny is a decision, not an error. An Error means the evaluator could not decide: the input,
// a policy or the configuration is bad, or a budget ran out. Errors carry where they happened
// (file, line, column, JSON pointer) and print as `file:line:col: message`, the form compilers
// and editors understand. Nothing throws across the public API: calls return Result<T>.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace partnerpolicy {

enum class ErrorCode {
  kInvalidInput,    // a fixture or request is malformed, fails the schema or references nothing
  kInvalidPolicy,   // a policy file does not load, lacks metadata, or raised a Lua error
  kInvalidConfig,   // policies.toml, actions.toml or a waiver file is malformed or names unknown
                    // things
  kBudgetExceeded,  // a policy ran past its instruction or memory budget
  kUsage,           // the caller asked for something that does not exist (action, entity)
  kIo,              // a file could not be read or written
};

// Where an error was found. Every field is optional: line/column are 1-based, 0 = unknown.
//
// Errors loading a policy directory carry file:line:col, except the kinds that concern a file
// or a directory as a whole, where no line would be honest: the directory is missing, unreadable
// or holds no policy; a file cannot be read or is too large; a helper library's file name is no
// Lua name; a helper library or effects file returns no table; two helper libraries share a
// name; actions.toml declares no action. Those carry the file (or directory) only.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string pointer;  // JSON pointer into a fixture, e.g. "/credits/2/amount"
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;
  SourceLocation where;
  std::string detail;  // extra lines shown under the message, e.g. a Lua traceback

  // One constructor per code, so a call site reads what went wrong where.
  static Error InvalidInput(SourceLocation where, std::string message) {
    return Error{ErrorCode::kInvalidInput, std::move(message), std::move(where), ""};
  }
  static Error InvalidPolicy(SourceLocation where, std::string message) {
    return Error{ErrorCode::kInvalidPolicy, std::move(message), std::move(where), ""};
  }
  static Error InvalidConfig(SourceLocation where, std::string message) {
    return Error{ErrorCode::kInvalidConfig, std::move(message), std::move(where), ""};
  }
  static Error BudgetExceeded(SourceLocation where, std::string message) {
    return Error{ErrorCode::kBudgetExceeded, std::move(message), std::move(where), ""};
  }
  static Error Usage(std::string message) {
    return Error{ErrorCode::kUsage, std::move(message), {}, ""};
  }
  static Error Io(SourceLocation where, std::string message) {
    return Error{ErrorCode::kIo, std::move(message), std::move(where), ""};
  }

  // "file:line:col: message (at /pointer)" with the parts that are known.
  std::string ToString() const;
};

const char* ErrorCodeName(ErrorCode code);

using Errors = std::vector<Error>;

// A value or the errors that prevented it. Holds every error found, not only the first, so a
// fixture's problems can be reported in one pass.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}                 // NOLINT: implicit on purpose
  Result(Error error) { errors_.push_back(std::move(error)); }  // NOLINT
  Result(Errors errors) : errors_(std::move(errors)) {}         // NOLINT

  bool ok() const { return value_.has_value(); }
  // REQUIRES: ok()
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T&& take() { return std::move(*value_); }
  // REQUIRES: !ok(); never empty then.
  const Errors& errors() const { return errors_; }
  Errors take_errors() { return std::move(errors_); }

 private:
  std::optional<T> value_;
  Errors errors_;
};

}  // namespace partnerpolicy
