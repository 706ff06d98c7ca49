// Calendar dates for rules: parsing, month arithmetic with end-of-month clamping, business days.
//
// Rules count in calendar days ("13 months from activation", "90 days", "5 business days"),
// never in clock time, so a Date is a day number: days since 1970-01-01 (negative before).
// Nothing here reads the clock; the CLI decides what "today" is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace partnerpolicy {

struct Date {
  int64_t days = 0;  // days since 1970-01-01

  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses exactly "YYYY-MM-DD" (four-digit year 0001-9999, a real calendar day).
// Returns nullopt for anything else: "2026-2-3", "2026-02-30", "2026-02-03T00:00".
std::optional<Date> ParseDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatDate(Date date);
// The same into a caller's buffer (10 characters and a NUL), for code that must not allocate.
void FormatDateTo(Date date, char (&out)[11]);

// The day numbers of 0001-01-01 and 9999-12-31: the range ParseDate accepts and arithmetic keeps.
inline constexpr int64_t kFirstDay = -719162;
inline constexpr int64_t kLastDay = 2932896;

// The evaluation dates a run accepts, 1900-01-01 to 9999-12-31: the --as-of flag, a partner
// state's as_of and the last day of an alert horizon must lie inside (the CLI and StateLoader
// refuse others). The first is far from kFirstDay, so rules may count back from any of them.
inline constexpr int64_t kFirstEvaluationDay = -25567;  // 1900-01-01
inline constexpr int64_t kLastEvaluationDay = kLastDay;

// The date n calendar months later (n may be negative). When the day does not exist in the
// target month the result is that month's last day: 2026-01-31 + 1 month = 2026-02-28,
// 2028-01-31 + 1 month = 2028-02-29.
// REQUIRES: the result's year is within -32767..32767 (std::chrono::year; beyond, it wraps):
// callers keep to the years 0001-9999.
Date AddMonths(Date date, int64_t months);

// The last day of date's month.
Date MonthEnd(Date date);

// Monday..Friday. Public holidays are not modelled (the documents do not name a calendar).
bool IsBusinessDay(Date date);

// The date that is n (>= 0) business days after date; n = 0 returns date itself.
Date AddBusinessDays(Date date, int64_t n);

// Business days in (from, to]: 0 when to <= from. Fri -> next Mon is 1.
int64_t BusinessDaysBetween(Date from, Date to);

}  // namespace partnerpolicy
