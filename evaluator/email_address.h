// E-mail addresses as the credit rules read them: the domain is what follows the last '@'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace partnerpolicy {

// The lower-cased domain of address, or nullopt with *problem set when the address is not of the
// form local@domain: empty local part, no '@', an empty or dot-less domain, a domain label that
// is empty or holds anything but ASCII letters, digits and '-', or any control character
// (embedded NUL included) or space anywhere. "Bob@GMAIL.com" -> "gmail.com".
std::optional<std::string> EmailDomain(std::string_view address, std::string* problem);

}  // namespace partnerpolicy
