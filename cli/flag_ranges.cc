// The whole-number check of the numeric flags, on the text as given (before CLI11 converts it).
#include "flag_ranges.h"

#include <CLI/CLI.hpp>
#include <string>

namespace partnerpolicy::cli {

CLI::Validator WholeNumberIn(uint64_t min, uint64_t max) {
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [min, max, range](std::string& value) -> std::string {
        std::string refused =
            (value.empty() ? "''" : value) + " is not a whole number from " + range;
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
          return refused;
        }
        size_t first = value.find_first_not_of('0');
        std::string digits = first == std::string::npos ? "0" : value.substr(first);
        // 19 digits always fit in 64 bits; anything longer is out of every range here.
        if (digits.size() > 19) return refused;
        uint64_t number = std::stoull(digits);
        if (number < min || number > max) return refused;
        value = digits;
        return "";
      },
      std::to_string(min) + "-" + std::to_string(max));
}

}  // namespace partnerpolicy::cli
