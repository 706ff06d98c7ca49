// Date arithmetic on std::chrono's calendar types (C++20), so leap years and month lengths come
// from the standard library rather than hand-written tables.
#include "partnerpolicy/date.h"

#include <chrono>
#include <cstdio>

namespace partnerpolicy {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

year_month_day ToCivil(Date date) { return year_month_day{sys_days{days{date.days}}}; }

Date FromCivil(const year_month_day& ymd) { return Date{sys_days{ymd}.time_since_epoch().count()}; }

bool ParseDigits(std::string_view text, int& out) {
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseDigits(text.substr(0, 4), y) || !ParseDigits(text.substr(5, 2), m) ||
      !ParseDigits(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  if (y < 1) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return FromCivil(ymd);
}

void FormatDateTo(Date date, char (&out)[11]) {
  year_month_day ymd = ToCivil(date);
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;  // outside the supported range; keep 4 digits
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  // Digits by hand: every field is bounded, so the 10 characters always fit.
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10 % 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10 % 10);
  out[9] = static_cast<char>('0' + d % 10);
  out[10] = '\0';
}

std::string FormatDate(Date date) {
  char buffer[11];
  FormatDateTo(date, buffer);
  return buffer;
}

Date AddMonths(Date date, int64_t months) {
  year_month_day ymd = ToCivil(date);
  // Work in a month count from year 0 so negative offsets and year boundaries need no cases.
  int64_t index = static_cast<int64_t>(static_cast<int>(ymd.year())) * 12 +
                  (static_cast<unsigned>(ymd.month()) - 1) + months;
  int64_t y = index >= 0 ? index / 12 : (index - 11) / 12;
  unsigned m = static_cast<unsigned>(index - y * 12) + 1;
  year_month_day_last last{year{static_cast<int>(y)}, std::chrono::month_day_last{month{m}}};
  day d = ymd.day() <= last.day() ? ymd.day() : last.day();
  return FromCivil(year_month_day{year{static_cast<int>(y)}, month{m}, d});
}

Date MonthEnd(Date date) {
  year_month_day ymd = ToCivil(date);
  return FromCivil(
      year_month_day{year_month_day_last{ymd.year(), std::chrono::month_day_last{ymd.month()}}});
}

bool IsBusinessDay(Date date) {
  std::chrono::weekday wd{sys_days{days{date.days}}};
  return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
}

Date AddBusinessDays(Date date, int64_t n) {
  if (n <= 0) return date;
  // Whole weeks first so a large n costs no more than a small one. Any 7 consecutive days hold
  // 5 business days, but the last step must land on a business day (5 after a Saturday is the
  // next Friday, not the next Saturday), so at least one day is always walked.
  int64_t weeks = (n - 1) / 5;
  Date result{date.days + weeks * 7};
  for (int64_t left = n - weeks * 5; left > 0;) {
    ++result.days;
    if (IsBusinessDay(result)) --left;
  }
  return result;
}

int64_t BusinessDaysBetween(Date from, Date to) {
  if (to <= from) return 0;
  int64_t span = to.days - from.days;
  int64_t count = (span / 7) * 5;
  for (Date d{from.days + (span / 7) * 7}; d < to;) {
    ++d.days;
    if (IsBusinessDay(d)) ++count;
  }
  return count;
}

}  // namespace partnerpolicy
