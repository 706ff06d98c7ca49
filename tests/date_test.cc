// Calendar arithmetic: month ends, leap years, weekends.
#include "partnerpolicy/date.h"

#include <gtest/gtest.h>

namespace partnerpolicy {
namespace {

Date D(const char* text) { return *ParseDate(text); }

TEST(DateTest, ParsesOnlyRealDays) {
  EXPECT_TRUE(ParseDate("2028-02-29"));
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_FALSE(ParseDate("2026-13-01"));
  EXPECT_FALSE(ParseDate("2026-2-3"));
  EXPECT_FALSE(ParseDate("23/11/2026"));
  EXPECT_EQ(FormatDate(D("1970-01-01")), "1970-01-01");
  EXPECT_EQ(D("1970-01-02").days, 1);
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(FormatDate(AddMonths(D("2026-01-31"), 1)), "2026-02-28");
  EXPECT_EQ(FormatDate(AddMonths(D("2028-01-31"), 1)), "2028-02-29");
  EXPECT_EQ(FormatDate(AddMonths(D("2026-03-31"), -1)), "2026-02-28");
  EXPECT_EQ(FormatDate(AddMonths(D("2026-03-05"), 13)), "2027-04-05");
  EXPECT_EQ(FormatDate(AddMonths(D("2026-12-01"), 36)), "2029-12-01");
  EXPECT_EQ(FormatDate(MonthEnd(D("2028-02-10"))), "2028-02-29");
}

TEST(DateTest, SupportedEvaluationDatesRunFrom1900To9999) {
  EXPECT_EQ(FormatDate(Date{kFirstEvaluationDay}), "1900-01-01");
  EXPECT_EQ(FormatDate(Date{kLastEvaluationDay}), "9999-12-31");
  EXPECT_EQ(D("1900-01-01").days, kFirstEvaluationDay);
}

TEST(DateTest, BusinessDaysSkipWeekends) {
  // 2026-11-20 is a Friday.
  EXPECT_EQ(FormatDate(AddBusinessDays(D("2026-11-20"), 1)), "2026-11-23");
  EXPECT_EQ(FormatDate(AddBusinessDays(D("2026-11-20"), 5)), "2026-11-27");
  EXPECT_EQ(FormatDate(AddBusinessDays(D("2026-11-21"), 5)), "2026-11-27");  // from a Saturday
  EXPECT_EQ(BusinessDaysBetween(D("2026-11-20"), D("2026-11-23")), 1);
  EXPECT_EQ(BusinessDaysBetween(D("2026-11-16"), D("2026-11-30")), 10);
  EXPECT_EQ(BusinessDaysBetween(D("2026-11-30"), D("2026-11-16")), 0);
}

}  // namespace
}  // namespace partnerpolicy
