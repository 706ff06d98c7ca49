// The partner state's shape read from its schema: object kinds, their fields and paths, and the
// errors of a schema it cannot read.
#include "partnerpolicy/state_shape.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "partnerpolicy/json_reader.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Must;

const StateShape& Real() {
  static const StateShape* shape = new StateShape(Must(ReadStateShape(testing::SchemaPath())));
  return *shape;
}

TEST(StateShapeTest, ObjectsFieldsAndPathsOfThePartnerStateSchema) {
  const StateShape& shape = Real();
  ASSERT_FALSE(shape.objects.empty());
  const StateObject& root = shape.objects[0];
  EXPECT_EQ(root.path, "the partner state");
  EXPECT_TRUE(root.closed);
  ASSERT_NE(root.Find("credits"), nullptr);
  EXPECT_EQ(root.Find("credits")->holds, StateField::Holds::kObjectList);
  EXPECT_EQ(root.Find("as_of")->holds, StateField::Holds::kValue);
  EXPECT_EQ(root.Find("credtis"), nullptr);

  int credit = shape.ElementOf("credits");
  ASSERT_GE(credit, 0);
  EXPECT_EQ(shape.objects[credit].path, "credits[]");
  EXPECT_TRUE(shape.objects[credit].closed);
  EXPECT_NE(shape.objects[credit].Find("kind"), nullptr);
  const StateField* assignments = shape.objects[credit].Find("assignments");
  ASSERT_NE(assignments, nullptr);
  EXPECT_EQ(shape.objects[assignments->object].path, "credits[].assignments[]");

  const StateField* partner = root.Find("partner");
  ASSERT_NE(partner, nullptr);
  EXPECT_EQ(partner->holds, StateField::Holds::kObject);
  const StateField* membership = shape.objects[partner->object].Find("membership");
  ASSERT_NE(membership, nullptr);
  EXPECT_EQ(shape.objects[membership->object].path, "partner.membership");
  EXPECT_NE(shape.objects[membership->object].Find("end"), nullptr);

  int user = shape.ElementOf("users");
  ASSERT_GE(user, 0);
  EXPECT_EQ(shape.objects[user].Find("partner_center_roles")->holds, StateField::Holds::kValueList);
  EXPECT_EQ(shape.ElementOf("partner"), -1);  // an object, not a list
  EXPECT_EQ(shape.ElementOf("nothing"), -1);

  // Every field name of every object, once.
  const std::vector<std::string>& names = shape.field_names;
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (const char* name : {"kind", "end", "pec_eligible_role", "billing_management", "$schema"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), std::string(name))) << name;
  }
}

Result<StateShape> FromText(const char* text) {
  return ReadStateShape(Must(ParseJson(text, "schema.json")));
}

TEST(StateShapeTest, SchemasItCannotReadAreErrorsWithTheirPlace) {
  Result<StateShape> array = FromText("[1]");
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.errors()[0].ToString(),
            "schema.json:1:1: the partner-state schema's root must be an object schema");

  Result<StateShape> dangling = FromText(
      "{ \"type\": \"object\",\n  \"properties\": { \"a\": { \"$ref\": \"#/$defs/b\" } } }");
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.errors()[0].ToString(),
            "schema.json:2:34: $ref names no definition: #/$defs/b");

  Result<StateShape> cycle = FromText(
      "{ \"type\": \"object\", \"properties\": { \"a\": { \"$ref\": \"#/$defs/b\" } },\n"
      "  \"$defs\": { \"b\": { \"$ref\": \"#/$defs/b\" } } }");
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.errors()[0].message.find("$ref chain longer than 32"), std::string::npos)
      << cycle.errors()[0].ToString();

  Result<StateShape> missing = ReadStateShape(std::filesystem::path("no/such.schema.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.errors()[0].ToString().find("no/such.schema.json"), std::string::npos);
}

TEST(StateShapeTest, AnObjectThatContainsItselfIsReadOnce) {
  StateShape shape = Must(FromText(
      "{ \"type\": \"object\", \"properties\": { \"node\": { \"$ref\": \"#/$defs/node\" } },\n"
      "  \"$defs\": { \"node\": { \"type\": \"object\", \"properties\": {\n"
      "    \"children\": { \"type\": \"array\", \"items\": { \"$ref\": \"#/$defs/node\" } } } } } "
      "}"));
  ASSERT_EQ(shape.objects.size(), 2u);
  EXPECT_EQ(shape.objects[1].path, "node");
  EXPECT_FALSE(shape.objects[1].closed);
  EXPECT_EQ(shape.objects[1].Find("children")->object, 1);
}

}  // namespace
}  // namespace partnerpolicy
